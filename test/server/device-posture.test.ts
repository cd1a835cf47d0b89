import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import type { DeviceLostEvent } from '../../server/service/device-events.ts';
import { REPORTS_PER_MINUTE } from '../../server/service/device-posture-service.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { freePort } from '../helpers/start-server.ts';
import { deviceKey, POSTURE } from './support/device-keys.ts';
import { makeWorld, type World } from './support/world.ts';
import { createEnrollmentCode, createGroupWithCode } from '../helpers/enrollment-code.ts';

const client = { extensionVersion: '1.0.0', platform: 'linux', browser: 'chrome' };

/** Enrolls a managed device with a fresh device key; returns its id, credential and uninstall URL. */
async function enrollKeyed(w: World) {
  const enrollmentCode = await createEnrollmentCode(w.admin.api, w.group.id);
  const { jwk } = await deviceKey();
  return w.t.client({ origin: null }).json<{
    deviceId: string;
    credential: string;
    uninstallUrl: string;
  }>('POST', '/api/v1/device/enroll', { enrollmentCode: enrollmentCode, ...client, deviceKey: jwk });
}

type AdminDevice = {
  id: string;
  hasKey: boolean;
  posture: Record<string, unknown> | null;
  silentSince: string | null;
  removedAt: string | null;
};

describe('device posture and presence', () => {
  let w: World;
  const lost: DeviceLostEvent[] = [];
  beforeAll(async () => {
    w = await makeWorld({ DEVICE_SILENT_AFTER_MINUTES: '10' });
    w.t.services.deviceEvents.on('lost', (e) => void lost.push(e));
  });
  afterAll(() => w.t.close());

  const adminDevice = async (id: string) =>
    (await w.admin.api.json<{ device: AdminDevice }>('GET', `/api/v1/devices/${id}`)).device;
  const auditActions = async (id: string) =>
    (
      await w.admin.api.json<{
        events: { adminAction: string; detail: Record<string, unknown> | null }[];
      }>('GET', `/api/v1/audit?kind=admin&limit=500`)
    ).events.filter((e) => (e as { target?: string }).target === `device:${id}`);

  it('stores the latest posture, audits what changed, and shows it to admins', async () => {
    const { deviceId } = await enrollKeyed(w);
    await w.t.services.posture.report({ id: deviceId }, POSTURE);
    await w.t.services.posture.report({ id: deviceId }, POSTURE); // unchanged: no new event
    await w.t.services.posture.report({ id: deviceId }, { ...POSTURE, rulesInPlace: false });
    const device = await adminDevice(deviceId);
    expect(device).toMatchObject({ hasKey: true, silentSince: null, removedAt: null });
    expect(device.posture).toMatchObject({
      ...POSTURE,
      rulesInPlace: false,
      reportedAt: expect.any(String),
    });
    const list = await w.admin.api.json<{ devices: AdminDevice[] }>('GET', '/api/v1/devices');
    expect(list.devices.find((d) => d.id === deviceId)?.posture?.rulesInPlace).toBe(false);
    const postureEvents = (await auditActions(deviceId)).filter(
      (e) => e.adminAction === 'device.posture',
    );
    expect(postureEvents).toHaveLength(2);
  });

  it('refuses a malformed or padded posture report', async () => {
    const { deviceId } = await enrollKeyed(w);
    expect(
      await w.t.services.posture.reportRaw({ id: deviceId }, { ...POSTURE, browserVersion: 131 }),
    ).toBeNull();
    expect(
      await w.t.services.posture.reportRaw({ id: deviceId }, { ...POSTURE, history: ['x'] }),
    ).toBeNull();
    expect((await adminDevice(deviceId)).posture).toBeNull();
  });

  it('marks a device silent after the configured minutes without a heartbeat, once, and back when it reports', async () => {
    const { deviceId } = await enrollKeyed(w);
    await w.t.services.posture.report({ id: deviceId }, POSTURE);
    w.t.advance(9 * 60_000);
    expect(await w.t.services.posture.markSilent()).not.toContain(deviceId);
    w.t.advance(60_001);
    expect(await w.t.services.posture.markSilent()).toContain(deviceId);
    expect(await w.t.services.posture.markSilent()).not.toContain(deviceId);
    expect((await adminDevice(deviceId)).silentSince).toBeTruthy();
    await waitFor(() => lost.some((e) => e.deviceId === deviceId && e.reason === 'silent'));
    await w.t.services.posture.report({ id: deviceId }, POSTURE);
    expect((await adminDevice(deviceId)).silentSince).toBeNull();
    const actions = (await auditActions(deviceId)).map((e) => e.adminAction);
    expect(actions).toEqual(expect.arrayContaining(['device.silent', 'device.back']));
  });

  it('does not mark revoked devices, nor devices without a key, silent', async () => {
    const { deviceId } = await enrollKeyed(w);
    await w.admin.api.json('POST', `/api/v1/devices/${deviceId}/revoke`);
    w.t.advance(11 * 60_000);
    const marked = await w.t.services.posture.markSilent();
    expect(marked).not.toContain(deviceId);
    expect(marked).not.toContain(w.device.id); // paired before device keys: no heartbeat expected
  });

  it('marks a device removed through its uninstall URL, which nobody else can forge', async () => {
    const { deviceId, uninstallUrl } = await enrollKeyed(w);
    const url = new URL(uninstallUrl);
    expect(url.origin).toBe(w.t.config.origin);
    const browser = w.t.client({ origin: null });
    // Someone who knows the device id but not its token changes nothing.
    const forged = await browser.get(`${url.pathname}?device=${deviceId}&token=${'A'.repeat(32)}`);
    expect(forged.status).toBe(200);
    expect((await adminDevice(deviceId)).removedAt).toBeNull();
    const res = await browser.get(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Palisade was removed from this browser/);
    const device = await adminDevice(deviceId);
    expect(device.removedAt).toBeTruthy();
    expect(device.hasKey).toBe(false);
    await waitFor(() => lost.some((e) => e.deviceId === deviceId && e.reason === 'removed'));
    expect((await auditActions(deviceId)).map((e) => e.adminAction)).toContain('device.removed');
    // The token is single use: the same URL again records nothing more.
    await browser.get(`${url.pathname}${url.search}`);
    expect(lost.filter((e) => e.deviceId === deviceId && e.reason === 'removed')).toHaveLength(1);
  });

  it('tells lost-device listeners of a wipe, and keeps the token out of the database', async () => {
    const { deviceId, uninstallUrl } = await enrollKeyed(w);
    const token = new URL(uninstallUrl).searchParams.get('token')!;
    const row = await w.t.store.getDeviceTrust(deviceId);
    expect(row?.uninstallTokenHash).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(token);
    await w.admin.api.json('POST', `/api/v1/devices/${deviceId}/wipe`);
    await waitFor(() => lost.some((e) => e.deviceId === deviceId && e.reason === 'wiped'));
    expect((await w.t.store.getDeviceTrust(deviceId))?.publicKey).toBeNull();
  });
});

