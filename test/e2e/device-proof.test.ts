/**
 * A real extension in Chromium proves its browser: paired from the server's page, it made
 * a non-extractable device key and registered its public half; asked over the bridge, it
 * signs the server's challenge, and the server verifies the proof against that key. Its
 * posture, sent on the push channel, is what the admin sees. After a revoke the same
 * browser can no longer prove itself. The server runs in this process, so the test calls
 * `services.deviceProof` as the OpenID Provider's pages will.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../extension/build.ts';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { enrollWithCode, registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { freePort } from '../helpers/start-server.ts';
import { launchWithExtension, type ExtensionBrowser } from './fixtures/launch-extension.ts';
import { pairExtension } from './fixtures/pair-extension.ts';
import { createGroupWithCode } from '../helpers/enrollment-code.ts';

let server: RunningServer;
let base: string;
let admin: ApiClient;
let browser: ExtensionBrowser | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-e2e-proof-'));
const extensionDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-ext-'));

beforeAll(async () => {
  await buildExtension({ outDir: extensionDir });
  const port = await freePort();
  base = `http://localhost:${port}`;
  server = await startServer(
    loadConfig({ PORT: String(port), DATA_DIR: dataDir, ORIGIN: base }),
    silentLogger,
  );
  admin = new ApiClient(base);
  await registerWithLink(admin, server.setup!.link, new SoftAuthenticator(), {
    name: 'Ada Admin',
    email: 'ada@corp.test',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(extensionDir, { recursive: true, force: true });
});

/** What the bridge answers this page's `device-proof` request, or null after `ms` of silence. */
function askProof(page: Page, challenge: string, ms = 5000) {
  return page.evaluate(
    ([c, wait]) =>
      new Promise<Record<string, unknown> | null>((done) => {
        addEventListener('message', (e: MessageEvent) => {
          const d = e.data as Record<string, unknown>;
          if (d?.source === 'palisade-extension' && d.type === 'device-proof-result') done(d);
        });
        postMessage(
          { source: 'palisade-pwa', type: 'device-proof', challenge: c },
          location.origin,
        );
        setTimeout(() => done(null), wait);
      }),
    [challenge, ms] as const,
  );
}

describe('device proof from a real extension', () => {
  it('signs the server’s challenge with its device key; the server verifies it and sees its posture', async () => {
    const { code: enrollmentCode } = await createGroupWithCode(admin, 'Staff');
    const { policy } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
      document: { name: 'Baseline', urlBlocklist: ['blocked.test'] },
    });
    await admin.json('POST', `/api/v1/policies/${policy.id}/publish`);
    const employee = new ApiClient(base);
    await enrollWithCode(employee, enrollmentCode, new SoftAuthenticator(), {
      name: 'Emil Employee',
      email: 'emil@corp.test',
    });
    const { device } = await employee.json<{ device: { id: string } }>(
      'POST',
      '/api/v1/me/devices',
      {
        name: 'Emil laptop',
        platform: 'linux',
        browser: 'chromium',
      },
    );
    const { token } = await employee.json<{ token: string }>(
      'POST',
      `/api/v1/me/devices/${device.id}/pairing-token`,
    );

    browser = await launchWithExtension(extensionDir, server.port);
    await pairExtension(browser, base, token);
    const page = await browser.context.newPage();
    await page.goto(`${base}/healthz`);

    const { challenge } = server.services.deviceProof.issueChallenge();
    const answer = await askProof(page, challenge);
    expect(answer).toMatchObject({ ok: true, proof: { deviceId: device.id } });
    const verified = await server.services.deviceProof.verify(answer!.proof, base);
    expect(verified).toMatchObject({
      ok: true,
      // Loaded unpacked, so not a force-install: enrolled, not managed.
      device: { id: device.id, trust: 'enrolled', group: 'Staff' },
      posture: { browser: 'chrome', os: 'linux', installType: 'development' },
    });
    // The same proof again is a replay.
    expect(await server.services.deviceProof.verify(answer!.proof, base)).toMatchObject({
      ok: false,
      code: 'challenge_used',
    });

    // The heartbeat's posture, as the admin sees it.
    const adminDevice = async () =>
      (
        await admin.json<{
          device: { posture: Record<string, unknown> | null; hasKey: boolean };
        }>('GET', `/api/v1/devices/${device.id}`)
      ).device;
    await expect
      .poll(async () => (await adminDevice()).posture?.rulesInPlace, { timeout: 30_000 })
      .toBe(true);
    expect(await adminDevice()).toMatchObject({
      hasKey: true,
      posture: {
        policyVersion: expect.any(Number),
        incognitoAllowed: false,
        installType: 'development',
      },
    });

    // Another origin's page hears nothing.
    const other = await browser.context.newPage();
    await other.goto(`http://127.0.0.1:${server.port}/healthz`);
    expect(
      await askProof(other, server.services.deviceProof.issueChallenge().challenge, 1500),
    ).toBeNull();

    // After a revoke the browser has no key left to prove with.
    await admin.json('POST', `/api/v1/devices/${device.id}/revoke`);
    await expect
      .poll(
        async () =>
          (await askProof(page, server.services.deviceProof.issueChallenge().challenge))?.code,
        {
          timeout: 30_000,
        },
      )
      .toBe('revoked');
  });
});
