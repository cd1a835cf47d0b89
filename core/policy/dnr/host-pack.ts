/**
 * The hosts of one packed rule group (same action, priority and urlFilter), kept in the order
 * of a hash of each host rather than list order. Chunks of `maxDomainsPerRule` are cut from
 * that order by hash range, so the chunking is a function of the set alone (a full compile
 * and a patched one give the same rules) and adding or removing a host changes its own chunk
 * only (unless the group's chunk count changes, once per ~19,000 hosts at 20,000 a rule). A chunk whose hosts did not change keeps its array, so callers
 * can cache what they derive from it by identity.
 */
export class HostPack {
  /** Hosts sorted by (hash, host), and their hashes. */
  private hosts: string[] = [];
  private hashes: number[] = [];
  /** How many filters put each host here (a host can come from several filters). */
  private readonly counts = new Map<string, number>();
  private cut: { max: number; chunks: string[][] } | null = null;
  /** The hosts changed since `cut` (which is kept to hand out its unchanged arrays). */
  private dirty = true;
  /** The last chunks cut with extra hosts (kept so unchanged ones keep their arrays). */
  private extraCut: { max: number; chunks: string[][] } | null = null;

  get size(): number {
    return this.hosts.length;
  }

  has(host: string): boolean {
    return this.counts.has(host);
  }

  /** Adds during a bulk load; `seal` sorts them once. */
  load(host: string): void {
    const n = this.counts.get(host);
    this.counts.set(host, (n ?? 0) + 1);
    if (n === undefined) this.hosts.push(host);
  }

  seal(): void {
    const order = sortedByHash(this.hosts);
    this.hosts = order.hosts;
    this.hashes = order.hashes;
    this.dirty = true;
  }

  add(host: string): void {
    const n = this.counts.get(host);
    this.counts.set(host, (n ?? 0) + 1);
    if (n !== undefined) return;
    const h = hostHash(host);
    const at = this.position(h, host);
    this.hosts.splice(at, 0, host);
    this.hashes.splice(at, 0, h);
    this.dirty = true;
  }

  /** Removes one filter's host; false when it was not here. */
  remove(host: string): boolean {
    const n = this.counts.get(host);
    if (n === undefined) return false;
    if (n > 1) {
      this.counts.set(host, n - 1);
      return true;
    }
    this.counts.delete(host);
    const at = this.position(hostHash(host), host);
    this.hosts.splice(at, 1);
    this.hashes.splice(at, 1);
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
    let hashes = this.hashes;
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
  hashes: readonly number[] = hosts.map(hostHash),
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

function sortedByHash(hosts: readonly string[]): { hosts: string[]; hashes: number[] } {
  const hashes = hosts.map(hostHash);
  const order = hosts.map((_, i) => i);
  order.sort((x, y) => {
    const d = (hashes[x] as number) - (hashes[y] as number);
    if (d !== 0) return d;
    const hx = hosts[x] as string;
    const hy = hosts[y] as string;
    return hx < hy ? -1 : hx > hy ? 1 : 0;
  });
  return {
    hosts: order.map((i) => hosts[i] as string),
    hashes: order.map((i) => hashes[i] as number),
  };
}

function mergeByHash(
  ah: readonly string[],
  ak: readonly number[],
  bh: readonly string[],
  bk: readonly number[],
): [string[], number[]] {
  const out: string[] = [];
  const keys: number[] = [];
  let i = 0;
  let j = 0;
  while (i < ah.length || j < bh.length) {
    const a = ak[i];
    const b = bk[j];
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
