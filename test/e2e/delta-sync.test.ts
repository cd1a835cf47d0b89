/**
 * A device in real Chromium receives a change as a signed delta and enforces it: the policy
 * is too large to travel in the push frame, so the frame carries the signed delta from the
 * version the device holds; the extension verifies it with no request to the server,
 * enforces it at once by an overlay (docs/delta-sync.md), then folds it into the dynamic
 * rules, changing only those that differ — and the removed filter stops blocking, the added
 * one blocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.ts';
import type { ExtensionBrowser } from './fixtures/launch-extension.ts';
import type { PalisadeAdmin } from './fixtures/palisade-admin.ts';
import type { TestSites } from './fixtures/test-sites.ts';
import { startPairedExtension, type PairedExtension } from './fixtures/paired-extension.ts';

declare const chrome: {
  storage: {
    local: { get(k: string | string[]): Promise<Record<string, unknown>> };
    onChanged: {
      addListener(l: (changes: Record<string, { newValue?: unknown }>) => void): void;
      removeListener(l: (changes: Record<string, { newValue?: unknown }>) => void): void;
    };
  };
  declarativeNetRequest: {
    getDynamicRules(): Promise<{ id: number }[]>;
  };
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

let paired: PairedExtension;
let sites: TestSites;
let admin: PalisadeAdmin;
let browser: ExtensionBrowser;
let blockedPage: string;

beforeAll(async () => {
  paired = await startPairedExtension({
    policy: V1,
    serve: (s) => s.serve('/', 'text/html', '<!doctype html><p id="site">Site content</p>'),
  });
  ({ sites, admin, browser } = paired);
  blockedPage = paired.blockedPage;
});

afterAll(() => paired?.close());

const applied = (version: number) => paired.applied(version);

describe('delta sync in Chromium', () => {
  it('applies a pushed change as a delta and enforces it', async () => {
    const page = await browser.context.newPage();
    await page.goto(sites.url('gone.test', '/')).catch(() => undefined);
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain(blockedPage);

    const worker = await browser.worker();
    const rulesBefore = await worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
    const policyAnswers = async () =>
      sampleValue(
        parsePrometheusText(await (await fetch(`${paired.server.url}/metrics`)).text()),
        'palisade_http_request_duration_seconds_count',
        { method: 'GET', route: '/api/v1/device/policy', status: '200' },
      ) ?? 0;
    const answeredBefore = await policyAnswers();
    // The overlay's record, as the worker writes it (the fold removes it within moments).
    await worker.evaluate(() => {
      type Listener = (changes: Record<string, { newValue?: unknown }>) => void;
      const g = globalThis as unknown as { overlaySeen?: unknown; overlayListener?: Listener };
      g.overlayListener = (changes) => {
        if (!changes.rulesOverlay?.newValue) return;
        g.overlaySeen = changes.rulesOverlay.newValue;
        chrome.storage.onChanged.removeListener(g.overlayListener!);
      };
      chrome.storage.onChanged.addListener(g.overlayListener);
    });
    const version = await admin.publish(V2);
    await applied(version);
    // The delta came in the push frame: the server answered no policy request with a body.
    expect(await policyAnswers()).toBe(answeredBefore);

    // Applied at once by an overlay (a session rule and the navigation check), then folded
    // into the dynamic rules.
    await expect
      .poll(() => worker.evaluate(() => (globalThis as { overlaySeen?: unknown }).overlaySeen), {
        timeout: 15_000,
      })
      .toBeTruthy();
    const seen = await worker.evaluate(
      () =>
        (globalThis as unknown as { overlaySeen: { version: number; domains: string[] } })
          .overlaySeen,
    );
    expect(seen.version).toBe(version);
    expect(seen.domains.sort()).toEqual(['gone.test', 'newly.test']);
    await expect
      .poll(
        () =>
          worker.evaluate(async () => {
            const { rulesOverlay } = await chrome.storage.local.get('rulesOverlay');
            return rulesOverlay ?? null;
          }),
        { timeout: 15_000 },
      )
      .toBeNull();
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
