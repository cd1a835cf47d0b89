/**
 * A device in real Chromium receives a change as a signed delta and enforces it: the policy
 * is too large to travel in the push frame, so the push names the new version, the extension
 * fetches the delta from the version it holds, verifies it, rebuilds the policy and changes
 * only the DNR rules that differ — and the removed filter stops blocking, the added one blocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import { buildExtension } from '../../extension/build.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { launchWithExtension, type ExtensionBrowser } from './fixtures/launch-extension.ts';
import { pairExtension } from './fixtures/pair-extension.ts';
import { PalisadeAdmin } from './fixtures/palisade-admin.ts';
import { startTestSites, type TestSites } from './fixtures/test-sites.ts';
import { withoutKey } from './fixtures/without-key.ts';

declare const chrome: {
  storage: { local: { get(k: string | string[]): Promise<Record<string, unknown>> } };
  declarativeNetRequest: { getDynamicRules(): Promise<{ id: number }[]> };
};

/** Hosts enough for an envelope well over the 64 KiB a push frame carries. */
const FILLERS = Array.from({ length: 20_000 }, (_, i) => `h${i}.filler.test`);
const V1: PolicyDocument = {
  name: 'Large list',
  urlBlocklist: [...FILLERS.slice(0, 10_000), 'gone.test', ...FILLERS.slice(10_000)],
};
const V2: PolicyDocument = {
  name: 'Large list',
  urlBlocklist: [...FILLERS.slice(0, 10_000), ...FILLERS.slice(10_000), 'newly.test'],
};

let server: TestServer;
let sites: TestSites;
let admin: PalisadeAdmin;
let extensionDir: string;
let browser: ExtensionBrowser;
let deviceId: string;
let blockedPage: string;

const applied = async (version: number) => {
  const deadline = Date.now() + 60_000;
  while ((await admin.devices()).find((d) => d.id === deviceId)?.appliedVersion !== version) {
    if (Date.now() > deadline) throw new Error(`the device never applied version ${version}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

beforeAll(async () => {
  extensionDir = mkdtempSync(join(tmpdir(), 'palisade-ext-'));
  await buildExtension({ outDir: extensionDir });
  withoutKey(extensionDir);
  sites = await startTestSites();
  sites.serve('/', 'text/html', '<!doctype html><p id="site">Site content</p>');
  server = await startServer();
  admin = await PalisadeAdmin.setUp(server);
  const version = await admin.publish(V1);
  browser = await launchWithExtension(extensionDir, sites.port);
  blockedPage = `chrome-extension://${browser.extensionId}/pages/blocked.html`;
  const pairing = await admin.employeePairingToken('emma@corp.test');
  deviceId = pairing.deviceId;
  await pairExtension(browser, server.url, pairing.token);
  await applied(version);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sites?.close();
  if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
});

describe('delta sync in Chromium', () => {
  it('applies a pushed change as a delta and enforces it', async () => {
    const page = await browser.context.newPage();
    await page.goto(sites.url('gone.test', '/')).catch(() => undefined);
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain(blockedPage);

    const worker = await browser.worker();
    const rulesBefore = await worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
    const version = await admin.publish(V2);
    await applied(version);

    // What the extension holds is the rebuilt payload beside the signed delta, and the rule
    // update removed and added only what changed.
    const state = await worker.evaluate(async () => {
      const { policy, rules } = await chrome.storage.local.get(['policy', 'rules']);
      const p = policy as { payload?: string; envelope: { payload: string } };
      const r = rules as { version: number; changed?: { removed: number; added: number } };
      return {
        rebuilt: typeof p.payload === 'string',
        delta: JSON.parse(p.envelope.payload) as { delta?: number; baseVersion?: number },
        rules: r,
      };
    });
    expect(state.rebuilt).toBe(true);
    expect(state.delta.delta).toBe(1);
    expect(state.rules.version).toBe(version);
    expect(state.rules.changed!.removed).toBeGreaterThan(0);
    expect(state.rules.changed!.removed).toBeLessThan(rulesBefore.length);

    // The change is enforced: the added host blocks, the removed one loads.
    await page.goto(sites.url('newly.test', '/')).catch(() => undefined);
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain(blockedPage);
    await page.goto(sites.url('gone.test', '/'));
    expect(await page.locator('#site').textContent()).toBe('Site content');
    await page.close();
  });
});
