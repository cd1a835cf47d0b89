import type { HttpsOnly } from '../../core/policy/types.ts';

export interface HttpsOnlyHit {
  mode: HttpsOnly['mode'];
  host: string;
}

/**
 * Which `httpsOnly` entry covers a plain-http URL, if any. Hosts follow the URL filter
 * convention: `example.com` covers its subdomains, `.example.com` only itself.
 *
 * @example
 * buildHttpsOnly({ hosts: ['corp.test'], mode: 'block' }).match('http://a.corp.test/')
 * // → { mode: 'block', host: 'corp.test' }
 */
export function buildHttpsOnly(config: HttpsOnly): { match(url: string): HttpsOnlyHit | null } {
  const exact = new Set<string>();
  const suffix = new Set<string>();
  for (const raw of config.hosts) {
    const h = raw.toLowerCase();
    if (h.startsWith('.')) exact.add(h.slice(1));
    else suffix.add(h);
  }
  return {
    match(url) {
      let host: string;
      try {
        const u = new URL(url);
        if (u.protocol !== 'http:') return null;
        host = u.hostname.toLowerCase();
      } catch {
        return null;
      }
      if (exact.has(host)) return { mode: config.mode, host: `.${host}` };
      for (let h = host; h; h = h.slice(h.indexOf('.') + 1 || h.length)) {
        if (suffix.has(h)) return { mode: config.mode, host: h };
        if (!h.includes('.')) break;
      }
      return null;
    },
  };
}
