import { ApiError } from './api-error.ts';

export const API_BASE = '/api/v1';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One JSON request to the Palisade API with the session cookie. The browser adds the
 * `Origin` header the server checks on state-changing requests.
 *
 * @example
 * const { user } = await request<{ user: User }>('GET', '/auth/me');
 */
export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  init: { signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: init.signal,
    });
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new ApiError(
      'network',
      'You are offline or the server cannot be reached.',
      0,
      undefined,
      { cause },
    );
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      if (res.ok)
        throw new ApiError(
          'bad_response',
          `The server sent something that is not JSON (HTTP ${res.status}).`,
          res.status,
        );
    }
  }
  if (!res.ok) throw errorFrom(res.status, json);
  return json as T;
}

function errorFrom(status: number, json: unknown): ApiError {
  const e = (
    json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
  )?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return new ApiError(e.code, e.message, status, e.details);
  }
  // A proxy or an old server: still say what happened in words.
  if (status === 401) return new ApiError('unauthenticated', 'Please sign in again.', status);
  if (status === 503 || status === 502 || status === 504) {
    return new ApiError(
      'unavailable',
      'The server is unavailable right now. Try again in a moment.',
      status,
    );
  }
  return new ApiError('http_error', `The server answered HTTP ${status}.`, status);
}

/** Builds `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
