/**
 * Deterministic, realistic URL filter lists and URL streams for the URL-match benchmark
 * (and the 1M-filter DNR limits test). Shapes follow what large enterprise lists look like:
 * mostly bare domains, then domains with paths, a few exact hosts, scheme-restricted
 * filters, queries, IPs, ports and scheme wildcards; about 10% of filters are allowlist.
 */

/** mulberry32: a small seeded PRNG, so every run sees the same lists. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TLDS = ['com', 'com', 'com', 'net', 'org', 'io', 'de', 'co.uk', 'fr', 'ru', 'info', 'app'];
const SUBS = ['www', 'mail', 'docs', 'api', 'cdn', 'login', 'static', 'm', 'shop', 'news'];
const WORDS = [
  'video',
  'play',
  'news',
  'shop',
  'mail',
  'cloud',
  'game',
  'bet',
  'chat',
  'file',
  'tube',
  'social',
];
const PATHS = [
  '/watch',
  '/login',
  '/admin',
  '/files/',
  '/api/v1',
  '/games',
  '/chat',
  '/share',
  '/drive/u/0',
  '/r/',
];

export interface Generated {
  blocklist: string[];
  allowlist: string[];
  /** URLs: about half built from filters (hits), half from unrelated hosts. */
  urls: string[];
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

function domain(r: () => number, i: number): string {
  const word = pick(r, WORDS);
  return `${word}${i.toString(36)}.${pick(r, TLDS)}`;
}

function blockFilter(r: () => number, i: number): string {
  const d = domain(r, i);
  const x = r();
  if (x < 0.7) return d;
  if (x < 0.8) return `${pick(r, SUBS)}.${d}`;
  if (x < 0.92) return `${d}${pick(r, PATHS)}${r() < 0.3 ? (i % 97).toString() : ''}`;
  if (x < 0.94) return `.${d}`;
  if (x < 0.96) return `${r() < 0.7 ? 'https' : 'http'}://${d}${r() < 0.5 ? pick(r, PATHS) : ''}`;
  if (x < 0.97) return `${d}/watch?v=${i.toString(36)}`;
  if (x < 0.975) return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  if (x < 0.98) return `${d}:8080`;
  if (x < 0.99) return `${d}/${pick(r, WORDS)}`;
  return `*.${d}`;
}

function allowFilter(r: () => number, i: number): string {
  const d = domain(r, i);
  const x = r();
  if (x < 0.5) return `${pick(r, SUBS)}.${d}`;
  if (x < 0.8) return `${d}${pick(r, PATHS)}`;
  if (x < 0.9) return `.${pick(r, SUBS)}.${d}`;
  if (x < 0.95) return `${d}/watch?v=${i.toString(36)}`;
  return `https://${d}`;
}

/** A URL that the filter `f` (a domain-ish filter) plausibly matches. */
function hitUrl(r: () => number, f: string): string {
  let rest = f.replace(/^\*\./, '');
  let scheme = r() < 0.8 ? 'https' : 'http';
  const m = /^(https?):\/\/(.*)$/.exec(rest);
  if (m) {
    scheme = m[1] as string;
    rest = m[2] as string;
  }
  const exact = rest.startsWith('.');
  if (exact) rest = rest.slice(1);
  const slash = rest.search(/[/?]/);
  const host = slash === -1 ? rest : rest.slice(0, slash);
  let tail = slash === -1 ? '/' : rest.slice(slash);
  if (tail.startsWith('?')) tail = '/' + tail;
  const sub = !exact && r() < 0.4 ? `${pick(r, SUBS)}.` : '';
  const more = tail.includes('?')
    ? ''
    : r() < 0.5
      ? `${pick(r, WORDS)}/${Math.floor(r() * 1000)}`
      : '';
  const sep = tail.endsWith('/') || more === '' ? '' : '/';
  return `${scheme}://${sub}${host}${tail}${sep}${more}`;
}

/** `filters` filters (≈10% allowlist) and `urls` URLs, deterministic for a seed. */
export function generateFilters(filters: number, urls: number, seed = 1): Generated {
  const r = rng(seed);
  const blocklist: string[] = ['javascript:*', 'data:*', 'file://*', 'ftp://*'];
  const allowlist: string[] = [];
  for (let i = blocklist.length; i < filters; i++) {
    if (r() < 0.1) allowlist.push(allowFilter(r, i));
    else blocklist.push(blockFilter(r, i));
  }
  const out: string[] = [];
  for (let i = 0; i < urls; i++) {
    const x = r();
    if (x < 0.5) {
      const list = r() < 0.8 || allowlist.length === 0 ? blocklist : allowlist;
      out.push(hitUrl(r, pick(r, list)));
    } else if (x < 0.98) {
      out.push(`https://${pick(r, SUBS)}.${domain(r, 5_000_000 + i)}/${pick(r, WORDS)}?id=${i}`);
    } else {
      out.push(
        pick(r, [
          'javascript:void(0)',
          'data:text/html,hi',
          'blob:https://a.com/1',
          'chrome://settings',
        ]),
      );
    }
  }
  return { blocklist, allowlist, urls: out };
}
