import { endsWord, isBase64Url, startsWord } from './detector.ts';

/** A token format: a fixed prefix, then `min`–`max` characters of `body`. */
export interface TokenFormat {
  prefix: string;
  body: (c: number) => boolean;
  min: number;
  max: number;
}

/**
 * Counts tokens of the given formats: each prefix is found with `indexOf`, then its body is
 * read once; the token must stand alone (no letter or digit glued either side).
 */
export function countTokens(text: string, formats: readonly TokenFormat[]): number {
  let count = 0;
  for (const f of formats) {
    let i = text.indexOf(f.prefix);
    while (i !== -1) {
      let j = i + f.prefix.length;
      const limit = Math.min(text.length, j + f.max + 1);
      while (j < limit && f.body(text.charCodeAt(j))) j++;
      const len = j - i - f.prefix.length;
      const bounded = f.body === isBase64Url ? endsBase64(text, j) : endsWord(text, j);
      if (startsWord(text, i) && len >= f.min && len <= f.max && bounded) count++;
      i = text.indexOf(f.prefix, j > i ? j : i + 1);
    }
  }
  return count;
}

function endsBase64(text: string, j: number): boolean {
  return j >= text.length || !isBase64Url(text.charCodeAt(j));
}
