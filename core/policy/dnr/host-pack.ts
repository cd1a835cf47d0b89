/**
 * The hosts of one packed rule group (same action, priority and urlFilter), kept in the order
 * of a hash of each host rather than list order. Chunks of `maxDomainsPerRule` are cut from
 * that order by hash range, so the chunking is a function of the set alone (a full compile
 * and a patched one give the same rules) and adding or removing a host changes its own chunk
 * only (unless the group's chunk count changes, once per ~19,000 hosts at 20,000 a rule). A chunk whose hosts did not change keeps its array, so callers
 * can cache what they derive from it by identity.
 */
export class HostPack {
  /** Distinct hosts sorted by (hash, host), and their hashes (`hashes` may have spare room). */
  private hosts: string[] = [];
  private hashes = new Uint32Array(0);
  /**
   * Hosts put here by more than one filter, with how many more: a Map of every host would
   * cost tens of MB at a million filters, and duplicates are rare.
   */
  private readonly extraFilters = new Map<string, number>();
  /** Hosts queued by `load` (duplicates included) until `seal`. */
  private loaded: string[] = [];
  /** How many filters put a host here (duplicates counted). */
  filters = 0;
  private cut: { max: number; chunks: string[][] } | null = null;
  /** The hosts changed since `cut` (which is kept to hand out its unchanged arrays). */
  private dirty = true;
  /** The last chunks cut with extra hosts (kept so unchanged ones keep their arrays). */
  private extraCut: { max: number; chunks: string[][] } | null = null;

  get size(): number {
    return this.hosts.length;
  }

  has(host: string): boolean {
    const at = this.position(hostHash(host), host);
    return this.hosts[at] === host;
  }

  /** Adds during a bulk load; `seal` sorts them once. */
  load(host: string): void {
    this.loaded.push(host);
    this.filters++;
  }

  seal(): void {
    const all = this.hosts.concat(this.loaded);
    this.loaded = [];
    const order = sortedByHash(all);
    const hosts: string[] = [];
    const hashes = new Uint32Array(order.hosts.length);
    this.extraFilters.clear();
    let last: string | undefined;
    for (let i = 0; i < order.hosts.length; i++) {
      const host = order.hosts[i] as string;
      if (host === last) {
        this.extraFilters.set(host, (this.extraFilters.get(host) ?? 0) + 1);
        continue;
      }
      hashes[hosts.length] = order.hashes[i] as number;
      hosts.push(host);
      last = host;
    }
    this.hosts = hosts;
    this.hashes = hashes;
    this.dirty = true;
  }

