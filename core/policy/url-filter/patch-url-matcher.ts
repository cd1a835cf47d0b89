import type { ListEdit } from '../list-edit.ts';
import { buildFilterIndex } from './filter-index.ts';
import { WILDCARD_KEY } from './filter-precedence.ts';
import type { PreparedUrl } from './match-filter.ts';
import {
  buildUrlMatcher,
  matcherOver,
  matcherState,
  setMatcherState,
  type MatcherState,
  type UrlMatcher,
} from './url-matcher.ts';

type Lists = { blocklist: readonly string[]; allowlist: readonly string[] };
type Edits = { blocklist: ListEdit; allowlist: ListEdit };

/** Past this share of added filters (of the base's), a rebuild is cheaper than the overlay. */
const REBUILD_SHARE = 1 / 8;

/**
 * The matcher of `next` from the matcher of the lists `edits` turn into `next`, without
 * rebuilding the index: the base index stays (the filters the edits removed are taken out of
 * it) and the added filters get a small index of their own; each decision asks both and
 * keeps the better answer with the same precedence and list-order rules. Its answers equal
 * `buildUrlMatcher(next)`'s (test/core/patch-url-matcher.property.test.ts). Once the added
 * filters pass an eighth of the base, it rebuilds instead.
 *
 * The previous matcher shares the base index and must not be used afterwards.
 */
export function patchUrlMatcher(prev: UrlMatcher, next: Lists, edits: Edits): UrlMatcher {
  const state = matcherState(prev);
  if (!state) return buildUrlMatcher(next, {});
  const baseSize = state.baseLists.blocklist.length + state.baseLists.allowlist.length;
  const lists = [next.blocklist, next.allowlist] as const;
  const listEdits = [edits.blocklist, edits.allowlist] as const;

  const origin: [Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0)];
  const addedLists: [string[], string[]] = [[], []];
  const addedAt: [Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0)];
  const baseToNow: [Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0)];
  for (const l of [0, 1] as const) {
    const baseLength = (l === 0 ? state.baseLists.blocklist : state.baseLists.allowlist).length;
    const now = originOf(state, l, baseLength);
    const out = new Int32Array(lists[l].length);
    const edit = listEdits[l];
    // Replays the edit on the origins of the current entries (as applyListEdit does on filters).
    let r = 0;
    let a = 0;
    let i = 0;
    const added: number[] = [];
    for (let n = 0; n < out.length; n++) {
      if (a < edit.at.length && edit.at[a] === n) {
        a++;
        out[n] = -1 - added.length;
        added.push(n);
        continue;
      }
      while (r < edit.removed.length && edit.removed[r] === i) {
        r++;
        i++;
      }
      const o = now[i++] ?? 0;
      if (o >= 0) out[n] = o;
      else {
        out[n] = -1 - added.length;
        added.push(n);
      }
    }
    origin[l] = out;
    addedAt[l] = Int32Array.from(added);
    addedLists[l] = added.map((n) => lists[l][n] as string);
    const map = new Int32Array(baseLength).fill(-1);
    for (let n = 0; n < out.length; n++) if ((out[n] ?? -1) >= 0) map[out[n] as number] = n;
    baseToNow[l] = map;
  }
  const addedCount = addedLists[0].length + addedLists[1].length;
  if (addedCount > baseSize * REBUILD_SHARE + 64) return buildUrlMatcher(next, state.options);

  const base = state.base;
  for (const l of [0, 1] as const) {
    const first = base.firstId(l);
    const map = baseToNow[l];
    for (let b = 0; b < map.length; b++) if (map[b] === -1) base.remove(first + b);
  }
  const addedIndex =
    addedCount === 0
      ? null
      : buildFilterIndex(
          [
            { filters: addedLists[0], allow: false },
            { filters: addedLists[1], allow: true },
          ],
          'precedence',
        );

  const find = (u: PreparedUrl): number => {
    let found = -1;
    let key = -Infinity;
    const b = base.lookup(u);
    if (b >= 0) {
      const l = base.sourceOf(b) as 0 | 1;
      found = (baseToNow[l][b - base.firstId(l)] ?? 0) * 2 + l;
      key = base.lastKey();
    }
    if (addedIndex) {
      const a = addedIndex.lookup(u);
      if (a >= 0) {
        const l = addedIndex.sourceOf(a) as 0 | 1;
        const at = (addedAt[l][a - addedIndex.firstId(l)] ?? 0) * 2 + l;
        const k = addedIndex.lastKey();
        // Equal keys: the earlier filter in list order (blocklist before allowlist) wins,
        // except for the blocklist `*`, where the later one does — as in the index.
        if (found < 0 || k > key || (k === key && (k === WILDCARD_KEY) === later(at, found)))
          found = at;
      }
    }
    return found;
  };

  const invalid = { blocklist: [] as number[], allowlist: [] as number[] };
  for (const l of [0, 1] as const) {
    const out = l === 0 ? invalid.blocklist : invalid.allowlist;
    for (const b of base.invalid[l] ?? []) {
      const n = baseToNow[l][b] ?? -1;
      if (n >= 0) out.push(n);
    }
    for (const a of addedIndex?.invalid[l] ?? []) out.push(addedAt[l][a] ?? 0);
    out.sort((x, y) => x - y);
  }

  const matcher = matcherOver(next, find, invalid, state.options);
  const nextState: MatcherState = {
    ...state,
    baseToNow,
    added: addedIndex ? { index: addedIndex, lists: addedLists } : null,
    addedAt,
    origin,
  };
  setMatcherState(matcher, nextState);
  return matcher;
}

/** Whether encoded position `x` comes after `y` in list order (blocklist first). */
function later(x: number, y: number): boolean {
  const lx = x & 1;
  const ly = y & 1;
  return lx !== ly ? lx > ly : x > y;
}

/** The origins of the current list's entries (identity for a list no patch touched yet). */
function originOf(state: MatcherState, l: 0 | 1, baseLength: number): Int32Array {
  const known = state.origin[l];
  if (known) return known;
  const identity = new Int32Array(baseLength);
  for (let i = 0; i < baseLength; i++) identity[i] = i;
  return identity;
}
