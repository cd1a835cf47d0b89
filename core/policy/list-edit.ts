/**
 * An edit of one filter list that reproduces the new list exactly, order included: list
 * order decides between filters of equal precedence (the earlier one wins), so "added and
 * removed" alone would not give the same answers as the full list.
 */
export interface ListEdit {
  /** Indexes in the old list of the entries that go, ascending. */
  removed: number[];
  /** Indexes in the new list of the entries that come, ascending, with their filters. */
  at: number[];
  added: string[];
}

/** How far ahead a mismatch looks for the lists to line up again. */
const WINDOW = 256;

/**
 * The edit from `from` to `to`: a walk of both lists that keeps the entries they share in
 * order and, where they differ, looks up to WINDOW entries ahead on each side for the
 * nearest point where they line up again (entries skipped on the old side are removed, on
 * the new side added); with none in sight the two entries are a replacement. Linear, with no
 * maps or sets, so a million-filter list is diffed in milliseconds; for the edits admins make
 * (insertions, removals and replacements in runs shorter than the window) it is minimal, and
 * anything else (a long run moved) is still exact, only larger.
 *
 * @example listEdit(['a', 'b', 'c'], ['a', 'c', 'd']) // → { removed: [1], at: [2], added: ['d'] }
 */
export function listEdit(from: readonly string[], to: readonly string[]): ListEdit {
  const edit: ListEdit = { removed: [], at: [], added: [] };
  const add = (j: number) => {
    edit.at.push(j);
    edit.added.push(to[j] as string);
  };
  let i = 0;
  let j = 0;
  while (i < from.length && j < to.length) {
    if (from[i] === to[j]) {
      i++;
      j++;
      continue;
    }
    let resync = 0;
    for (let k = 1; k <= WINDOW && resync === 0; k++) {
      if (i + k < from.length && from[i + k] === to[j])
        resync = k; // from[i..i+k) went
      else if (j + k < to.length && to[j + k] === from[i]) resync = -k; // to[j..j+k) came
    }
    if (resync > 0) for (const end = i + resync; i < end; i++) edit.removed.push(i);
    else if (resync < 0) for (const end = j - resync; j < end; j++) add(j);
    else {
      edit.removed.push(i++);
      add(j++);
    }
  }
  for (; i < from.length; i++) edit.removed.push(i);
  for (; j < to.length; j++) add(j);
  return edit;
}

/** Applies an edit; null when it does not fit the list (another base, or a malformed edit). */
export function applyListEdit(from: readonly string[], edit: ListEdit): string[] | null {
  const { removed, at, added } = edit;
  if (at.length !== added.length) return null;
  const length = from.length - removed.length + added.length;
  if (length < 0) return null;
  const out = new Array<string>(length);
  let r = 0;
  let a = 0;
  let i = 0;
  for (let n = 0; n < length; n++) {
    if (a < at.length && at[a] === n) {
      out[n] = added[a++] as string;
      continue;
    }
    while (r < removed.length && removed[r] === i) {
      r++;
      i++;
    }
    if (i >= from.length) return null;
    out[n] = from[i++] as string;
  }
  while (r < removed.length && removed[r] === i) {
    r++;
    i++;
  }
  // Every index used, in order: anything left over means the edit was for another list.
  if (a !== at.length || r !== removed.length || i !== from.length) return null;
  return out;
}

/** True when the edit's indexes are ascending integers (checked before applying a received one). */
export function isListEdit(v: unknown): v is ListEdit {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    ascending(e.removed) &&
    ascending(e.at) &&
    Array.isArray(e.added) &&
    e.added.length === (e.at as unknown[]).length &&
    e.added.every((f) => typeof f === 'string')
  );
}

function ascending(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false;
  let last = -1;
  for (const n of v) {
    if (!Number.isInteger(n) || (n as number) <= last) return false;
    last = n as number;
  }
  return true;
}
