/**
 * The chain's canonical JSON is RFC 8785 (JCS): decision table of inputs and the exact
 * text, including what the hand-written canonicaliser got wrong (own `__proto__`
 * members dropped, `null` members dropped) and what it must refuse.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../server/util/canonical-json.ts';

describe('canonicalJson (RFC 8785)', () => {
  const table: { name: string; value: unknown; text: string }[] = [
    {
      name: 'members sorted',
      value: { b: 1, a: 2, c: { z: 1, y: 2 } },
      text: '{"a":2,"b":1,"c":{"y":2,"z":1}}',
    },
    { name: 'arrays keep their order', value: [3, 1, 2], text: '[3,1,2]' },
    {
      name: 'own __proto__ member kept',
      value: JSON.parse('{"__proto__":{"admin":true},"a":1}'),
      text: '{"__proto__":{"admin":true},"a":1}',
    },
    { name: 'null kept, undefined left out', value: { a: null, b: undefined }, text: '{"a":null}' },
    // RFC 8785 §3.2.3: sorted by UTF-16 code units, not code points.
    {
      name: 'UTF-16 order',
      value: { '\u{1F600}': 1, '\uFB33': 2 },
      text: '{"\u{1F600}":1,"\uFB33":2}',
    },
    // RFC 8785 §3.2.2.3: ECMAScript number serialisation.
    {
      name: 'numbers',
      value: [1.0, 1e21, 1e-7, -0, 0.1 + 0.2],
      text: '[1,1e+21,1e-7,0,0.30000000000000004]',
    },
    { name: 'escapes', value: 'a"\\\n\u0001é', text: '"a\\"\\\\\\n\\u0001é"' },
  ];
  it.each(table)('$name', ({ value, text }) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('refuses lone surrogates and values JSON cannot hold', () => {
    expect(() => canonicalJson({ url: '\ud800' })).toThrow(/surrogate/i);
    expect(() => canonicalJson({ ['k\udfff']: 1 })).toThrow(/surrogate/i);
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(undefined)).toThrow(/no JSON form/);
  });
});
