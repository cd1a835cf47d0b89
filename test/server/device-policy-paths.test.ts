/**
 * `GET /api/v1/device/policy` has two ways in: the Node fast path, which answers the plain
 * cases before Hono, and the app's route. Both listen here over the same services — the
 * real server, and the same app behind a plain @hono/node-server listener with no fast
 * path — and every case must get the same status, headers and body from each.
 */
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { checkResponse } from '../helpers/contract-check.ts';
import { registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { freePort } from '../helpers/start-server.ts';
import { enrollDevice } from '../helpers/enroll-device.ts';

/** Headers that differ between any two answers (time, connection handling). */
const VARYING = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One answer of either path; a 200 is checked against its schema in contract/. */
async function answer(base: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${base}/api/v1/device/policy`, { headers });
  const body = await res.text();
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 200) checkResponse('GET /api/v1/device/policy', 200, JSON.parse(body), type);
  return {
    status: res.status,
    headers: Object.fromEntries([...res.headers].filter(([k]) => !VARYING.has(k))),
    body,
  };
}

describe('the device-policy fast path and the route answer alike', () => {
  let server: RunningServer;
  let appOnly: Server;
  let fast: string;
  let slow: string;
  let admin: ApiClient;
  let code: string;
  let emptyGroupCode: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-policy-paths-'));

  const enroll = (enrollmentCode = code) => enrollDevice(fast, enrollmentCode);
  const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

  beforeAll(async () => {
    const port = await freePort();
    fast = `http://localhost:${port}`;
    server = await startServer(
      loadConfig({ PORT: String(port), DATA_DIR: dataDir, ORIGIN: fast, PWA_DIR: dataDir }),
      silentLogger,
    );
    appOnly = createServer(getRequestListener(createApp({ services: server.services }).fetch));
    await new Promise<void>((resolve) => appOnly.listen(0, '127.0.0.1', resolve));
    slow = `http://127.0.0.1:${(appOnly.address() as AddressInfo).port}`;

    admin = new ApiClient(fast);
    await registerWithLink(admin, server.setup!.link, new SoftAuthenticator(), {
      name: 'A',
      email: 'a@corp.test',
    });
    const codeFor = async (name: string) => {
      const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
        name,
        maxDevicesPerUser: 100,
      });
      const { enrollmentCode } = await admin.json<{ enrollmentCode: { code: string } }>(
        'POST',
        '/api/v1/enrollment-codes',
        { groupId: group.id },
      );
      return enrollmentCode.code;
    };
    code = await codeFor('staff');
    const { policy } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
      document: { name: 'P', urlBlocklist: ['a.test'] },
    });
    await admin.json('POST', `/api/v1/policies/${policy.id}/publish`);
    emptyGroupCode = await codeFor('later');
  });

  afterAll(async () => {
    await new Promise((resolve) => appOnly?.close(resolve));
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers an active device alike, whatever its If-None-Match', async () => {
    const { credential } = await enroll();
    const first = await answer(fast, bearer(credential));
    expect(first.status).toBe(200);
    const etag = first.headers.etag!;
    const cases: Record<string, string>[] = [
      {},
      { 'if-none-match': etag },
      { 'if-none-match': `W/${etag}` },
      { 'if-none-match': `"other", ${etag}` },
      { 'if-none-match': '*' },
      { 'if-none-match': '"stale"' },
      { 'if-none-match': '' },
    ];
    const statuses: number[] = [];
    for (const extra of cases) {
      const headers = { ...bearer(credential), ...extra };
      const viaFastPath = await answer(fast, headers);
      expect(await answer(slow, headers), JSON.stringify(extra)).toEqual(viaFastPath);
      statuses.push(viaFastPath.status);
    }
    expect(statuses).toEqual([200, 304, 304, 304, 304, 200, 200]);
  });

  it('answers a missing, malformed or unknown credential alike', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Basic YTpi' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${'x'.repeat(200)}` },
    ];
    for (const headers of cases) {
      const viaFastPath = await answer(fast, headers);
      expect(viaFastPath.status, JSON.stringify(headers)).toBe(401);
      expect(await answer(slow, headers), JSON.stringify(headers)).toEqual(viaFastPath);
    }
  });

  it('answers a revoked device alike', async () => {
    const { deviceId, credential } = await enroll();
    await answer(fast, bearer(credential)); // now held in the credential index
    await admin.json('POST', `/api/v1/devices/${deviceId}/revoke`);
    const viaFastPath = await answer(fast, bearer(credential));
    expect(viaFastPath.status).toBe(401);
    expect(viaFastPath.body).toContain('device_revoked');
    expect(await answer(slow, bearer(credential))).toEqual(viaFastPath);
  });

  it('answers a wipe pending alike: 410 once, then 401', async () => {
    // A wipe completes at the first answer, so each path gets a device of its own.
    const answers: Answer[][] = [];
    for (const base of [fast, slow]) {
      const { deviceId, credential } = await enroll();
      await answer(base, bearer(credential));
      await admin.json('POST', `/api/v1/devices/${deviceId}/wipe`);
      answers.push([
        await answer(base, bearer(credential)),
        await answer(base, bearer(credential)),
      ]);
    }
    expect(answers[0]!.map((a) => a.status)).toEqual([410, 401]);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('answers a device whose group has no signed policy yet alike', async () => {
    const { credential } = await enroll(emptyGroupCode);
    const viaFastPath = await answer(fast, bearer(credential));
    expect(await answer(slow, bearer(credential))).toEqual(viaFastPath);
  });
});
