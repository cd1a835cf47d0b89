/**
 * A small change to a large policy, enforced by an overlay before the dynamic rules change:
 * the real server, the extension's background over a fake browser whose dynamic-rule update
 * is held (as Chromium's takes seconds at a million filters). While it is held, one session
 * rule and the navigation check enforce the new policy exactly; the fold then changes only
 * the rules that differ and removes the overlay; a restart mid-fold completes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVERLAY_RULE_ID } from '../../extension/background/apply-rules.ts';
import { OVERLAY_MIN_FILTERS } from '../../extension/background/policy-state.ts';
import type { DnrRule } from '../../extension/platform/types.ts';
import type { FakePlatform } from '../extension/fakes/fake-platform.ts';
import { waitUntil } from '../extension/fakes/harness.ts';
import { startManagedBackground } from '../extension/fakes/managed-background.ts';
import { evaluateDnr } from '../core/dnr-evaluator.ts';
import type { TestServer } from '../helpers/start-server.ts';
import { startListPolicyServer, type ListPolicyServer } from '../helpers/list-policy-server.ts';

const hosts = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `h${from + i}.example`);
const SIZE = OVERLAY_MIN_FILTERS + 2_000;

describe('a delta enforced by an overlay, then folded', () => {
  let server: TestServer;
  let code: string;
  let publish: ListPolicyServer['publish'];

  const device = async (restartOf?: FakePlatform) => {
    const d = await startManagedBackground({
      serverUrl: server.url,
      enrollmentCode: code,
      fetch,
      restartOf,
    });
    await waitUntil(() => d.bg.state.active !== null);
    return d;
  };

  /** Holds the fake browser's dynamic-rule updates until `release` is called. */
  const holdUpdates = (platform: FakePlatform) => {
    const update = platform.dnr.updateDynamicRules;
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    platform.dnr.updateDynamicRules = async (u) => {
      held++;
      await gate;
      return update(u);
    };
    return { release, held: () => held };
  };

  /** What the browser would do with a main-frame navigation: DNR first, then the guard. */
  const enforced = (d: Awaited<ReturnType<typeof device>>, url: string) => {
    const rules: DnrRule[] = [...d.platform.dnrRules, ...d.platform.sessionRules];
    const rule = evaluateDnr(rules as unknown as Parameters<typeof evaluateDnr>[0], url);
    if (rule?.action.type === 'redirect' || rule?.action.type === 'block') return 'block';
    if (!d.bg.state.needsFallback(url)) return 'allow';
    return d.bg.state.active!.urls.decide(url).verdict;
  };

  const V1 = [...hosts(0, 5), 'gone.example', ...hosts(5, SIZE)];
  const V2 = [...hosts(0, 5), ...hosts(5, SIZE), 'newly.example', 'https://.exact.example'];

  beforeAll(async () => {
    ({ server, enrollmentCode: code, publish } = await startListPolicyServer());
    await publish(V1);
  });

  afterAll(() => server?.stop());

  it('enforces the new policy before the dynamic rules change, then folds it in', async () => {
    const d = await device();
    const rulesBefore = structuredClone(d.platform.dnrRules);
    const hold = holdUpdates(d.platform);
    const version = await publish(V2);
    expect(await d.bg.sync.sync()).toBe('updated');

    // Applied: the dynamic rules are untouched, one session rule names the changed domains.
    // The overlay's record is stored apart: the installed rules' record is not rewritten.
    const stored = await d.platform.storage.local.get(['rules', 'rulesOverlay']);
    const overlay = stored.rulesOverlay as { version: number; domains: string[] };
    expect(overlay.version).toBe(version);
    expect(overlay.domains.sort()).toEqual(['exact.example', 'gone.example', 'newly.example']);
    expect((stored.rules as { version: number }).version).toBeLessThan(version);
    expect(d.bg.state.rules?.version).toBe(version);
    expect([...d.bg.state.rules!.overlay!].sort()).toEqual(overlay.domains);
    expect(d.platform.dnrRules).toEqual(rulesBefore);
    expect(d.platform.sessionRules.map((r) => [r.id, r.action.type])).toEqual([
      [OVERLAY_RULE_ID, 'allow'],
    ]);
    // ... and what the browser enforces is the new policy: the removed host loads, the added
    // hosts block (the navigation check), the rest is as before.
    for (const [url, verdict] of [
      ['https://gone.example/', 'allow'],
      ['https://sub.gone.example/a', 'allow'],
      ['https://newly.example/', 'block'],
      ['https://exact.example/', 'block'],
      ['http://exact.example/', 'allow'],
      ['https://h7.example/', 'block'],
      ['https://ok.h1.example/', 'allow'],
      ['https://elsewhere.example/', 'allow'],
    ] as const)
      expect(enforced(d, url), url).toBe(verdict);
    d.platform.fireNavigation({ tabId: 4, frameId: 0, url: 'https://newly.example/' });
    await waitUntil(() => d.platform.tabUpdates.some((t) => t.tabId === 4));

    // The fold: the held update goes through, changing only the rules that differ.
    await waitUntil(() => hold.held() === 1);
    hold.release();
    await d.bg.state.folded();
    expect(await d.platform.storage.local.get('rulesOverlay')).toEqual({});
    expect(d.bg.state.rules?.overlay).toBeUndefined();
    expect(
      ((await d.platform.storage.local.get('rules')).rules as { version: number }).version,
    ).toBe(version);
    expect(d.platform.sessionRules.some((r) => r.id === OVERLAY_RULE_ID)).toBe(false);
    const update = d.platform.dnrUpdates.at(-1)!;
    expect(update.removeRuleIds.length).toBeLessThan(rulesBefore.length);
    const fresh = await device();
    const content = (r: DnrRule[]) => r.map(({ id: _id, ...x }) => JSON.stringify(x)).sort();
    expect(content(d.platform.dnrRules)).toEqual(content(fresh.platform.dnrRules));
    for (const url of ['https://gone.example/', 'https://newly.example/', 'https://h7.example/'])
      expect(enforced(d, url), url).toBe(enforced(fresh, url));
    expect(d.bg.state.needsFallback('https://newly.example/')).toBe(
      fresh.bg.state.needsFallback('https://newly.example/'),
    );
  });

  it('completes a fold the worker did not finish, after a browser restart', async () => {
    const d = await device();
    holdUpdates(d.platform); // never released: the worker dies mid-fold
    const version = await publish([...V2, 'later.example']);
    expect(await d.bg.sync.sync()).toBe('updated');
    // A browser restart keeps the dynamic rules and storage, not the session rules.
    d.platform.sessionRules.splice(0);
    const restarted = await device(d.platform);
    await restarted.bg.state.folded();
    const { rules } = (await d.platform.storage.local.get('rules')) as {
      rules: { version: number };
    };
    expect(rules).toMatchObject({ version });
    expect(await d.platform.storage.local.get('rulesOverlay')).toEqual({});
    expect(restarted.bg.state.rules?.overlay).toBeUndefined();
    expect(enforced(restarted, 'https://later.example/')).toBe('block');
    expect(d.platform.sessionRules.some((r) => r.id === OVERLAY_RULE_ID)).toBe(false);
  });

  it('replays the stored deltas when the worker restarts before the fold stored the policy', async () => {
    const d = await device();
    const held = (await d.bg.store.policy())!;
    // The fold never gets to store the rebuilt policy.
    const set = d.platform.storage.local.set;
    d.platform.storage.local.set = async (items) =>
      'policy' in items ? new Promise<void>(() => {}) : set(items);
    const version = await publish([...V2, 'replayed.example']);
    expect(await d.bg.sync.sync()).toBe('updated');
    // What was stored at once: the signed delta beside the policy held, a few hundred bytes.
    expect(await d.bg.store.policy()).toEqual(held);
    const deltas = await d.bg.store.policyDeltas();
    expect(deltas).toHaveLength(1);
    expect(JSON.stringify(deltas).length).toBeLessThan(4_000);
    expect((await d.bg.store.policyHead())!.version).toBe(version);

    d.platform.storage.local.set = set;
    const restarted = await device(d.platform);
    await restarted.bg.state.folded();
    expect(restarted.bg.state.active?.version).toBe(version);
    expect(enforced(restarted, 'https://replayed.example/')).toBe('block');
    const stored = (await restarted.bg.store.policy())!;
    expect(stored.version).toBe(version);
    expect(await restarted.bg.store.policyDeltas()).toEqual([]);
    const fresh = await device();
    expect(stored.payload).toBe((await fresh.bg.store.policy())!.envelope.payload);
  });

  it('refuses at start a stored delta that was tampered with, and drops the policy', async () => {
    const d = await device();
    const set = d.platform.storage.local.set;
    d.platform.storage.local.set = async (items) =>
      'policy' in items ? new Promise<void>(() => {}) : set(items);
    await publish([...V2, 'tampered.example']);
    expect(await d.bg.sync.sync()).toBe('updated');
    d.platform.storage.local.set = set;
    const [delta] = await d.bg.store.policyDeltas();
    const forged = {
      ...delta!,
      payload: delta!.payload.replace('tampered.example', 'other.example'),
    };
    await d.platform.storage.local.set({ policyDeltas: [forged] });
    const restarted = await startManagedBackground({
      serverUrl: server.url,
      enrollmentCode: code,
      fetch: () => Promise.reject(new Error('offline')),
      restartOf: d.platform,
    });
    await waitUntil(async () => (await restarted.bg.store.policy()) === null);
    expect(await restarted.bg.store.policyDeltas()).toEqual([]);
  });

  it('drops at start an overlay rule the browser holds without its record', async () => {
    const d = await device();
    // The worker stopped after installing an overlay whose record never reached storage.
    d.platform.sessionRules.push({
      id: OVERLAY_RULE_ID,
      priority: 1,
      action: { type: 'allow' },
      condition: { requestDomains: ['h7.example'], resourceTypes: ['main_frame'] },
    } as DnrRule);
    const restarted = await device(d.platform);
    await restarted.bg.state.folded();
    expect(d.platform.sessionRules.some((r) => r.id === OVERLAY_RULE_ID)).toBe(false);
    expect(enforced(restarted, 'https://h7.example/')).toBe('block');
  });

  it('updates the dynamic rules directly for a change no overlay can confine', async () => {
    const d = await device();
    await publish([...V2, '*']);
    expect(await d.bg.sync.sync()).toBe('updated');
    expect(d.bg.state.rules?.overlay).toBeUndefined();
    expect(await d.platform.storage.local.get('rulesOverlay')).toEqual({});
    expect(enforced(d, 'https://anywhere.example/')).toBe('block');
  });
});
