/**
 * A managed browser becomes a person's only when that person proves it from the browser.
 * Chromium enrolls itself from a real managed policy file whose `userEmail` names Pat —
 * only a claim. Pat accepts an invite in that same browser (a passkey through the CDP
 * virtual authenticator), confirms on the home page that the browser is theirs, and from
 * then on the admin sees Pat on the device, the popup names Pat, and a blocked navigation's
 * audit event carries Pat's email. A page of another origin given Pat's token cannot claim it.
 *
 * Writes /etc/chromium/policies/managed: run only as
 * `flock /tmp/palisade-chromium-policy.lock npx vitest run --project e2e test/e2e/managed-claim.test.ts`.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/start-server.ts';
import { addVirtualAuthenticator } from '../pwa/e2e/virtual-authenticator.ts';
import {
  extensionIdOf,
  launchWithExtension,
  type ExtensionBrowser,
} from './fixtures/launch-extension.ts';
import { startExtensionSetup, type ExtensionSetup } from './fixtures/extension-setup.ts';
import { writeManagedExtensionConfig } from './fixtures/managed-policy.ts';
import type { PalisadeAdmin } from './fixtures/palisade-admin.ts';
import type { TestSites } from './fixtures/test-sites.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const extensionId = extensionIdOf(join(ROOT, 'manifest.json'));

interface AdminDevice {
  id: string;
  name: string;
  userId: string | null;
  userName: string | null;
  claimedEmail: string | null;
  appliedVersion: number | null;
}

let server: TestServer;
let sites: TestSites;
let admin: PalisadeAdmin;
let extensionDir: string;
let version: number;

let setup: ExtensionSetup | undefined;
beforeAll(async () => {
  setup = await startExtensionSetup({
    policy: { name: 'Staff', urlBlocklist: ['blocked.test'], auditUrlDetail: 'full' },
  });
  ({ extensionDir, sites, server, admin, version } = setup);
});

afterAll(() => setup?.close());

/** True when the extension posts no `claim-result` within `ms` to this page's claim. */
function claimStaysSilent(page: Page, token: string, ms = 1500) {
  return page.evaluate(
    ([t, wait]) =>
      new Promise<boolean>((done) => {
        addEventListener('message', (e: MessageEvent) => {
          const d = e.data as Record<string, unknown>;
          if (d?.source === 'palisade-extension' && d.type === 'claim-result') done(false);
        });
        postMessage({ source: 'palisade-pwa', type: 'claim', token: t }, location.origin);
        setTimeout(() => done(true), wait);
      }),
    [token, ms] as const,
  );
}

describe('managed browser: the person proves it is theirs', () => {
  it('enrolls with only a claim, then becomes Pat’s when Pat confirms from it', async () => {
    const removeManaged = writeManagedExtensionConfig(extensionId, {
      serverUrl: server.url,
      enrollmentCode: admin.enrollmentCode,
      deviceName: 'e2e-claimed-chromebook',
      userEmail: 'pat@corp.test',
    });
    let browser: ExtensionBrowser | undefined;
    try {
      browser = await launchWithExtension(extensionDir, sites.port);
      const device = async () =>
        (await admin.api.json<{ device: AdminDevice }>('GET', `/api/v1/devices/${deviceId}`))
          .device;
      const listed = async () =>
        ((await admin.devices()) as unknown as AdminDevice[]).find(
          (d) => d.name === 'e2e-claimed-chromebook',
        );
      await expect
        .poll(async () => (await listed())?.appliedVersion, { timeout: 60_000 })
        .toBe(version);
      const deviceId = (await listed())!.id;
      // The managed configuration's email is a claim, linked to nobody.
      expect(await device()).toMatchObject({ userId: null, claimedEmail: 'pat@corp.test' });

      // Pat accepts the invite in this browser, with a passkey.
      const { link } = await admin.api.json<{ link: string }>('POST', '/api/v1/users/invite', {
        email: 'pat@corp.test',
        name: 'Pat Person',
        role: 'employee',
        groupId: admin.group.id,
      });
      const page = await browser.context.newPage();
      page.setDefaultTimeout(15_000);
      await addVirtualAuthenticator(browser.context, page);
      await page.goto(link);
      await page.getByLabel('Your name').fill('Pat Person');
      await page.getByLabel('Work email').fill('pat@corp.test');
      await page.getByRole('button', { name: 'Create passkey' }).click();
      await page.getByRole('heading', { name: 'My status' }).waitFor();

      // The home page sees a managed browser that is not Pat's yet, and offers the claim.
      await page
        .getByText('This browser is managed by your organisation — confirm it is yours.')
        .waitFor();
      expect(await page.getByRole('button', { name: 'Pair the extension' }).count()).toBe(0);

      // A valid claim token of Pat's, leaked to a page of another origin: the extension
      // there stays silent and presents nothing, so the device stays nobody's.
      const leaked = await page.evaluate(async () => {
        const res = await fetch('/api/v1/me/device-claims', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        return ((await res.json()) as { token: string }).token;
      });
      const evil = await browser.context.newPage();
      await evil.goto(sites.url('personal.test'));
      expect(await claimStaysSilent(evil, leaked)).toBe(true);
      await evil.close();
      expect((await device()).userId).toBeNull();

      await page.getByRole('button', { name: 'Confirm this browser is mine' }).click();
      await page
        .getByText(
          'Confirmed: this browser is yours, Pat Person (pat@corp.test). Its events now carry your name.',
        )
        .waitFor();

      // The admin's view: the device is Pat's.
      const { users } = await admin.api.json<{ users: { id: string; email: string }[] }>(
        'GET',
        '/api/v1/users',
      );
      const patId = users.find((u) => u.email === 'pat@corp.test')!.id;
      expect(await device()).toMatchObject({ userId: patId, userName: 'Pat Person' });
      // …and the home page lists it among Pat's devices, with no offer left.
      await page.reload();
      await page.getByRole('rowheader', { name: /e2e-claimed-chromebook/ }).waitFor();
      await page
        .getByText('This browser is yours: the events it records carry your name.')
        .waitFor();

      // The popup names Pat.
      const popup = await browser.context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/pages/popup.html`);
      await expect.poll(() => popup.textContent('body')).toContain('Pat Person <pat@corp.test>');
      await popup.close();

      // A blocked navigation now is Pat's in the audit trail.
      const blocked = await browser.context.newPage();
      await blocked.goto(sites.url('blocked.test', '/after-claim'));
      await expect
        .poll(() => blocked.url())
        .toBe(`chrome-extension://${extensionId}/pages/blocked.html`);
      await blocked.close();
      await expect
        .poll(
          async () =>
            (await admin.auditEvents(deviceId))
              .filter((e) => e.kind === 'navigation' && e.url?.includes('/after-claim'))
              .map((e) => e.userEmail),
          { timeout: 60_000 },
        )
        .toEqual(['pat@corp.test']);
    } finally {
      await browser?.close();
      removeManaged();
    }
  });
});
