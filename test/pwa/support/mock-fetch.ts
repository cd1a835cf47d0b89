import { vi } from 'vitest';

export type Route = (req: {
  method: string;
  url: URL;
  body: unknown;
}) => { status?: number; json?: unknown } | undefined;

/**
 * Replaces `fetch` with a table of API answers; anything unanswered is a 404 in the API's
 * error shape, so a test sees what the app would do with an unexpected call. `offline`
 * makes every call fail the way a dropped network does (a TypeError).
 */
export function mockFetch(
  routes: Record<string, Route | { status?: number; json?: unknown }>,
  opts: { offline?: boolean } = {},
) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, path: url.pathname + url.search, body });
    if (opts.offline) throw new TypeError('Failed to fetch');
    const entry = routes[`${method} ${url.pathname}`];
    const answer = typeof entry === 'function' ? entry({ method, url, body }) : entry;
    if (!answer) {
      return new Response(
        JSON.stringify({
          error: { code: 'not_found', message: `no mock for ${method} ${url.pathname}` },
        }),
        { status: 404 },
      );
    }
    return new Response(answer.json === undefined ? '' : JSON.stringify(answer.json), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fn);
  return { calls, fn };
}
