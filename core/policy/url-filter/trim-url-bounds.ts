/** What `trimUrlBounds` reads: a string, or anything that counts how it is read. */
export interface CharCodes {
  readonly length: number;
  charCodeAt(index: number): number;
}

/**
 * The `[start, end)` GURL keeps of an input after dropping C0 controls and spaces at both
 * ends (`url::ShouldTrimFromURL`: code ≤ 0x20). Two index scans that never cross, so at
 * most `length` characters are read whatever the input — a `/^[\0- ]+|[\0- ]+$/` replace
 * retries the trailing class at every position and takes quadratic time on a run of spaces.
 *
 * @example trimUrlBounds('  data:a  ') // → [2, 8]
 */
export function trimUrlBounds(text: CharCodes): [number, number] {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return [start, end];
}

/** `text` without C0 controls and spaces at either end (see `trimUrlBounds`). */
export function trimUrl(text: string): string {
  const [start, end] = trimUrlBounds(text);
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
