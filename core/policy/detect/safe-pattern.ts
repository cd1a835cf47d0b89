/**
 * Admin content patterns in a restricted syntax that is matched in linear time by an NFA
 * simulation (each character of the text advances a bounded set of states once; nothing
 * backtracks). Allowed: literal characters, `\d` `\w` `\s` `.`, escaped metacharacters,
 * `[…]` classes with ranges (and `[^…]`), each optionally followed by one of
 * `?` `*` `+` `{m}` `{m,}` `{m,n}`. Refused: groups, alternation, anchors,
 * backreferences, lookaround — they are what lets a backtracking engine explode, and
 * a flat sequence is what a sensitive-data code ("PRJ-\d{6}") needs.
 */

/** Longest pattern source; most states after expanding counts; largest count. */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_STATES = 256;
export const MAX_REPEAT = 100;

interface Slot {
  /** ASCII membership; `nonAscii` answers every code point above 127. */
  table: Uint8Array;
  nonAscii: boolean;
  /** May be skipped (an optional copy, or a loop taken zero times). */
  skip: boolean;
  /** May repeat (the `*` after the mandatory copies). */
  loop: boolean;
}

export interface SafePattern {
  /** Non-overlapping matches in `text`; a match ends once no thread can go on. */
  count(text: string): number;
}

export type ParseResult =
  { ok: true; pattern: SafePattern } | { ok: false; index: number; message: string };

const META = '\\^$.|?*+()[]{}/-';

function cls(
  pred: (c: number) => boolean,
  nonAscii: boolean,
): { table: Uint8Array; nonAscii: boolean } {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = pred(c) ? 1 : 0;
  return { table, nonAscii };
}
const DIGIT = (c: number) => c >= 48 && c <= 57;
const WORD = (c: number) => DIGIT(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const SPACE = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** Parses and checks an admin pattern; the error says where and why. */
export function parseSafePattern(source: string): ParseResult {
  const fail = (index: number, message: string): ParseResult => ({ ok: false, index, message });
  if (source.length === 0) return fail(0, 'is empty.');
  if (source.length > MAX_PATTERN_LENGTH) {
    return fail(MAX_PATTERN_LENGTH, `is longer than ${MAX_PATTERN_LENGTH} characters.`);
  }
  const slots: Slot[] = [];
  let i = 0;
  while (i < source.length) {
    const at = i;
    const ch = source[i]!;
    let atom: { table: Uint8Array; nonAscii: boolean };
    if (ch === '(' || ch === ')') {
      return fail(
        at,
        'uses a group "( )": groups are not allowed (they allow catastrophic backtracking); write the sequence out.',
      );
    } else if (ch === '|') {
      return fail(
        at,
        'uses "|": alternation is not allowed; write one rule pattern per alternative.',
      );
    } else if (ch === '^' || ch === '$') {
      return fail(
        at,
        `uses the anchor "${ch}": anchors are not supported; patterns match anywhere.`,
      );
    } else if (ch === '?' || ch === '*' || ch === '+' || ch === '{') {
      return fail(at, `"${ch}" has nothing to repeat.`);
    } else if (ch === '.') {
      atom = cls((c) => c !== 10, true);
      i++;
    } else if (ch === '\\') {
      const e = source[i + 1];
      if (e === undefined) return fail(at, 'ends with a lone "\\".');
      if (e === 'd') atom = cls(DIGIT, false);
      else if (e === 'w') atom = cls(WORD, false);
      else if (e === 's') atom = cls(SPACE, false);
      else if (META.includes(e)) atom = cls((c) => c === e.charCodeAt(0), false);
      else {
        return fail(
          at,
          `uses "\\${e}": only \\d, \\w, \\s and escaped punctuation are allowed (no backreferences or \\b).`,
        );
      }
      i += 2;
    } else if (ch === '[') {
      const parsed = parseClass(source, i);
      if ('message' in parsed) return fail(parsed.index, parsed.message);
      atom = parsed.atom;
      i = parsed.end;
    } else {
      const code = ch.charCodeAt(0);
      atom = code < 128 ? cls((c) => c === code, false) : cls(() => false, true);
      i++;
    }
    // The quantifier, if any.
    let min = 1;
    let max = 1;
    const q = source[i];
    if (q === '?') [min, max, i] = [0, 1, i + 1];
    else if (q === '*') [min, max, i] = [0, Infinity, i + 1];
    else if (q === '+') [min, max, i] = [1, Infinity, i + 1];
    else if (q === '{') {
      const close = source.indexOf('}', i);
      const m = close === -1 ? null : /^(\d{1,3})(,(\d{0,3}))?$/.exec(source.slice(i + 1, close));
      if (!m) return fail(i, 'has a "{" that is not a count such as {4}, {2,} or {2,6}.');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min)
        return fail(i, `has {${min},${max}}: the largest count is below the smallest.`);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        return fail(i, `counts above ${MAX_REPEAT} are not allowed.`);
      }
      i = close + 1;
    }
    const next = source[i];
    if (next === '?' || next === '*' || next === '+' || next === '{') {
      return fail(
        i,
        'repeats a repetition (nested quantifiers can backtrack catastrophically); use one count.',
      );
    }
    for (let k = 0; k < min; k++) slots.push({ ...atom, skip: false, loop: false });
    if (max === Infinity) slots.push({ ...atom, skip: true, loop: true });
    else for (let k = min; k < max; k++) slots.push({ ...atom, skip: true, loop: false });
    if (slots.length > MAX_STATES) {
      return fail(at, `expands to more than ${MAX_STATES} states; use smaller counts.`);
    }
  }
  if (slots.every((s) => s.skip))
    return fail(0, 'matches the empty text; require at least one character.');
  return { ok: true, pattern: compile(slots) };
}

