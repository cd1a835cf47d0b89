/**
 * A built-in content detector: pure code that counts one kind of sensitive data in a text.
 * Every detector is a hand-written scanner that looks at each character a bounded number of
 * times (no regular expressions, so nothing can backtrack): scanning is linear in the text.
 */
export interface Detector {
  /** Stable id, used in policies and audit events. */
  readonly id: string;
  /** Shown to admins and on the employee's transparency page. */
  readonly name: string;
  /** How many occurrences the text holds (0 when none). Never returns or keeps the text. */
  scan(text: string): number;
}

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isUpper = (c: number): boolean => c >= 65 && c <= 90;
export const isLower = (c: number): boolean => c >= 97 && c <= 122;
export const isAlnum = (c: number): boolean => isDigit(c) || isUpper(c) || isLower(c);
/** base64url's alphabet (JWT segments, most API tokens). */
export const isBase64Url = (c: number): boolean => isAlnum(c) || c === 45 || c === 95;

/** True when the character before `i` cannot continue a word (so a match starts at `i`). */
export function startsWord(text: string, i: number): boolean {
  return i === 0 || !isAlnum(text.charCodeAt(i - 1));
}

/** True when the character at `i` cannot continue a word (so a match ends before `i`). */
export function endsWord(text: string, i: number): boolean {
  return i >= text.length || !isAlnum(text.charCodeAt(i));
}

/** Index of the first character at or after `i` that fails `ok`. */
export function runEnd(text: string, i: number, ok: (c: number) => boolean): number {
  while (i < text.length && ok(text.charCodeAt(i))) i++;
  return i;
}

let lastText: string | null = null;
let lastStarts: Int32Array = new Int32Array(0);

/**
 * Where words start: each index holding a letter or digit after a non-alphanumeric
 * character (or at 0). The number-shaped detectors (cards, IBANs, SSNs, NIRs) all begin at
 * a word start, so they share this one pass over the text instead of one pass each; the
 * last text's answer is kept, since a scan runs every detector over the same text.
 */
export function wordStarts(text: string): Int32Array {
  if (text === lastText) return lastStarts;
  const starts = new Int32Array(Math.ceil(text.length / 2) + 1);
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const alnum = c < 128 ? ALNUM[c] === 1 : false;
    if (alnum && !inWord) starts[count++] = i;
    inWord = alnum;
  }
  lastText = text;
  lastStarts = starts.subarray(0, count);
  return lastStarts;
}

const ALNUM = new Uint8Array(128).map((_, c) => (isAlnum(c) ? 1 : 0));
