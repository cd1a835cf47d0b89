/**
 * URL schedules in real Chromium: the extension compiles the lists for the device's clock
 * into its DNR rules, so a schedule in force now blocks its sites and one that is not leaves
 * them open. (Opening and closing at window edges is covered with a moved clock in
 * test/extension/url-schedules.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import type { ExtensionBrowser } from './fixtures/launch-extension.ts';
import type { TestSites } from './fixtures/test-sites.ts';
import { startPairedExtension, type PairedExtension } from './fixtures/paired-extension.ts';
import { dnrOutcome } from './support/extension-page.ts';

/** "HH:MM" in UTC, `minutes` from now (wrapping past midnight, as windows may). */
function utcClock(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

// Windows two hours wide around now, and three hours ahead: far from any edge during the test.
const POLICY: PolicyDocument = {
  name: 'Scheduled sites',
  urlSchedules: [
    {
      name: 'Now',
      when: { timeZone: 'UTC', windows: [{ from: utcClock(-60), to: utcClock(60) }] },
      urlBlocklist: ['now.test'],
    },
    {
      name: 'Later',
      when: { timeZone: 'UTC', windows: [{ from: utcClock(180), to: utcClock(240) }] },
      urlBlocklist: ['later.test'],
    },
  ],
  auditUrlDetail: 'full',
};

let paired: PairedExtension;
let sites: TestSites;
let browser: ExtensionBrowser;

beforeAll(async () => {
  paired = await startPairedExtension({
    policy: POLICY,
    serve: (s) =>
      s.serve('/', 'text/html', '<!doctype html><title>Site</title><h1 id="site">Site</h1>'),
  });
  ({ sites, browser } = paired);
});

afterAll(() => paired?.close());

describe('URL schedules in Chromium', () => {
  it('blocks the sites of the schedule in force, by DNR, and leaves the other open', async () => {
    const worker = await browser.worker();
    const matched = async (url: string) => (await dnrOutcome(worker, url)).length;
    expect(await matched('http://now.test/')).toBe(1);
    expect(await matched('http://later.test/')).toBe(0);

    const page = await browser.context.newPage();
    await page.goto(sites.url('now.test', '/')).catch(() => undefined); // redirected by DNR
    await expect
      .poll(() => page.url(), { timeout: 30_000 })
      .toBe(`chrome-extension://${browser.extensionId}/pages/blocked.html`);
    await expect
      .poll(() => page.locator('#filter').textContent(), { timeout: 30_000 })
      .toBe('now.test');

    await page.goto(sites.url('later.test', '/'));
    expect(await page.locator('#site').textContent()).toBe('Site');
    await page.close();
  });
});
