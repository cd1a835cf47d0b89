/**
 * The DNR compiler's promise, checked by Chromium itself: for generated filter sets, the
 * outcome of Chromium's `declarativeNetRequest.testMatchOutcome` on the compiled rules
 * (plus the extension's matcher fallback for the filters DNR cannot express) equals the
 * core matcher's verdict, i.e. Chrome's URLBlocklist semantics — for a top-level page and
 * for an iframe alike (URLBlocklist judges every frame by its own URL).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDnr, leftToNavigationCheck } from '../../core/policy/compile-dnr.ts';
import { editedDomains, overlayRule } from '../../core/policy/dnr-overlay.ts';
import { listEdit } from '../../core/policy/list-edit.ts';
import { buildUrlFilterSet } from '../../core/policy/url-filter/url-filter-set.ts';
import { buildUrlMatcher } from '../../core/policy/url-filter/url-matcher.ts';
import {
  extensionWorker,
  launchChromium,
  type LaunchedChromium,
} from './support/launch-chromium.ts';

const HOSTS = [
  'a.test',
  'b.a.test',
  'c.b.a.test',
  'example.com',
  'www.example.com',
  'other.org',
  '10.0.0.7',
];
const PATHS = ['', '/', '/docs', '/docs/private', '/x'];
const QUERIES = ['', '?q=1', '?q=1&r=2', '?k', '?q=2'];
const SCHEMES = ['', '', '', 'http://', 'https://'];
const PORTS = ['', '', '', '', '', ':8080'];

/** A small deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return <T>(list: readonly T[]): T => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return list[s % list.length]!;
  };
}

function filterSet(seed: number) {
  const pick = rng(seed);
  const filter = () => {
    const host = pick(['', '', '.', '.']) + pick(HOSTS);
    const path = pick(PATHS);
    const query = path || pick([true, false]) ? pick(QUERIES) : '';
    return `${pick(SCHEMES)}${host}${pick(PORTS)}${path}${query && !path ? '/' : ''}${query}`;
  };
  const blocklist = Array.from({ length: 12 }, filter);
  const allowlist = Array.from({ length: 8 }, filter);
  if (seed % 3 === 0) blocklist.push('*');
  return { blocklist, allowlist };
}

/**
 * Seed 13: block paths of equal priority, which share one regex rule (regexFilter with
 * requestDomains), beside an allow inside one of them.
 */
const SHARED_PATHS = {
  blocklist: ['aa.test/docs', 'bb.test/docs', 'cc.test/docs', 'https://dd.test/docs'],
  allowlist: ['www.bb.test/docs/private'],
};
const SHARED_PATH_URLS = [
  'https://aa.test/docs',
  'http://www.cc.test/docs/x?q=1',
  'https://bb.test/Docs',
  'https://aa.test/x/docs',
  'https://www.bb.test/docs/private/1',
  'https://bb.test/docs/private/1',
  'http://dd.test/docs',
  'https://dd.test/docs',
  'https://ee.test/docs',
];

function urls(seed: number): string[] {
  if (seed === 13) return SHARED_PATH_URLS;
  const pick = rng(seed * 7919);
  return Array.from({ length: 40 }, () => {
    const host = pick(HOSTS);
    const port = pick(['', '', '', '', '', ':8080']);
    return `${pick(['http', 'https'])}://${host}${port}${pick(['/', '/docs', '/docs/private/1', '/x/y', '/other'])}${pick(QUERIES)}`;
  });
}

const EXTENSION_MANIFEST = {
  manifest_version: 3,
  name: 'DNR probe',
  version: '1.0',
  permissions: ['declarativeNetRequest', 'declarativeNetRequestFeedback'],
  host_permissions: ['<all_urls>'],
  background: { service_worker: 'worker.js' },
  web_accessible_resources: [{ resources: ['blocked.html'], matches: ['<all_urls>'] }],
};