  add(host: string): void {
    this.filters++;
    const h = hostHash(host);
    const at = this.position(h, host);
    if (this.hosts[at] === host) {
      this.extraFilters.set(host, (this.extraFilters.get(host) ?? 0) + 1);
      return;
    }
    const n = this.hosts.length;
    if (n === this.hashes.length) {
      const grown = new Uint32Array(Math.max(16, n * 2));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes.copyWithin(at + 1, at, n);
    this.hashes[at] = h;
    this.hosts.splice(at, 0, host);
    this.dirty = true;
  }

  /** Removes one filter's host; false when it was not here. */
  remove(host: string): boolean {
    const at = this.position(hostHash(host), host);
    if (this.hosts[at] !== host) return false;
    this.filters--;
    const more = this.extraFilters.get(host);
    if (more !== undefined) {
      if (more > 1) this.extraFilters.set(host, more - 1);
      else this.extraFilters.delete(host);
      return true;
    }
    this.hashes.copyWithin(at, at + 1, this.hosts.length);
    this.hosts.splice(at, 1);
    this.dirty = true;
    return true;
  }

  /**
   * The chunks of this group with `extra` hosts (not already here) added for one compile:
   * unchanged chunks are the previous call's arrays.
   */
  chunks(max: number, extra: readonly string[] = []): string[][] {
    if (extra.length === 0 && !this.dirty && this.cut?.max === max) return this.cut.chunks;
    let hosts = this.hosts;
    let hashes: ArrayLike<number> = this.hashes;
    if (extra.length > 0) {
      const more = sortedByHash(extra);
      [hosts, hashes] = mergeByHash(this.hosts, this.hashes, more.hosts, more.hashes);
    }
    const last = extra.length === 0 ? this.cut : (this.extraCut ?? this.cut);
    const chunks = cutChunks(hosts, max, last?.max === max ? last.chunks : [], hashes);
    if (extra.length === 0) {
      this.cut = { max, chunks };
      this.dirty = false;
    } else this.extraCut = { max, chunks };
    return chunks;
  }

  private position(h: number, host: string): number {
    let lo = 0;
    let hi = this.hosts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const mh = this.hashes[mid] as number;
      if (mh < h || (mh === h && (this.hosts[mid] as string) < host)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Chunks of a host set in hash order, for groups built within one compile; a chunk equal to
 * one of `previous` (the same group's last chunks) is that array.
 */
export function hashChunks(
  hosts: Iterable<string>,
  max: number,
  previous: readonly string[][] = [],
): string[][] {
  const sorted = sortedByHash([...hosts]);
  return cutChunks(sorted.hosts, max, previous, sorted.hashes);
}

/**
 * How many rules a group of `n` hosts takes: chunks are filled to a twentieth below
 * `max`, so that cutting by hash range (below) practically never overflows one.
 */
export function chunkCount(n: number, max: number): number {
  return Math.ceil(n / (max - Math.floor(max / 20)));
}

/**
 * Cuts hosts in hash order into `chunkCount` chunks by hash range (chunk k holds the hashes
 * in the k-th of equal ranges), so a host added or removed changes its own chunk only; if a
 * range holds more than `max` hosts, the group is cut into equal runs instead. Either way
 * the result depends on the set alone. A chunk equal to one of `previous` is that array.
 */
function cutChunks(
  hosts: readonly string[],
  max: number,
  previous: readonly string[][],
  hashes: ArrayLike<number> = hosts.map(hostHash),
): string[][] {
  const k = chunkCount(hosts.length, max);
  const bounds: number[] = [0];
  let i = 0;
  for (let c = 1; c < k; c++) {
    const limit = Math.floor((c * 2 ** 32) / k);
    while (i < hosts.length && (hashes[i] as number) < limit) i++;
    bounds.push(i);
  }
  bounds.push(hosts.length);
  let fits = true;
  for (let c = 0; c < k && fits; c++)
    fits = (bounds[c + 1] as number) - (bounds[c] as number) <= max;
  if (!fits) for (let c = 1; c < k; c++) bounds[c] = Math.floor((c * hosts.length) / k);
  const byFirst = new Map<string, string[]>();
  for (const old of previous) if (old.length > 0) byFirst.set(old[0] as string, old);
  const chunks: string[][] = [];
  for (let c = 0; c < k; c++) {
    const from = bounds[c] as number;
    const to = bounds[c + 1] as number;
    const old = byFirst.get(hosts[from] as string);
    chunks.push(old && sameRun(old, hosts, from, to) ? old : hosts.slice(from, to));
  }
  return chunks;
}

function sameRun(
  chunk: readonly string[],
  hosts: readonly string[],
  from: number,
  to: number,
): boolean {
  if (chunk.length !== to - from) return false;
  for (let i = from; i < to; i++) if (chunk[i - from] !== hosts[i]) return false;
  return true;
}

/** Index bits below the hash in a sort key: a float64 holds 32 + 21 bits exactly. */
const INDEX_BITS = 2 ** 21;

/**
 * Hosts sorted by (hash, host). Each key is hash × 2^21 + index in one Float64Array, so the
 * engine's native numeric sort does the work (a comparator sort of a million hosts takes
 * seconds); equal hashes, a few dozen at a million hosts, are then put in host order.
 */
function sortedByHash(hosts: readonly string[]): { hosts: string[]; hashes: Uint32Array } {
  const n = hosts.length;
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) hashes[i] = hostHash(hosts[i] as string);
  let order: ArrayLike<number>;
  if (n <= INDEX_BITS) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (hashes[i] as number) * INDEX_BITS + i;
    keys.sort();
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = (keys[i] as number) % INDEX_BITS;
    order = idx;
  } else {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((x, y) => (hashes[x] as number) - (hashes[y] as number) || x - y);
    order = idx;
  }
  const outHosts = new Array<string>(n);
  const outHashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const at = order[i] as number;
    outHosts[i] = hosts[at] as string;
    outHashes[i] = hashes[at] as number;
  }
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && outHashes[j] === outHashes[i]) j++;
    if (j - i > 1) {
      const run = outHosts.slice(i, j).sort();
      for (let k = i; k < j; k++) outHosts[k] = run[k - i] as string;
    }
    i = j;
  }
  return { hosts: outHosts, hashes: outHashes };
}

function mergeByHash(
  ah: readonly string[],
  ak: ArrayLike<number>,
  bh: readonly string[],
  bk: ArrayLike<number>,
): [string[], number[]] {
  const out: string[] = [];
  const keys: number[] = [];
  let i = 0;
  let j = 0;
  while (i < ah.length || j < bh.length) {
    const a = i < ah.length ? ak[i] : undefined;
    const b = j < bh.length ? bk[j] : undefined;
    if (
      b === undefined ||
      (a !== undefined && (a < b || (a === b && (ah[i] as string) < (bh[j] as string))))
    ) {
      out.push(ah[i++] as string);
      keys.push(a as number);
    } else {
      out.push(bh[j++] as string);
      keys.push(b);
    }
  }
  return [out, keys];
}

/** FNV-1a of the host, unsigned 32 bits. */
export function hostHash(host: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
