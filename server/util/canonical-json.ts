/**
 * JSON with object keys sorted and `undefined`/`null` members left out, so the same
 * content always gives the same bytes — what the audit chain hashes. Arrays keep order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && v !== null) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}
