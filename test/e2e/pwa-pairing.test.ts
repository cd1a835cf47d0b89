/**
 * The PWA with the real extension in the same Chromium: an employee enrolls in the PWA,
 * the PWA finds the extension and pairs it in one click (the extension asks the person
 * to confirm on its own page), and the device then shows the applied policy version.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension } from '../../extension/build.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { addVirtualAuthenticator } from '../pwa/e2e/virtual-authenticator.ts';
import { launchWithExtension, type ExtensionBrowser } from './fixtures/launch-extension.ts';
import { PalisadeAdmin } from './fixtures/palisade-admin.ts';
import { SCREENSHOT_DIR } from './support/screenshot-dir.ts';

const DOCS = SCREENSHOT_DIR;

let server: TestServer;
let browser: ExtensionBrowser;
let extensionDir: string;
let admin: PalisadeAdmin;
let version: number;

beforeAll(async () => {
  extensionDir = mkdtempSync(join(tmpdir(), 'palisade-ext-'));
  await buildExtension({ outDir: extensionDir });
  server = await startServer();
  admin = await PalisadeAdmin.setUp(server, 'Field staff');
  version = await admin.publish({ name: 'Field', urlBlocklist: ['casino.example'] });
  // No *.test sites are needed here; the port only feeds the host rules.
  browser = await launchWithExtension(extensionDir, server.port);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !browser) return;
  let n = 0;
  for (const p of browser.context.pages()) {
    const path = join(tmpdir(), `palisade-pwa-pairing-failure-${n++}.png`);
    await p.screenshot({ path, fullPage: true }).catch(() => undefined);
    console.error(`screenshot of ${p.url()} → ${path}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop().catch(() => undefined);
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
});

describe('PWA ↔ extension pairing in Chromium', () => {
  it('enrolls, finds the extension, pairs it after confirmation, and shows the applied version', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await addVirtualAuthenticator(browser.context, page);
    await page.goto(`${server.url}/enroll#${encodeURIComponent(admin.enrollmentCode)}`);
    await page.getByLabel('Your name').fill('Pat Paired');
    await page.getByLabel('Work email').fill('pat@corp.test');
    await page.getByRole('button', { name: 'Create passkey and enroll' }).click();
    await page.getByRole('heading', { name: 'You are enrolled' }).waitFor();

    await page.getByText(/Extension version [\d.]+ is installed, not paired yet\./).waitFor();
    const confirmPage = browser.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Pair the extension' }).click();
    const confirm = await confirmPage;
    await expect.poll(() => confirm.locator('#server').textContent()).toBe(server.url);
    await confirm.getByRole('button', { name: 'Pair', exact: true }).click();
    await page
      .getByText('Paired. The extension now receives your organisation’s policy.')
      .waitFor();
    await page.getByText(/is installed and paired with Palisade\./).waitFor();
    await page.screenshot({ path: join(DOCS, 'pwa-pairing.png'), fullPage: true });

    // The device this browser registered as now reports the version it applied.
    await page.getByRole('link', { name: 'Go to my status' }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByRole('cell', { name: new RegExp(`Version ${version}`) }).count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    await page.getByText('up to date').waitFor();
  });
});
