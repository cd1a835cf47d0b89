import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockedNavigation } from './support/audit-events.ts';
import { makeWorld, type World } from './support/world.ts';

/** Splits an RFC 6587 octet-counted stream into messages, checking every length. */
function octetMessages(stream: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < stream.length) {
    const space = stream.indexOf(0x20, at);
    const len = Number(stream.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) throw new Error(`bad frame length at byte ${at}`);
    out.push(stream.subarray(space + 1, space + 1 + len).toString('utf8'));
    at = space + 1 + len;
  }
  return out;
}

/** A self-signed CA and a certificate it issued for 127.0.0.1, made with openssl. */
function makeCerts(dir: string, name: string) {
  const f = (n: string) => path.join(dir, `${name}-${n}`);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  // A fresh P-256 key, unencrypted, and the request (or self-signed certificate) for it.
  const newKey = (key: string, out: string) => [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    f(key),
    '-out',
    f(out),
  ];
  run([
    'req',
    '-x509',
    ...newKey('ca.key', 'ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
  ]);
  run(['req', ...newKey('server.key', 'server.csr'), '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.pem'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  ]);
  return {
    ca: fs.readFileSync(f('ca.pem'), 'utf8'),
    cert: fs.readFileSync(f('server.pem'), 'utf8'),
    key: fs.readFileSync(f('server.key'), 'utf8'),
  };
}

/** A TCP or TLS listener that keeps every byte it is sent. */
async function listen(secure?: { cert: string; key: string }) {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const onSocket = (s: net.Socket) => {
    sockets.add(s);
    s.on('data', (d: Buffer) => received.push(d));
  };
  const server = secure ? tls.createServer(secure, onSocket) : net.createServer(onSocket);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    messages: () => octetMessages(Buffer.concat(received)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy(); // the sender keeps its connection open
      }),
  };
}

describe('syslog destinations', () => {
  let w: World;
  let dir: string;
  beforeEach(async () => {
    w = await makeWorld();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-certs-'));
  });
  afterEach(async () => {
    await w.t.services.siem.stop();
    await w.t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const add = (body: Record<string, unknown>) =>
    w.admin.api.json<{ integration: { id: string } }>('POST', '/api/v1/integrations', {
      kind: 'syslog',
      name: 'SIEM',
      ...body,
    });

  it('sends RFC 5424 messages with CEF payloads, octet-counted, over TCP', async () => {
    const receiver = await listen();
    try {
      await add({
        format: 'cef',
        target: { host: '127.0.0.1', port: receiver.port, facility: 13 },
      });
      await w.device.api.json('POST', '/api/v1/device/audit', {
        events: [blockedNavigation({ url: 'https://example.com/a=b|c', ruleName: 'No | pipes' })],
      });
      await w.t.services.siem.pass();
      const deadline = Date.now() + 5000;
      const navigation = () => receiver.messages().find((m) => m.includes(' navigation - '));
      while (!navigation() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      // The destination's own creation (an admin event) came first: the stream is the trail.
      expect(receiver.messages()[0]).toMatch(/ admin - CEF:0\|.*\|admin:integration\.create\|/);
      const message = navigation();
      // <PRI> = facility 13 × 8 + severity 4 (warning: a BLOCK).
      expect(message).toMatch(
        /^<108>1 2026-11-28T10:00:00\.000Z \S+ palisade - navigation - CEF:0\|Palisade\|Palisade\|1\|navigation\|navigation blocked\|7\|/,
      );
      const ext = message!.slice(message!.indexOf('|7|') + 3);
      expect(ext).toContain('request=https://example.com/a\\=b|c'); // `=` escaped in values
      expect(ext).toContain('cs2=No | pipes cs2Label=ruleName');
      expect(ext).toMatch(/suser=emil@example\.com/);
      expect(ext).toMatch(/cn1=\d+ cn1Label=seq/);
    } finally {
      await receiver.close();
    }
  });

  it('over TLS, trusts only the pinned CA', async () => {
    const good = makeCerts(dir, 'good');
    const other = makeCerts(dir, 'other');
    const receiver = await listen(good);
    try {
      const pinned = await add({
        format: 'json',
        target: { host: '127.0.0.1', port: receiver.port, tls: true, caPem: good.ca },
      });
      const wrong = await add({
        format: 'json',
        target: { host: '127.0.0.1', port: receiver.port, tls: true, caPem: other.ca },
      });
      const system = await add({
        format: 'json',
        target: { host: '127.0.0.1', port: receiver.port, tls: true },
      });
      const test = (id: string) =>
        w.admin.api.json<{ ok: boolean; error: string | null }>(
          'POST',
          `/api/v1/integrations/${id}/test`,
          {},
        );
      expect(await test(pinned.integration.id)).toEqual({ ok: true, error: null });
      expect((await test(wrong.integration.id)).ok).toBe(false);
      // Not in the system store either: a self-signed CA must be pinned to be trusted.
      expect((await test(system.integration.id)).ok).toBe(false);
      const deadline = Date.now() + 5000;
      while (receiver.messages().length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const received = receiver
        .messages()
        .map((m) => JSON.parse(m.slice(m.indexOf('{'))) as { adminAction: string });
      expect(received.map((e) => e.adminAction)).toEqual(['integration.test']);
    } finally {
      await receiver.close();
    }
  });
});
