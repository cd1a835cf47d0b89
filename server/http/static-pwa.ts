import fs from 'node:fs';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from './app-env.ts';

/** The PWA's Content-Security-Policy: same-origin code only, no framing, no inline script. */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Palisade</title>
<h1>Palisade server is running</h1>
<p>The web app is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds first),
then reload. The API is at <code>/api/v1</code>.</p>`;

/**
 * Serves the built PWA (`dist/pwa`) at `/`: files as they are, and `index.html` for app
 * routes (`/setup`, `/enroll`, `/login`, `/admin/…`) so deep links work. Every response
 * carries the CSP. Files are read once and kept in memory (the build is small).
 */
export function servePwa(app: Hono<AppEnv>, pwaDir: string): void {
  const root = path.resolve(pwaDir);
  const cache = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>();
  const load = (rel: string) => {
    const hit = cache.get(rel);
    if (hit) return hit;
    const file = path.resolve(root, '.' + rel);
    let entry = null;
    if (file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      entry = {
        body: new Uint8Array(fs.readFileSync(file)),
        type: TYPES[path.extname(file)] ?? 'application/octet-stream',
      };
    }
    if (entry) cache.set(rel, entry); // misses are not cached: unknown paths must not grow memory
    return entry;
  };

  // skipauth: the PWA's static files are public; the API behind them authorizes
  app.on(['GET', 'HEAD'], '*', (c: Context<AppEnv>) => {
    if (c.req.path.startsWith('/api/'))
      throw new ApiError('not_found', `There is no endpoint ${c.req.method} ${c.req.path}.`);
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (!fs.existsSync(path.join(root, 'index.html'))) return c.html(NOT_BUILT, 200);
    let rel = decodePath(c.req.path);
    if (rel === null) return c.text('Bad path', 400);
    if (rel === '/') rel = '/index.html';
    let file = load(rel);
    // An app route (no file extension) gets the app shell; a missing asset is a real 404.
    if (!file && !path.extname(rel)) file = load('/index.html');
    if (!file) return c.text('Not found', 404);
    const immutable = rel.startsWith('/assets/');
    c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(file.body, 200, { 'Content-Type': file.type });
  });
}

function decodePath(p: string): string | null {
  try {
    const decoded = decodeURIComponent(p);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}
