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

/**
 * The edit from `from` to `to`: the entries both lists share in the same order stay, the rest
 * is removed or added. A two-pointer walk with remaining-count maps, linear in the list sizes
 * (a million filters in well under a second); for edits that do not reorder it is minimal,
 * and a moved filter costs one removal and one addition.
 *
 * @example listEdit(['a', 'b', 'c'], ['a', 'c', 'd']) // → { removed: [1], at: [2], added: ['d'] }
 */
export function listEdit(from: readonly string[], to: readonly string[]): ListEdit {
  const left = counts(from);
  const right = counts(to);
  const edit: ListEdit = { removed: [], at: [], added: [] };
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    const a = from[i];
    const b = to[j];
    if (i < from.length && j < to.length && a === b) {
      take(left, a as string);
      take(right, b as string);
      i++;
      j++;
    } else if (i < from.length && (j >= to.length || !right.get(a as string))) {
      // Not in the rest of the new list: it goes.
      take(left, a as string);
      edit.removed.push(i++);
    } else if (j < to.length && (i >= from.length || !left.get(b as string))) {
      take(right, b as string);
      edit.at.push(j);
      edit.added.push(b as string);
      j++;
    } else {
      // Both appear later on the other side (a move): drop the old entry; the new one is added
      // when the walk reaches it, since its count on the old side has run out by then or it
      // pairs with a later copy.
      take(left, a as string);
      edit.removed.push(i++);
    }
  }
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

function counts(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of list) m.set(f, (m.get(f) ?? 0) + 1);
  return m;
}

function take(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 1) - 1);
}
