/**
 * Requests the Node adapter cannot turn into a Fetch Request (a backslash in the path, a
 * Host with an invalid port) or that Node's parser refuses, sent byte for byte over
 * `node:net` to a real listener: every answer under /api/v1 is the documented JSON error.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteKey } from '../../server/auth/access.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';

function raw(
  port: number,
  request: string,
): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (out += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = out.indexOf('\r\n\r\n');
      const headers = out.slice(0, split).toLowerCase();
      let body = out.slice(split + 4);
      if (/transfer-encoding: chunked/.test(headers)) body = dechunk(body);
      resolve({ status: Number(out.slice(9, 12)), headers, body });
    });
  });
}

function dechunk(text: string): string {
  let out = '';
  for (let i = 0; ;) {
    const eol = text.indexOf('\r\n', i);
    const size = parseInt(text.slice(i, eol), 16);
    if (!size) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    i = eol + 4 + size;
  }
}

function expectJsonError(res: { status: number; headers: string; body: string }, label: string) {
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.headers, label).toMatch(/\r\ncontent-type: application\/json/);
  const body = JSON.parse(res.body) as { error: { code: unknown; message: unknown } };
  expect(typeof body.error.code, label).toBe('string');
  expect(typeof body.error.message, label).toBe('string');
}

describe('errors the Node adapter answers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  const routes = (Object.keys(ROUTES) as RouteKey[]).filter((k) => k.includes(' /api/v1/'));

  it.each(routes)('%s with a backslash in the path or an invalid Host port', async (key) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const path = pattern.replace(/:(\w+)/g, 'x1');
    const backslashed = path.replace('/api/v1/', '/api/v1\\');
    const body = method === 'GET' || method === 'DELETE' ? '' : '{}';
    const tail = `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nAuthorization: Bearer not-a-credential\r\nConnection: close\r\n\r\n${body}`;
    for (const [label, request] of [
      ['backslash', `${method} ${backslashed} HTTP/1.1\r\nHost: localhost\r\n${tail}`],
      ['host port', `${method} ${path} HTTP/1.1\r\nHost: localhost:99999\r\n${tail}`],
    ] as const) {
      const res = await raw(server.port, request);
      expectJsonError(res, `${key} (${label}): ${res.status} ${res.body}`);
      expect(res.status).toBe(400);
    }
  });

  it('answers a request Node cannot parse with the JSON error too', async () => {
    const res = await raw(
      server.port,
      'GET /api/v1/groups HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n',
    );
    expectJsonError(res, res.body);
    expect(res.status).toBe(400);
  });
});
