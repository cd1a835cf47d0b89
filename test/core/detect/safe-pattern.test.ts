import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSafePattern } from '../../../core/policy/detect/safe-pattern.ts';

const count = (pattern: string, text: string) => {
  const p = parseSafePattern(pattern);
  if (!p.ok) throw new Error(p.message);
  return p.pattern.count(text);
};

describe('safe patterns', () => {
  it.each([
    ['PRJ-\\d{6}', 'see PRJ-123456 and PRJ-654321, not PRJ-12', 2],
    ['\\d{4,}', '12345678 and 99', 1], // one run is one match, however long
    ['[A-Z]{2}\\d+', 'AB12 cd34 EF5', 2],
    ['colou?r', 'color colour colouur', 2],
    ['a.c', 'abc a\nc', 1],
    ['[^ ]+@corp\\.test', 'x@corp.test y@corp.tester', 2],
    ['secret', 'SECRET secret', 1],
    ['é+', 'café', 1],
  ])('%s in %j → %i', (pattern, text, n) => expect(count(pattern, text)).toBe(n));

  it.each([
    ['(a+)+b', 1, 'group'],
    ['a|b', 2, 'alternation'],
    ['a**', 3, 'repeats a repetition'],
    ['a+{2}', 3, 'repeats a repetition'],
    ['^a', 1, 'anchor'],
    ['(a)\\1', 1, 'group'],
    ['a\\1', 2, 'backreferences'],
    ['a\\b', 2, '\\b'],
    ['*a', 1, 'nothing to repeat'],
    ['a{2,1}', 2, 'below the smallest'],
    ['a{500}', 2, 'above 100'],
    ['[a-z]{100}[a-z]{100}[a-z]{100}', 21, 'more than 256 states'],
    ['[abc', 1, 'never closed'],
    ['a?', 1, 'empty text'],
    ['', 1, 'empty'],
  ])('refuses %j at character %i (%s)', (pattern, at, why) => {
    const p = parseSafePattern(pattern);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.index + 1).toBe(at);
    expect(p.message).toContain(why);
  });

  it('stays linear on the inputs that make backtracking engines explode', () => {
    const text = 'a'.repeat(200_000);
    const started = performance.now();
    expect(count('a*a*a*a*a*b', text)).toBe(0);
    expect(count('\\w+\\d+\\w+!', text)).toBe(0);
    // 400,000 characters × a handful of states: well under a second even on a busy machine.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('safe patterns agree with JavaScript regular expressions', () => {
  const atom = fc.constantFrom('a', 'b', '-', '\\d', '\\w', '\\s', '.', '[ab]', '[^a]', '[0-5]');
  const quant = fc.constantFrom('', '', '?', '*', '+', '{2}', '{1,3}', '{2,}');
  const pattern = fc
    .array(fc.tuple(atom, quant), { minLength: 1, maxLength: 5 })
    .map((parts) => parts.map(([a, q]) => a + q).join(''));
  const text = fc.string({
    unit: fc.constantFrom('a', 'b', '1', '7', ' ', '-', '\n', 'x'),
    maxLength: 40,
  });

  it('finds a match exactly when RegExp does (ASCII text)', () => {
    fc.assert(
      fc.property(pattern, text, (src, t) => {
        const p = parseSafePattern(src);
        fc.pre(p.ok);
        if (!p.ok) return;
        expect(p.pattern.count(t) > 0).toBe(new RegExp(src).test(t));
      }),
      { numRuns: 3000 },
    );
  });
});
