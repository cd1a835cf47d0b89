/**
 * A tiny History-API router: no hashes (the hash carries setup tokens and enrollment
 * codes), no dependency. The server's SPA fallback sends every path to index.html.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Loc {
  path: string;
  /** Parsed `?query`. */
  query: URLSearchParams;
  hash: string;
}

const listeners = new Set<() => void>();

function read(): Loc {
  return {
    path: location.pathname.replace(/\/+$/, '') || '/',
    query: new URLSearchParams(location.search),
    hash: location.hash.replace(/^#/, ''),
  };
}

function notify(): void {
  for (const l of [...listeners]) l();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/**
 * Goes to `to` (a path with optional ?query and #hash) without reloading.
 *
 * @example navigate('/admin/policies/p1'); navigate('/audit?kind=navigation', { replace: true });
 */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const here = location.pathname + location.search + location.hash;
  if (to === here) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

/** The current location; re-renders the caller on every navigation. */
export function useLocation(): Loc {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = () => setLoc(read());
    listeners.add(update);
    update(); // a navigation may have happened between render and effect
    return () => void listeners.delete(update);
  }, []);
  return loc;
}
