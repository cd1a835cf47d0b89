import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { verifyDeviceCommand } from '../../core/crypto/device-command.ts';
import { EMPTY_NONCE_LOG } from '../../core/crypto/nonce-log.ts';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { subtle } from '../../server/signing-key.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { enrollWithCode, registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.ts';
import { freePort } from '../helpers/start-server.ts';

interface Conn {
  ws: WebSocket;
  messages: { type: string; version?: number }[];
  closed: Promise<{ code: number }>;
  next(type: string, timeoutMs?: number): Promise<{ type: string; version?: number }>;
}

describe('push channel over a real WebSocket', () => {
  let server: RunningServer;
  let base: string;
  let admin: ApiClient;
  let employee: ApiClient;
  let policyId: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-push-'));

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    const config = loadConfig({
      PORT: String(port),
      DATA_DIR: dataDir,
      ORIGIN: base,
      PWA_DIR: dataDir,
      RATE_LIMIT_LOGIN: '0',
    });
    server = await startServer(config, silentLogger, { heartbeatMs: 300, authTimeoutMs: 500 });
    admin = new ApiClient(base);
    await registerWithLink(admin, server.setup!.link, new SoftAuthenticator(), {
      name: 'Ada',
      email: 'ada@example.com',
    });
    const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
      name: 'Staff',
    });
    // One employee opens many connections here; the per-user device limit is not under test.
    await admin.json('PATCH', `/api/v1/groups/${group.id}`, { maxDevicesPerUser: 100 });
    const { enrollmentCode } = await admin.json<{ enrollmentCode: { code: string } }>(
      'POST',
      '/api/v1/enrollment-codes',
      {
        groupId: group.id,
      },
    );
    employee = new ApiClient(base);
    await enrollWithCode(employee, enrollmentCode.code, new SoftAuthenticator(), {
      name: 'Emil',
      email: 'emil@example.com',
    });
    const { policy } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
      document: { name: 'Baseline', urlBlocklist: ['example.com'] },
    });
    policyId = policy.id;
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const newDevice = async () =>
    employee.json<{ device: { id: string }; credential: string }>('POST', '/api/v1/me/devices', {
      name: 'laptop',
      platform: 'linux',
      browser: 'chromium',
    });

  const connect = (): Promise<Conn> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/device/push`);
      const messages: Conn['messages'] = [];
      const waiters: (() => void)[] = [];
      ws.on('message', (data) => {
        messages.push(JSON.parse(data.toString()) as Conn['messages'][number]);
        waiters.splice(0).forEach((w) => w());
      });
      const closed = new Promise<{ code: number }>((r) => ws.on('close', (code) => r({ code })));
      const next: Conn['next'] = (type, timeoutMs = 3000) =>
        new Promise((res, rej) => {
          const start = messages.length;
          const timer = setTimeout(
            () => rej(new Error(`no ${type} message in ${timeoutMs} ms`)),
            timeoutMs,
          );
          const check = () => {
            const found = messages.slice(start).find((m) => m.type === type);
            if (found) {
              clearTimeout(timer);
              res(found);
            } else waiters.push(check);
          };
          waiters.push(check);
        });
      ws.on('open', () => resolve({ ws, messages, closed, next }));
      ws.on('error', reject);
    });

  const authed = async (credential: string) => {
    const conn = await connect();
    const hello = conn.next('hello');
    conn.ws.send(JSON.stringify({ type: 'auth', credential }));
    return { conn, hello: await hello };
  };

  it('says hello, pings, and pushes a publish with its signed envelope', async () => {
    const { credential } = await newDevice();
    const { conn, hello } = await authed(credential);
    expect(hello.version).toBe(0);
    await conn.next('ping');
    const pushed = conn.next('policy');
    const { version } = await admin.json<{ version: number }>(
      'POST',
      `/api/v1/policies/${policyId}/publish`,
    );
    const message = (await pushed) as unknown as { etag: string; envelope: { payload: string } };
    expect(message).toMatchObject({ type: 'policy', version, etag: expect.any(String) });
    // The same envelope, byte for byte, as the device would fetch.
    const fetched = await fetch(`${base}/api/v1/device/policy`, {
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(fetched.headers.get('etag')).toBe(message.etag);
    expect(message.envelope).toEqual(await fetched.json());
    expect(JSON.parse(message.envelope.payload)).toMatchObject({ v: 1, version });
    conn.ws.close();
  });

  it('fans out to every connected device of the group', async () => {
    const devices = await Promise.all(Array.from({ length: 20 }, () => newDevice()));
    const conns = await Promise.all(devices.map((d) => authed(d.credential)));
    const all = conns.map((c) => c.conn.next('policy'));
    const { version } = await admin.json<{ version: number }>(
      'POST',
      `/api/v1/policies/${policyId}/publish`,
    );
    const got = await Promise.all(all);
    expect(got.every((m) => m.version === version)).toBe(true);
    expect(server.hub.size).toBeGreaterThanOrEqual(20);
    conns.forEach((c) => c.conn.ws.close());
  });

  it('closes 4401 on a bad credential or no auth in time', async () => {
    const bad = await connect();
    bad.ws.send(JSON.stringify({ type: 'auth', credential: 'nope' }));
    expect((await bad.closed).code).toBe(4401);
    const silent = await connect();
    expect((await silent.closed).code).toBe(4401);
  });

  const pinned = async () =>
    new ApiClient(base).json<{ keyId: string; jwk: Record<string, string> }>(
      'GET',
      '/api/v1/public-key',
    );
  const check = async (frame: unknown, deviceId: string) =>
    verifyDeviceCommand(subtle, (frame as { command: unknown }).command, {
      pinned: await pinned(),
      deviceId,
      now: Date.now(),
      seen: EMPTY_NONCE_LOG,
    });

  it('sends a revoked device the signed revoke command and closes 4403, then refuses it', async () => {
    const { device, credential } = await newDevice();
    const { conn } = await authed(credential);
    const command = conn.next('command');
    await admin.json('POST', `/api/v1/devices/${device.id}/revoke`);
    expect(await check(await command, device.id)).toMatchObject({
      ok: true,
      command: { command: 'revoke', deviceId: device.id },
    });
    expect((await conn.closed).code).toBe(4403);
    const again = await connect();
    again.ws.send(JSON.stringify({ type: 'auth', credential }));
    expect((await again.closed).code).toBe(4403);
  });

  it('sends a device the signed wipe command, on the open socket and on the next connection', async () => {
    const { device, credential } = await newDevice();
    const { conn } = await authed(credential);
    const wipe = conn.next('command');
    await admin.json('POST', `/api/v1/devices/${device.id}/wipe`);
    expect(await check(await wipe, device.id)).toMatchObject({
      ok: true,
      command: { command: 'wipe', deviceId: device.id },
    });
    const later = await connect();
    const again = later.next('command');
    later.ws.send(JSON.stringify({ type: 'auth', credential }));
    expect(await check(await again, device.id)).toMatchObject({ ok: true });
    later.ws.close();
    // Its next policy fetch completes the wipe and the socket is closed.
    const res = await new ApiClient(base, { bearer: credential }).get('/api/v1/device/policy');
    expect(res.status).toBe(410);
    expect((await conn.closed).code).toBe(4403);
  });

  it('reaches every socket of a device that holds several, and the last one left', async () => {
    const wiped = await newDevice();
    const [a, b] = await Promise.all([authed(wiped.credential), authed(wiped.credential)]);
    const both = [a!.conn.next('command'), b!.conn.next('command')];
    await admin.json('POST', `/api/v1/devices/${wiped.device.id}/wipe`);
    for (const frame of await Promise.all(both)) {
      expect(await check(frame, wiped.device.id)).toMatchObject({
        ok: true,
        command: { command: 'wipe' },
      });
    }
    a!.conn.ws.close();
    b!.conn.ws.close();

    const revoked = await newDevice();
    const [c, d] = await Promise.all([authed(revoked.credential), authed(revoked.credential)]);
    const before = server.hub.size;
    c!.conn.ws.close();
    await c!.conn.closed;
    await expect.poll(() => server.hub.size).toBe(before - 1);
    const command = d!.conn.next('command');
    await admin.json('POST', `/api/v1/devices/${revoked.device.id}/revoke`);
    expect(await check(await command, revoked.device.id)).toMatchObject({
      ok: true,
      command: { command: 'revoke' },
    });
    expect((await d!.conn.closed).code).toBe(4403);
  });

  it('moves a device with a signed move, then the new group’s envelope, re-signed above every version', async () => {
    const { device, credential } = await newDevice();
    const { conn, hello } = await authed(credential);
    const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
      name: 'Strict',
    });
    const command = conn.next('command');
    const policy = conn.next('policy');
    const { user } = await employee.json<{ user: { id: string } }>('GET', '/api/v1/auth/me');
    await admin.json('PATCH', `/api/v1/users/${user.id}`, { groupId: group.id });
    const move = await check(await command, device.id);
    expect(move).toMatchObject({ ok: true, command: { command: 'move', groupId: group.id } });
    const version = move.ok ? move.command.version! : -1;
    expect(version).toBeGreaterThan(hello.version!);
    const frame = (await policy) as unknown as { version: number; envelope: { payload: string } };
    expect(frame.version).toBe(version);
    expect(JSON.parse(frame.envelope.payload)).toMatchObject({ groupId: group.id, version });
    conn.ws.close();
  });

  it('measures connections, fan-outs and the fast path in /metrics', async () => {
    const scrape = async () => parsePrometheusText(await (await fetch(`${base}/metrics`)).text());
    // Room for one more device in whatever group the employee is in now.
    const { user } = await employee.json<{ user: { groupId: string } }>('GET', '/api/v1/auth/me');
    await admin.json('PATCH', `/api/v1/groups/${user.groupId}`, { maxDevicesPerUser: 100 });
    const before = await scrape();
    const { credential } = await newDevice();
    const { conn } = await authed(credential);
    const pushed = conn.next('policy');
    await admin.json('POST', `/api/v1/policies/${policyId}/publish`);
    const { etag } = (await pushed) as unknown as { etag: string };
    // Answered by the Node fast path, before the app.
    const unchanged = await fetch(`${base}/api/v1/device/policy`, {
      headers: { authorization: `Bearer ${credential}`, 'if-none-match': etag },
    });
    expect(unchanged.status).toBe(304);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
    expect(sampleValue(after, 'palisade_push_connections')).toBeGreaterThanOrEqual(1);
    expect(delta('palisade_push_fanout_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(delta('palisade_push_fanout_sockets_sum')).toBeGreaterThanOrEqual(1);
    expect(delta('palisade_push_messages_total')).toBeGreaterThanOrEqual(2); // hello, policy
    expect(delta('palisade_policy_publishes_total')).toBe(1);
    const fastPath = { method: 'GET', route: '/api/v1/device/policy', status: '304' };
    expect(delta('palisade_http_request_duration_seconds_count', fastPath)).toBe(1);
    conn.ws.close();
  });
});