describe('the posture heartbeat over the push channel', () => {
  let server: RunningServer;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-posture-'));
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is stored for the socket’s device', async () => {
    const port = await freePort();
    const base = `http://localhost:${port}`;
    server = await startServer(
      loadConfig({ PORT: String(port), DATA_DIR: dataDir, ORIGIN: base, PWA_DIR: dataDir }),
      silentLogger,
    );
    const admin = new ApiClient(base);
    await registerWithLink(admin, server.setup!.link, new SoftAuthenticator(), {
      name: 'Ada',
      email: 'ada@example.com',
    });
    const { code: enrollmentCode } = await createGroupWithCode(admin, 'Staff');
    const { jwk } = await deviceKey();
    const grant = await new ApiClient(base, { origin: null }).json<{
      deviceId: string;
      credential: string;
    }>('POST', '/api/v1/device/enroll', {
      enrollmentCode: enrollmentCode,
      ...client,
      deviceKey: jwk,
    });
    const ws = new WebSocket(`ws://localhost:${port}/api/v1/device/push`);
    await new Promise((resolve) => ws.once('open', resolve));
    const hello = new Promise((resolve) => ws.once('message', resolve));
    ws.send(JSON.stringify({ type: 'auth', credential: grant.credential }));
    await hello;
    ws.send(JSON.stringify({ type: 'posture', posture: POSTURE }));
    await waitFor(async () => (await server.services.posture.latest(grant.deviceId)) !== null);
    expect(await server.services.posture.latest(grant.deviceId)).toMatchObject(POSTURE);
    ws.close();
  });
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a flood of posture frames', () => {
  it('is stored at most REPORTS_PER_MINUTE times a minute per device', async () => {
    const w = await makeWorld();
    try {
      const { deviceId } = await enrollKeyed(w);
      const results = [];
      for (let i = 0; i < REPORTS_PER_MINUTE + 4; i++)
        results.push(
          await w.t.services.posture.reportRaw(
            { id: deviceId },
            { ...POSTURE, rulesInPlace: i % 2 === 0 },
          ),
        );
      expect(results.filter((r) => r !== null)).toHaveLength(REPORTS_PER_MINUTE);
      w.t.advance(60_000);
      expect(await w.t.services.posture.reportRaw({ id: deviceId }, POSTURE)).not.toBeNull();
    } finally {
      await w.t.close();
    }
  });
});
