import { parseFilterComponents } from './parse-url-filter.ts';
import { toUrlFilterRule, WILDCARD_KEY } from './filter-precedence.ts';
import { filterHostKey, filterMatches } from './match-filter.ts';
import { indexKey, plainFilterMatches } from './index-key.ts';
import type { IndexKey } from './index-key.ts';
import type { PreparedUrl } from './match-filter.ts';
import type { UrlFilterRule } from './url-filter-types.ts';

/** One list fed to the index; ids run through the lists in order. */
export interface IndexSource {
  filters: readonly string[];
  allow: boolean;
}

/** How candidates are ranked: Chrome's precedence, or simply the first filter in list order. */
export type IndexOrder = 'precedence' | 'first';

export interface FilterIndex {
  /** Per source, the indexes of filters that did not parse (and are skipped). */
  readonly invalid: readonly (readonly number[])[];
  /** The winning filter's id for this URL, or -1. */
  lookup(u: PreparedUrl): number;
  /** The source an id belongs to; its position there is `id - firstId(source)`. */
  sourceOf(id: number): number;
  /** The id of a source's first filter. */
  firstId(source: number): number;
  /** The precedence key (higher wins) of the last `lookup`'s answer; -Infinity for none. */
  lastKey(): number;
  /**
   * Takes a filter out of the index for good (a delta removed it): `lookup` then answers as
   * an index built without it, the ids of the others unchanged.
   */
  remove(id: number): void;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

interface Compiled {
  rule: UrlFilterRule;
  hostKey: string;
}

/**
 * The shared index behind `buildUrlMatcher` and `buildUrlFilterSet`.
 *
 * Memory is typed arrays only — 17 bytes per filter (id, host-key hash, precedence key,
 * exactness) plus 4 per hash slot — pointing back into the caller's filter strings, which
 * it keeps referencing. Buckets are keyed by the hash of the filter's canonical host key
 * (`.example.com.`); a URL probes its canonical host and each suffix starting at a dot, down
 * to `.` (the key of `*`, `scheme:*`, `file:` and `data:` filters), so a decision costs a few
 * hash probes whatever the list size — Chromium's "try mail.example.com, then example.com,
 * then com, then the * host". Within a bucket, entries are sorted best-first, so the first
 * verified match ends the bucket's scan. A candidate is verified on its string: plain
 * `host[/path]` filters directly, others by re-parsing.
 */
export function buildFilterIndex(sources: readonly IndexSource[], order: IndexOrder): FilterIndex {
  const total = sources.reduce((n, s) => n + s.filters.length, 0);
  const hashes = new Int32Array(total);
  const keys = new Float64Array(total);
  const exact = new Uint8Array(total);
  const valid = new Uint8Array(total);
  const invalid: number[][] = [];
  let id = 0;
  const entry: IndexKey = { hash: 0, exact: false, key: 0 };
  for (const source of sources) {
    const bad: number[] = [];
    for (let i = 0; i < source.filters.length; i++, id++) {
      const filter = source.filters[i];
      if (typeof filter !== 'string' || !indexKey(filter, source.allow, entry)) {
        bad.push(i);
        continue;
      }
      valid[id] = 1;
      hashes[id] = entry.hash;
      exact[id] = entry.exact ? 1 : 0;
      keys[id] = order === 'precedence' ? entry.key : -id;
    }
    invalid.push(bad);
  }
  let count = 0;
  for (let i = 0; i < total; i++) count += valid[i] ?? 0;
  let size = 1;
  while (size < count) size *= 2;
  const mask = size - 1;
  const offsets = new Int32Array(size + 1);
  for (let i = 0; i < total; i++) if (valid[i]) offsets[((hashes[i] ?? 0) & mask) + 1]! += 1;
  for (let b = 0; b < size; b++) offsets[b + 1]! += offsets[b] ?? 0;
  const ids = new Int32Array(count);
  const fill = offsets.slice(0, size);
  for (let i = 0; i < total; i++) if (valid[i]) ids[fill[(hashes[i] ?? 0) & mask]!++] = i;
  sortBuckets(ids, offsets, keys);

  // Entry-ordered copies, so the hot loop reads memory sequentially.
  const entryHash = new Int32Array(count);
  const entryKey = new Float64Array(count);
  const entryExact = new Uint8Array(count);
  for (let e = 0; e < count; e++) {
    const f = ids[e] ?? 0;
    entryHash[e] = hashes[f] ?? 0;
    entryKey[e] = keys[f] ?? 0;
    entryExact[e] = exact[f] ?? 0;
  }

  const starts: number[] = [];
  for (let s = 0, n = 0; s < sources.length; n += sources[s]?.filters.length ?? 0, s++)
    starts.push(n);

  const sourceOf = (fid: number): number => {
    let s = starts.length - 1;
    while (s > 0 && (starts[s] ?? 0) > fid) s--;
    return s;
  };
  const firstId = (source: number): number => starts[source] ?? 0;
  const filterAt = (fid: number): unknown => {
    const s = sourceOf(fid);
    return sources[s]?.filters[fid - (starts[s] ?? 0)];
  };

  // Filters that are not plain host[/path] are re-parsed when hit; a direct-mapped cache
  // keeps the hot ones. A filter that no longer parses (the caller mutated its list) never
  // matches.
  const CACHE = 1024;
  const cacheIds = new Int32Array(CACHE).fill(-1);
  const cacheRules: (Compiled | null)[] = new Array<Compiled | null>(CACHE).fill(null);
  const compiled = (fid: number, filter: unknown): Compiled | null => {
    const slot = fid & (CACHE - 1);
    if (cacheIds[slot] === fid) return cacheRules[slot] ?? null;
    const parsed = typeof filter === 'string' ? parseFilterComponents(filter) : null;
    const allow = sources[sourceOf(fid)]?.allow ?? false;
    const rule = parsed ? toUrlFilterRule(parsed, allow) : null;
    const entry = rule ? { rule, hostKey: filterHostKey(rule) } : null;
    cacheIds[slot] = fid;
    cacheRules[slot] = entry;
    return entry;
  };

  // Filters a delta removed; allocated on the first removal, so a fresh index pays nothing.
  let removed: Uint8Array | null = null;
  const remove = (fid: number): void => {
    if (fid < 0 || fid >= total) return;
    removed ??= new Uint8Array(total);
    removed[fid] = 1;
  };

  /** Scans one bucket for the best verified match better than (bestKey, bestId). */
  let bestId = -1;
  let bestKey = -Infinity;
  const probe = (h: number, full: boolean, u: PreparedUrl): void => {
    const b = h & mask;
    const end = offsets[b + 1] ?? 0;
    for (let e = offsets[b] ?? 0; e < end; e++) {
      if (entryHash[e] !== h) continue;
      const exactEntry = entryExact[e] === 1;
      if (exactEntry && !full) continue;
      const key = entryKey[e] ?? 0;
      if (key < bestKey) return;
      const fid = ids[e] ?? 0;
      // Equal keys: the earlier filter wins (Chromium replaces only on strictly better),
      // except the blocklist `*`, where the later one does.
      if (key === bestKey && (key === WILDCARD_KEY ? fid < bestId : fid > bestId)) return;
      if (removed !== null && removed[fid] === 1) continue;
      const filter = filterAt(fid);
      let matches = typeof filter === 'string' ? plainFilterMatches(filter, exactEntry, u) : false;
      if (matches === undefined) {
        const c = compiled(fid, filter);
        matches = c !== null && filterMatches(c.rule, c.hostKey, u);
      }
      if (matches) {
        bestId = fid;
        bestKey = key;
        return;
      }
    }
  };

  /**
   * Probes the URL's canonical host (`.` + host + `.`) and each of its suffixes that starts
   * with a dot, hashing the host once from its end; the dots canonicalization adds are
   * virtual, so no string is built.
   */
  const lookup = (u: PreparedUrl): number => {
    bestId = -1;
    bestKey = -Infinity;
    const host = u.url.host;
    const n = host.length;
    let h = FNV_OFFSET;
    if (n === 0) {
      probe(Math.imul(h ^ 46, FNV_PRIME), true, u);
      return bestId;
    }
    const leadingDot = host.charCodeAt(0) === 46;
    if (host.charCodeAt(n - 1) !== 46) {
      h = Math.imul(h ^ 46, FNV_PRIME);
      probe(h, false, u);
    }
    for (let i = n - 1; i >= 0; i--) {
      const code = host.charCodeAt(i);
      h = Math.imul(h ^ code, FNV_PRIME);
      if (code === 46) probe(h, i === 0 && leadingDot, u);
    }
    if (!leadingDot) probe(Math.imul(h ^ 46, FNV_PRIME), true, u);
    return bestId;
  };

  const lastKey = (): number => bestKey;
  return { invalid, lookup, sourceOf, firstId, lastKey, remove };
}

/** Sorts each bucket best-first: key descending, then id (ascending; descending for `*`). */
function sortBuckets(ids: Int32Array, offsets: Int32Array, keys: Float64Array): void {
  const better = (a: number, b: number): number => {
    const ka = keys[a] ?? 0;
    const kb = keys[b] ?? 0;
    if (ka !== kb) return kb - ka;
    return ka === WILDCARD_KEY ? b - a : a - b;
  };
  for (let b = 0; b + 1 < offsets.length; b++) {
    const start = offsets[b] ?? 0;
    const end = offsets[b + 1] ?? 0;
    if (end - start < 2) continue;
    if (end - start > 16) {
      ids.subarray(start, end).sort(better);
      continue;
    }
    for (let i = start + 1; i < end; i++) {
      const v = ids[i] ?? 0;
      let j = i - 1;
      while (j >= start && better(ids[j] ?? 0, v) > 0) {
        ids[j + 1] = ids[j] ?? 0;
        j--;
      }
      ids[j + 1] = v;
    }
  }
}