function parseClass(
  source: string,
  start: number,
):
  | { atom: { table: Uint8Array; nonAscii: boolean }; end: number }
  | { index: number; message: string } {
  let i = start + 1;
  const negate = source[i] === '^';
  if (negate) i++;
  const table = new Uint8Array(128);
  let nonAscii = false;
  let first = true;
  const readChar = (): number | { index: number; message: string } => {
    const ch = source[i];
    if (ch === '\\') {
      const e = source[i + 1];
      if (e === undefined || !META.includes(e)) {
        return { index: i, message: 'uses an escape inside [ ] other than escaped punctuation.' };
      }
      i += 2;
      return e.charCodeAt(0);
    }
    i++;
    return ch!.charCodeAt(0);
  };
  while (i < source.length && (source[i] !== ']' || first)) {
    first = false;
    if (source[i] === '\\' && 'dws'.includes(source[i + 1] ?? '')) {
      const pred = source[i + 1] === 'd' ? DIGIT : source[i + 1] === 'w' ? WORD : SPACE;
      for (let c = 0; c < 128; c++) if (pred(c)) table[c] = 1;
      i += 2;
      continue;
    }
    const lo = readChar();
    if (typeof lo !== 'number') return lo;
    let hi = lo;
    if (source[i] === '-' && source[i + 1] !== undefined && source[i + 1] !== ']') {
      i++;
      const h = readChar();
      if (typeof h !== 'number') return h;
      hi = h;
      if (hi < lo) return { index: i, message: 'has a range whose end is before its start.' };
    }
    for (let c = lo; c <= hi; c++) {
      if (c < 128) table[c] = 1;
      else nonAscii = true;
    }
  }
  if (source[i] !== ']') return { index: start, message: 'has a "[" that is never closed.' };
  if (negate) {
    for (let c = 0; c < 128; c++) table[c] = table[c] ? 0 : 1;
    nonAscii = !nonAscii;
  }
  return { atom: { table, nonAscii }, end: i + 1 };
}

/**
 * Bit-parallel NFA simulation (Shift-And extended with optional and repeated slots): bit p
 * of the state says "slots before p are matched, ending at this character"; bit L accepts.
 * Each character costs a few operations per 32 states, whatever the text: O(text × words).
 */
function compile(slots: Slot[]): SafePattern {
  const L = slots.length;
  const W = (L >> 5) + 1; // words for bits 0..L
  const masks = new Uint32Array(129 * W); // per ASCII code, then one row for non-ASCII
  const loops = new Uint32Array(W);
  const skips: number[] = [];
  slots.forEach((s, p) => {
    const bit = 1 << (p & 31);
    const word = p >> 5;
    for (let c = 0; c < 128; c++) if (s.table[c]) masks[c * W + word]! |= bit;
    if (s.nonAscii) masks[128 * W + word]! |= bit;
    if (s.loop) loops[word]! |= bit;
    if (s.skip) skips.push(p);
  });
  const has = (d: Uint32Array, p: number) => (d[p >> 5]! >>> (p & 31)) & 1;
  const set = (d: Uint32Array, p: number) => (d[p >> 5]! |= 1 << (p & 31));
  /** Adds the states reachable by skipping optional slots (in order, so chains close). */
  const close = (d: Uint32Array) => {
    for (const p of skips) if (has(d, p)) set(d, p + 1);
  };
  const first = slots[0]!;
  return {
    count(text) {
      let d = new Uint32Array(W);
      let next = new Uint32Array(W);
      const n = text.length;
      let count = 0;
      let inMatch = false;
      let alive = false; // some state beyond the start is active
      for (let i = 0; i < n; i++) {
        if (!alive && !first.skip) {
          // Nothing under way: skip, without the state machinery, to where a match can start.
          while (i < n) {
            const c = text.charCodeAt(i);
            if (c < 128 ? first.table[c] === 1 : first.nonAscii) break;
            i++;
          }
          if (i === n) break;
          inMatch = false;
        }
        // A new match may start here, unless the last one is still being extended.
        if (!inMatch) {
          set(d, 0);
          close(d);
        }
        const c = text.charCodeAt(i);
        const row = (c < 128 ? c : 128) * W;
        let carry = 0;
        let any = 0;
        for (let w = 0; w < W; w++) {
          const m = d[w]! & masks[row + w]!;
          const v = ((m << 1) | carry | (m & loops[w]!)) >>> 0;
          carry = m >>> 31;
          next[w] = v;
          any |= v;
        }
        if (any) close(next);
        [d, next] = [next, d];
        next.fill(0);
        const accepted = has(d, L) === 1;
        if (accepted) {
          if (!inMatch) count++;
          inMatch = true;
          d[L >> 5]! &= ~(1 << (L & 31));
        }
        alive = false;
        for (let w = 0; w < W; w++) if (d[w]) alive = true;
        if (!alive) inMatch = false;
      }
      return count;
    },
  };
}
