import type { Duplex } from 'node:stream';
import { RequestError } from '@hono/node-server';
import { errorBody, type ErrorCode } from '../errors.ts';

const HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/**
 * What @hono/node-server answers when it cannot turn a Node request into a Fetch
 * `Request` — a backslash in the path (`/api/v1\auth/…`), a `Host` with an invalid port
 * (`localhost:99999`) — or when the app itself throws past `onError`. Without this the
 * adapter sends a bare 400 with no body and no content type; clients of `/api/v1` are
 * promised the `{ "error": { "code", "message" } }` JSON body for every error.
 */
export function adapterErrorResponse(err: unknown): Response {
  if (err instanceof RequestError) {
    return json(400, 'bad_request', `The request cannot be read: ${err.message}.`);
  }
  return json(500, 'internal', 'Something went wrong on the server; it has been logged.');
}

/**
 * Node's own HTTP parser errors (a malformed request line or header) happen before any
 * request exists; Node would write a bare `400 Bad Request`. The same JSON error instead.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node's own handler: nothing can be written once a response on this socket has
  // started (`_httpMessage` is the response in flight, which Node does not expose otherwise).
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || err.code === 'ECONNRESET' || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(
    errorBody('bad_request', `The request cannot be parsed as HTTP (${err.code ?? 'error'}).`),
  );
  const head = Object.entries({ ...HEADERS, 'content-length': Buffer.byteLength(body) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 400 Bad Request\r\n${head}connection: close\r\n\r\n${body}`);
}

function json(status: 400 | 500, code: ErrorCode, message: string): Response {
  return new Response(JSON.stringify(errorBody(code, message)), { status, headers: HEADERS });
}
