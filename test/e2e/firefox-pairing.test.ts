/**
 * BYOD in Firefox: the employee's own Firefox, with the extension installed by the user
 * (a temporary add-on here; no policy), pairs from the PWA opened in that Firefox. The
 * employee's passkey enrollment itself is not driven in Firefox — WebDriver BiDi has no
 * virtual authenticator — so the test registers the employee's passkey with the server's
 * real WebAuthn ceremony from a software authenticator (test/helpers) and hands Firefox the
 * session cookie that sign-in set, as if they had just signed in there. Everything after
 * that is what the person does in Firefox: the PWA finds the extension, they click Pair,
 * confirm on the extension's own page, and the browser enforces the policy.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.ts';
import { enrollWithCode } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import type { TestServer } from '../helpers/start-server.ts';
import { textOf, waitForText } from './fixtures/firefox-page.ts';
import {
  FIREFOX_EXTENSION_BASE,
  launchFirefox,
  type FirefoxBrowser,
} from './fixtures/launch-firefox.ts';
import type { PalisadeAdmin } from './fixtures/palisade-admin.ts';
import { startPalisade, type PalisadeSetup } from './fixtures/start-palisade.ts';
import type { TestSites } from './fixtures/test-sites.ts';

const ROOT = join(import.meta.dirname, '../..');

let palisade: PalisadeSetup;
let server: TestServer;
let sites: TestSites;
let admin: PalisadeAdmin;
let firefox: FirefoxBrowser;
let version: number;

beforeAll(async () => {
  palisade = await startPalisade({
    policy: { name: 'Field', urlBlocklist: ['blocked.test'] },
    groupName: 'Field staff',
  });
  ({ sites, server, admin, version } = palisade);
  firefox = await launchFirefox({
    sitesPort: sites.port,
    extensionDir: join(ROOT, 'dist/extension'),
  });
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !firefox) return;
  for (const page of await firefox.browser.pages())
    console.error(`open at failure: ${page.url()}\n${await textOf(page).catch(() => '?')}`);
});

afterAll(async () => {
  await firefox?.close();
  await palisade?.close();
});

describe('BYOD Firefox pairs from the PWA', () => {
  it('finds the extension, pairs after confirmation on its page, then enforces', async () => {
    const employee = new ApiClient(server.url);
    await enrollWithCode(employee, admin.enrollmentCode, new SoftAuthenticator(), {
      name: 'Fran Firefox',
      email: 'fran@corp.test',
    });
    const [name, value] = [...employee.cookies].find(([n]) => n.endsWith('palisade_session'))!;
    await firefox.browser.setCookie({
      name,
      value,
      domain: 'localhost',
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
    });

    const pwa = await firefox.open(`${server.url}/`);
    await waitForText(pwa, /Extension version [\d.]+ is installed, not paired yet\./);
    const before = new Set(await firefox.browser.pages());
    await (await pwa.waitForSelector('button::-p-text(Pair the extension)'))!.click();
    // The extension opens its confirmation page in a new tab (puppeteer reports that tab's
    // URL as about:blank, so ask the page itself).
    const confirm = await firefox.waitForPage(
      `${FIREFOX_EXTENSION_BASE}pages/pair.html`,
      (p) => !before.has(p),
    );
    await expect
      .poll(() => confirm.evaluate(() => document.getElementById('server')?.textContent))
      .toBe(server.url);
    await confirm.click('#accept');
    await waitForText(pwa, 'Paired. The extension now receives your organisation’s policy.');

    const devices = await admin.devices();
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      managed: false,
      browser: 'firefox',
      userName: 'Fran Firefox',
    });
    await expect
      .poll(async () => (await admin.devices())[0]?.appliedVersion, { timeout: 30_000 })
      .toBe(version);
    await expect
      .poll(async () => (await firefox.landing(sites.url('blocked.test'))).split('#')[0])
      .toBe(`${FIREFOX_EXTENSION_BASE}pages/blocked.html`);
    // Firefox made a device key too, and reports its posture on the push channel.
    const device = async () =>
      (
        await admin.api.json<{
          device: { hasKey: boolean; posture: Record<string, unknown> | null };
        }>('GET', `/api/v1/devices/${devices[0]!.id}`)
      ).device;
    await expect
      .poll(async () => (await device()).posture?.browser, { timeout: 30_000 })
      .toBe('firefox');
    expect(await device()).toMatchObject({
      hasKey: true,
      posture: { installType: 'development', rulesInPlace: true, policyVersion: version },
    });
  });
});