describe('compiled DNR rules in Chromium', () => {
  let browser: LaunchedChromium;
  let worker: Worker;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-dnr-probe-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(EXTENSION_MANIFEST));
    writeFileSync(join(dir, 'worker.js'), '// rules are installed by the test\n');
    writeFileSync(join(dir, 'blocked.html'), '<!doctype html><title>blocked</title>');
    browser = await launchChromium({ extensionDir: dir, hostRules: false });
    worker = await extensionWorker(browser.context);
  });

  afterAll(async () => {
    await browser?.close({ removeProfile: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('testMatchOutcome agrees with the core matcher on generated filter sets', async () => {
    let decidedByDnr = 0;
    let checked = 0;
    for (let seed = 1; seed <= 13; seed++) {
      const lists = seed === 13 ? SHARED_PATHS : filterSet(seed);
      const matcher = buildUrlMatcher(lists);
      const compiled = compileDnr({ ...lists, blockedPagePath: '/blocked.html' });
      const uncovered = buildUrlFilterSet(compiled.uncovered.map((u) => u.trigger));
      const outcomes = await worker.evaluate(
        async ({ rules, urls }) => {
          type Rule = { id: number; action: { type: string } };
          const dnr = (
            globalThis as unknown as {
              chrome: {
                declarativeNetRequest: {
                  getDynamicRules(): Promise<Rule[]>;
                  updateDynamicRules(u: {
                    removeRuleIds: number[];
                    addRules: unknown[];
                  }): Promise<void>;
                  testMatchOutcome(r: object): Promise<{ matchedRules: { ruleId: number }[] }>;
                };
              };
            }
          ).chrome.declarativeNetRequest;
          const old = await dnr.getDynamicRules();
          await dnr.updateDynamicRules({
            removeRuleIds: old.map((r: { id: number }) => r.id),
            addRules: rules,
          });
          const installed = new Map(
            (await dnr.getDynamicRules()).map((r: { id: number; action: { type: string } }) => [
              r.id,
              r.action.type,
            ]),
          );
          const result: { main_frame: string; sub_frame: string }[] = [];
          for (const url of urls) {
            const verdicts = { main_frame: '', sub_frame: '' };
            for (const type of ['main_frame', 'sub_frame'] as const) {
              const { matchedRules } = await dnr.testMatchOutcome({
                url,
                type,
                method: 'get',
                tabId: -1,
              });
              const types = matchedRules.map((m) => installed.get(m.ruleId));
              verdicts[type] = types.some((t) => t === 'block' || t === 'redirect')
                ? 'block'
                : 'allow';
            }
            result.push(verdicts);
          }
          return result;
        },
        { rules: compiled.rules, urls: urls(seed) },
      );
      urls(seed).forEach((url, i) => {
        const expected = matcher.decide(url);
        const fallback = leftToNavigationCheck(url) || uncovered.firstMatch(url) !== null;
        const outcome = outcomes[i]!;
        const verdict = fallback ? expected.verdict : outcome.main_frame;
        const frameVerdict = fallback ? expected.verdict : outcome.sub_frame;
        if (!fallback) decidedByDnr++;
        checked++;
        expect({ seed, url, verdict, frameVerdict, lists }).toEqual({
          seed,
          url,
          verdict: expected.verdict,
          frameVerdict: expected.verdict,
          lists,
        });
      });
    }
    console.log(
      `DNR vs core matcher: ${checked} URLs checked, ${decidedByDnr} decided by Chromium's DNR alone`,
    );
    // URLs with a port, or matching a filter DNR cannot express, are the extension's to decide.
    expect(decidedByDnr).toBeGreaterThan(checked / 3);
  });

  it("a delta's session overlay over the old dynamic rules gives the new policy's verdicts", async () => {
    // Session and dynamic rules are one ranking by priority in Chromium: the overlay's allow
    // must beat every filter rule installed, and lose to httpsOnly.
    const v0 = {
      blocklist: ['a.test', 'other.org', 'www.example.com/docs'],
      allowlist: ['ok.a.test'],
    };
    const v1 = { blocklist: ['other.org', 'example.com', 'www.example.com/docs'], allowlist: [] };
    const httpsOnly = { hosts: ['example.com'], mode: 'upgrade' as const };
    const domains = new Set<string>();
    for (const list of ['blocklist', 'allowlist'] as const)
      expect(editedDomains(v0[list], listEdit(v0[list], v1[list]), domains)).toBe(true);
    const old = compileDnr({ ...v0, httpsOnly, blockedPagePath: '/blocked.html' });
    const overlay = overlayRule(1, [...domains]);
    const checked = [
      'https://a.test/',
      'https://b.a.test/x',
      'https://ok.a.test/',
      'https://other.org/',
      'https://www.example.com/docs',
      'https://example.com/',
    ];
    const outcomes = await worker.evaluate(
      async ({ rules, overlay, urls }) => {
        type Matched = { ruleId: number; rulesetId: string };
        const dnr = (
          globalThis as unknown as {
            chrome: {
              declarativeNetRequest: {
                getDynamicRules(): Promise<{ id: number }[]>;
                getSessionRules(): Promise<{ id: number }[]>;
                updateDynamicRules(u: {
                  removeRuleIds: number[];
                  addRules: unknown[];
                }): Promise<void>;
                updateSessionRules(u: {
                  removeRuleIds: number[];
                  addRules: unknown[];
                }): Promise<void>;
                testMatchOutcome(r: object): Promise<{ matchedRules: Matched[] }>;
              };
            };
          }
        ).chrome.declarativeNetRequest;
        const ids = async (rules: Promise<{ id: number }[]>) => (await rules).map((r) => r.id);
        await dnr.updateDynamicRules({
          removeRuleIds: await ids(dnr.getDynamicRules()),
          addRules: rules,
        });
        await dnr.updateSessionRules({
          removeRuleIds: await ids(dnr.getSessionRules()),
          addRules: [overlay],
        });
        const actions = new Map<string, string>();
        for (const r of rules as { id: number; action: { type: string } }[])
          actions.set(`_dynamic:${r.id}`, r.action.type);
        actions.set(`_session:${(overlay as { id: number }).id}`, 'allow');
        const out: Record<string, string[]> = {};
        for (const url of [...urls, 'http://example.com/']) {
          const { matchedRules } = await dnr.testMatchOutcome({
            url,
            type: 'main_frame',
            method: 'get',
            tabId: -1,
          });
          out[url] = matchedRules.map(
            (m) => actions.get(`${m.rulesetId}:${m.ruleId}`) ?? m.rulesetId,
          );
        }
        await dnr.updateSessionRules({
          removeRuleIds: [(overlay as { id: number }).id],
          addRules: [],
        });
        return out;
      },
      { rules: old.rules, overlay, urls: checked },
    );
    const matcher = buildUrlMatcher(v1);
    const triggers = buildUrlFilterSet([...old.uncovered.map((u) => u.trigger), ...domains]);
    for (const url of checked) {
      const blocked = outcomes[url]!.some((t) => t === 'block' || t === 'redirect');
      const verdict =
        triggers.firstMatch(url) !== null
          ? matcher.decide(url).verdict
          : blocked
            ? 'block'
            : 'allow';
      if (blocked) expect(matcher.decide(url).verdict, url).toBe('block');
      expect({ url, verdict }).toEqual({ url, verdict: matcher.decide(url).verdict });
    }
    // The changed domains are the overlay's (DNR allows, the navigation check judges) ...
    expect(outcomes['https://a.test/']).toEqual(['allow']);
    expect(outcomes['https://example.com/']).toEqual(['allow']);
    // ... the others keep the installed rules' verdict, and httpsOnly still upgrades.
    expect(outcomes['https://other.org/']).toEqual(['redirect']);
    expect(outcomes['http://example.com/']).toEqual(['upgradeScheme']);
  });
});
