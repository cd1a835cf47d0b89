/**
 * Conditional access end to end: the sample company app (examples/crm, its own process, on
 * its own host name crm.test) signs people in with Palisade. Opened (a) in the enrolled
 * profile, where the extension proves the device: signed in; (b) in a profile without the
 * extension: refused, the page naming why; (c) after the admin revokes the device: the app's
 * session ends by back-channel logout and a new sign-in is refused — the time from revoke to
 * session end is printed; (d) outside the time window (the server's clock moved) and from a
 * network outside the allowed ranges: refused with the reason.
 *
 * The server runs in this process (to move its clock); Chromium maps crm.test to the app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppAccessRule } from '../../core/policy/access/types.ts';
import { buildExtension } from '../../extension/build.ts';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { freePort } from '../helpers/start-server.ts';
import { addVirtualAuthenticator } from '../pwa/e2e/virtual-authenticator.ts';
import { launchWithExtension, type ExtensionBrowser } from './fixtures/launch-extension.ts';
import { launchChromium, type LaunchedChromium } from './support/launch-chromium.ts';
import { SCREENSHOT_DIR } from './support/screenshot-dir.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CRM = 'http://crm.test';

let server: RunningServer;
let origin: string;
let dataDir: string;
let offset = 0;
let admin: ApiClient;
let policyId: string;
let enrollmentCode: string;
let crm: ChildProcess;
let crmOutput = '';
let extensionDir: string;
let enrolled: ExtensionBrowser;
let bare: LaunchedChromium;
let enrolledPage: Page;
let barePage: Page;

const BASE_RULE: AppAccessRule = { groups: ['Staff'], device: { trust: 'enrolled' } };

async function setAccess(access: AppAccessRule) {
  await admin.json('PUT', `/api/v1/policies/${policyId}`, { document: policy(access) });
  await admin.json('POST', `/api/v1/policies/${policyId}/publish`);
}

function policy(access: AppAccessRule) {
  return { name: 'Company apps', apps: [{ id: 'crm', name: 'CRM', urls: ['crm.test'], access }] };
}

beforeAll(async () => {
  const port = await freePort();
  const crmPort = await freePort();
  origin = `http://localhost:${port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'palisade-e2e-oidc-'));
  server = await startServer(
    loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: origin,
      DATA_DIR: dataDir,
      RATE_LIMIT_LOGIN: '0',
      RATE_LIMIT_ENROLLMENT: '0',
      RATE_LIMIT_PAIRING: '0',
    }),
    silentLogger,
    { now: () => Date.now() + offset },
  );
  admin = new ApiClient(origin);
  await registerWithLink(admin, server.setup!.link, new SoftAuthenticator(), {
    name: 'Ada Admin',
    email: 'ada@corp.test',
  });
  const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
    name: 'Staff',
  });
  enrollmentCode = (
    await admin.json<{ enrollmentCode: { code: string } }>('POST', '/api/v1/enrollment-codes', {
      groupId: group.id,
    })
  ).enrollmentCode.code;
  const created = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
    document: policy(BASE_RULE),
  });
  policyId = created.policy.id;
  await admin.json('POST', `/api/v1/policies/${policyId}/publish`);
  const { client, secret } = await admin.json<{ client: { id: string }; secret: string }>(
    'POST',
    '/api/v1/oidc/clients',
    {
      name: 'CRM',
      appId: 'crm',
      redirectUris: [`${CRM}/callback`],
      backchannelLogoutUri: `http://127.0.0.1:${crmPort}/backchannel-logout`,
    },
  );

  // The sample app, in its own process, as an admin would run it.
  crm = spawn(process.execPath, ['--import', 'tsx', 'examples/crm/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PALISADE_ISSUER: `${origin}/oidc`,
      CRM_CLIENT_ID: client.id,
      CRM_CLIENT_SECRET: secret,
      CRM_BASE_URL: CRM,
      CRM_PORT: String(crmPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  crm.stdout!.on('data', (d: Buffer) => (crmOutput += d.toString()));
  crm.stderr!.on('data', (d: Buffer) => (crmOutput += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the CRM did not start:\n${crmOutput}`)),
      30_000,
    );
    const check = () => {
      if (!crmOutput.includes('CRM sample app on')) return;
      clearTimeout(timer);
      resolve();
    };
    crm.stdout!.on('data', check);
    crm.once('exit', () => reject(new Error(`the CRM exited:\n${crmOutput}`)));
  });

  extensionDir = mkdtempSync(join(tmpdir(), 'palisade-ext-'));
  await buildExtension({ outDir: extensionDir });
  enrolled = await launchWithExtension(extensionDir, crmPort);
  bare = await launchChromium({ sitesPort: crmPort });
  enrolledPage = await personIn(enrolled.context, 'Pat Paired', 'pat@corp.test');
  barePage = await personIn(bare.context, 'Bo Bare', 'bo@corp.test');
  try {
    await pair(enrolled, enrolledPage);
  } catch (err) {
    const path = join(tmpdir(), 'palisade-oidc-pairing-failure.png');
    await enrolledPage.screenshot({ path, fullPage: true }).catch(() => undefined);
    console.error(`pairing failed: ${enrolledPage.url()} → ${path}`);
    throw err;
  }
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [name, page] of [
    ['enrolled', enrolledPage],
    ['bare', barePage],
  ] as const) {
    if (!page) continue;
    const path = join(tmpdir(), `palisade-oidc-failure-${name}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    console.error(`${name}: ${page.url()} → ${path}`);
  }
});

afterAll(async () => {
  await enrolled?.close();
  await bare?.close({ removeProfile: true });
  crm?.kill('SIGTERM');
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
});

/** A person enrolls in the PWA in this profile (a passkey on a virtual authenticator). */
async function personIn(context: BrowserContext, name: string, email: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await addVirtualAuthenticator(context, page);
  await page.goto(`${origin}/enroll#${encodeURIComponent(enrollmentCode)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('button', { name: 'Create passkey and enroll' }).click();
  await page.getByRole('heading', { name: 'You are enrolled' }).waitFor();
  return page;
}

/** Pairs the extension from the PWA, as in pwa-pairing.test.ts. */
async function pair(browser: ExtensionBrowser, page: Page) {
  const found = page.getByText(/Extension version [\d.]+ is installed, not paired yet\./);
  // On a loaded machine the extension's bridge may answer after the page stopped asking.
  for (let i = 0; i < 5 && !(await found.isVisible()); i++) {
    const again = page.getByRole('button', { name: 'Check again' });
    if (await again.isVisible()) await again.click();
    await found.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await found.waitFor();
  const confirmPage = browser.context.waitForEvent('page');
  await page.getByRole('button', { name: 'Pair the extension' }).click();
  const confirm = await confirmPage;
  await confirm.getByRole('button', { name: 'Pair', exact: true }).click();
  await page.getByText('Paired. The extension now receives your organisation’s policy.').waitFor();
  await confirm.close().catch(() => undefined);
}

/** Opens the app and signs in; resolves on the app's page or Palisade's refusal. */
async function openCrm(page: Page): Promise<'signed-in' | 'refused'> {
  await page.goto(`${CRM}/`);
  if (await page.locator('#signed-in').count()) return 'signed-in';
  await page.locator('#sign-in').click();
  await page.locator('#signed-in, #signin-refused').first().waitFor();
  return (await page.locator('#signed-in').count()) ? 'signed-in' : 'refused';
}

async function refusalReasons(page: Page): Promise<Record<string, string>> {
  const items = page.locator('#refusal-reasons li');
  const out: Record<string, string> = {};
  for (let i = 0; i < (await items.count()); i++) {
    const li = items.nth(i);
    out[(await li.getAttribute('data-condition'))!] = (await li.textContent())!;
  }
  return out;
}

describe('conditional access with the sample CRM', () => {
  it('(a) signs the enrolled browser in, with its device', async () => {
    expect(await openCrm(enrolledPage)).toBe('signed-in');
    await expect
      .poll(() => enrolledPage.locator('#trust').textContent())
      .toMatch(/managed|enrolled/);
    expect(await enrolledPage.locator('#device').textContent()).not.toBe('none');
  });

  it('(b) refuses a profile without the extension and says why', async () => {
    expect(await openCrm(barePage)).toBe('refused');
    const reasons = await refusalReasons(barePage);
    expect(Object.keys(reasons)).toContain('device_trust');
    await barePage.screenshot({ path: join(SCREENSHOT_DIR, 'oidc-refused.png'), fullPage: true });
    // Back to the app: it shows Palisade's refusal too.
    await barePage.getByRole('link', { name: 'Back to CRM' }).click();
    await barePage.locator('#refused').waitFor();
  });

  it('(c) ends the app session by back-channel logout when the device is revoked', async () => {
    const { devices } = await admin.json<{ devices: { id: string; userName: string | null }[] }>(
      'GET',
      '/api/v1/devices',
    );
    const device = devices.find((d) => d.userName === 'Pat Paired')!;
    const before = crmOutput.length;
    const revokedAt = Date.now();
    await admin.json('POST', `/api/v1/devices/${device.id}/revoke`);
    await expect
      .poll(() => crmOutput.slice(before), { timeout: 15_000, interval: 20 })
      .toContain('session ended');
    const line = /session ended (\{.*\})/.exec(crmOutput.slice(before))![1]!;
    const { at, reason } = JSON.parse(line) as { at: number; reason: string };
    expect(reason).toBe('logout');
    console.log(`revoke → app session ended: ${at - revokedAt} ms`);
    expect(await openCrm(enrolledPage)).toBe('refused');
    expect(Object.keys(await refusalReasons(enrolledPage))).toContain('device_trust');
  });

  it('(d) refuses outside the time window and from outside the allowed networks', async () => {
    // Any browser may open the app, 08:00–18:00 UTC; the server's clock says 03:00.
    await setAccess({
      groups: ['Staff'],
      device: { trust: 'none' },
      when: { timeZone: 'UTC', windows: [{ from: '08:00', to: '18:00' }] },
    });
    const now = new Date();
    const threeAm = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 3);
    offset = threeAm - Date.now() - (threeAm > Date.now() ? 86_400_000 : 0);
    try {
      expect(await openCrm(barePage)).toBe('refused');
      expect(Object.keys(await refusalReasons(barePage))).toEqual(['when']);
      expect((await refusalReasons(barePage)).when).toMatch(/08:00/);
    } finally {
      offset = 0;
    }
    // Only the office network; this browser comes from 127.0.0.1.
    await setAccess({
      groups: ['Staff'],
      device: { trust: 'none' },
      where: { networks: ['10.0.0.0/8'] },
    });
    expect(await openCrm(barePage)).toBe('refused');
    expect(Object.keys(await refusalReasons(barePage))).toEqual(['where']);
    // Inside both: the same browser gets in.
    await setAccess({
      groups: ['Staff'],
      device: { trust: 'none' },
      where: { networks: ['127.0.0.0/8'] },
    });
    expect(await openCrm(barePage)).toBe('signed-in');
  });
});
