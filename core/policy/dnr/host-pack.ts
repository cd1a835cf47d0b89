/**
 * The hosts of one packed rule group (same action, priority and urlFilter), kept in the order
 * of a hash of each host rather than list order. Chunks of `maxDomainsPerRule` are cut from
 * that order, so the chunking is a function of the set alone (a full compile and a patched
 * one give the same rules) and an edit early in a list moves no host of an unrelated chunk:
 * adding or removing one host only shifts the chunk borders between it and the group's end,
 * and only in its own group. A chunk whose hosts did not change keeps its array, so callers
 * can cache what they derive from it by identity.
 */
export class HostPack {
  /** Hosts sorted by (hash, host), and their hashes. */
  private hosts: string[] = [];
  private hashes: number[] = [];
  /** How many filters put each host here (a host can come from several filters). */
  private readonly counts = new Map<string, number>();
  private cut: { max: number; chunks: string[][] } | null = null;

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
    this.cut = null;
  }

  add(host: string): void {
    const n = this.counts.get(host);
    this.counts.set(host, (n ?? 0) + 1);
    if (n !== undefined) return;
    const h = hostHash(host);
    const at = this.position(h, host);
    this.hosts.splice(at, 0, host);
    this.hashes.splice(at, 0, h);
    this.cut = null;
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
    this.cut = null;
    return true;
  }

  /**
   * The chunks of this group with `extra` hosts (not already here) added for one compile:
   * unchanged chunks are the previous call's arrays.
   */
  chunks(max: number, extra: readonly string[] = []): string[][] {
    if (extra.length === 0 && this.cut?.max === max) return this.cut.chunks;
    let hosts = this.hosts;
    if (extra.length > 0) {
      const more = sortedByHash(extra);
      hosts = mergeByHash(this.hosts, this.hashes, more.hosts, more.hashes);
    }
    const previous = this.cut?.max === max ? this.cut.chunks : [];
    const chunks = cutChunks(hosts, max, previous);
    if (extra.length === 0) this.cut = { max, chunks };
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

/** Chunks of a host set in hash order, for groups built within one compile. */
export function hashChunks(hosts: Iterable<string>, max: number): string[][] {
  return cutChunks(sortedByHash([...hosts]).hosts, max, []);
}

function cutChunks(
  hosts: readonly string[],
  max: number,
  previous: readonly string[][],
): string[][] {
  const chunks: string[][] = [];
  for (let i = 0, k = 0; i < hosts.length; i += max, k++) {
    const end = Math.min(i + max, hosts.length);
    const old = previous[k];
    chunks.push(old && sameRun(old, hosts, i, end) ? old : hosts.slice(i, end));
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
): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < ah.length && j < bh.length) {
    const a = ak[i] as number;
    const b = bk[j] as number;
    if (a < b || (a === b && (ah[i] as string) < (bh[j] as string))) out.push(ah[i++] as string);
    else out.push(bh[j++] as string);
  }
  while (i < ah.length) out.push(ah[i++] as string);
  while (j < bh.length) out.push(bh[j++] as string);
  return out;
}

/** FNV-1a of the host, unsigned 32 bits. */
export function hostHash(host: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
