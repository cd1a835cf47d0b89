import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value — what the audit chain
 * hashes and signs. Uses `canonicalize`, by the RFC's co-author: members sorted by UTF-16
 * code units, ECMAScript number formatting, own `__proto__` members kept like any other,
 * and lone surrogates refused (they have no UTF-8 form). `undefined` members are left out
 * as `JSON.stringify` does; `null` is kept (RFC 8785 has no "absent" for it).
 *
 * @example
 * canonicalJson({ b: 1, a: [true, 'x'] }) // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}
