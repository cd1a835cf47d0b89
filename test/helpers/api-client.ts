/**
 * A small fetch client for tests that behaves like the PWA in a browser: it keeps the
 * session cookie between requests and sends the `Origin` header the server checks on
 * state-changing requests. Pass `fetch` to run against `app.request` instead of a socket.
 *
 * @example
 * const api = new ApiClient('http://localhost:8787');
 * const res = await api.post('/api/v1/auth/login/options', {});
 * const options = await res.json();
 */
import { checkAgainstContract } from './contract-check.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Origin header for state-changing requests (default: the base URL's origin); null sends none. */
  origin?: string | null;
  fetch?: FetchLike;
  /** Sent as `Authorization: Bearer …` (device endpoints). */
  bearer?: string;
  /** Check each API answer against its response schema in contract/ (default true). */
  checkContract?: boolean;
}

export class ApiClient {
  readonly cookies = new Map<string, string>();
  private readonly fetcher: FetchLike;
  origin: string | null;
  bearer: string | undefined;
  private readonly checkContract: boolean;

  constructor(
    readonly baseUrl: string,
    opts: ApiClientOptions = {},
  ) {
    this.fetcher = opts.fetch ?? ((url, init) => fetch(url, init));
    this.origin = opts.origin === undefined ? new URL(baseUrl).origin : opts.origin;
    this.bearer = opts.bearer;
    this.checkContract = opts.checkContract ?? true;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.origin && !['GET', 'HEAD'].includes(method)) h.origin = this.origin;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const url = new URL(path, this.baseUrl).toString();
    const res = await this.fetcher(url, { method, headers: h, body: payload });
    this.keepCookies(res);
    // Every server test that calls through here checks the answer against contract/.
    if (this.checkContract) await checkAgainstContract(method, url, res);
    return res;
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
  put(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PUT', path, body, headers);
  }
  patch(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', path, body, headers);
  }
  delete(path: string, headers?: Record<string, string>) {
    return this.request('DELETE', path, undefined, headers);
  }

  /** `request` + JSON body, throwing with the server's error when the status is not 2xx. */
  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
