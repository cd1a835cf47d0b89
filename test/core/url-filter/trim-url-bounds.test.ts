import { describe, expect, it } from 'vitest';
import { trimUrl, trimUrlBounds } from '../../../core/policy/url-filter/trim-url-bounds.ts';
import type { CharCodes } from '../../../core/policy/url-filter/trim-url-bounds.ts';
import { parseUrlFilter } from '../../../core/policy/url-filter/parse-url-filter.ts';

/** A string that counts how many characters are read from it. */
function counting(text: string): CharCodes & { reads: number } {
  return {
    length: text.length,
    reads: 0,
    charCodeAt(i: number) {
      this.reads++;
      return text.charCodeAt(i);
    },
  };
}

describe('trimUrlBounds', () => {
  it.each([
    ['', ''],
    ['   ', ''],
    ['\u0000\t data:a \n\u001f', 'data:a'],
    ['data: a b ', 'data: a b'],
    ['x', 'x'],
  ])('%j → %j', (input, output) => {
    expect(trimUrl(input)).toBe(output);
  });

  it('reads each character at most once, however long the run of spaces', () => {
    for (const n of [10, 1_000, 20_000]) {
      for (const text of [
        ' '.repeat(n),
        'data:' + ' '.repeat(n) + 'x',
        ' '.repeat(n) + 'data:x' + ' '.repeat(n),
      ]) {
        const s = counting(text);
        const [start, end] = trimUrlBounds(s);
        expect(text.slice(start, end)).toBe(text.trim());
        expect(s.reads).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('data: filters keep their inner spaces and lose the outer ones', () => {
    const r = parseUrlFilter(' \tdata:' + ' '.repeat(20_000) + 'x ');
    expect(r.ok && r.filter.path).toBe(' '.repeat(20_000) + 'x');
  });
});
