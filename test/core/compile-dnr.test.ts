import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileDnr, leftToNavigationCheck } from '../../core/policy/compile-dnr.ts';
import type { DnrLimits, DnrResult } from '../../core/policy/compile-dnr.ts';
import { buildUrlMatcher } from '../../core/policy/url-filter/url-matcher.ts';
import { buildUrlFilterSet } from '../../core/policy/url-filter/url-filter-set.ts';
import { dnrBlocks, evaluateDnr } from './dnr-evaluator.ts';
import { filter, httpUrl } from './url-filter/arbitraries.ts';
import { generateFilters } from '../../bench/url-match/generate-filters.ts';

const BLOCKED = '/pages/blocked.html';

/** `new URL(raw).href`, or null when WHATWG rejects it (e.g. a host ending in a number). */
function canonical(raw: string): string | null {
  try {
    return new URL(raw).href;
  } catch {
    return null;
  }
}

/**
 * The contract of compileDnr, checked on one URL: a DNR block is always a matcher block;
 * and unless the URL is left to the navigation check, DNR's verdict is the matcher's.
 */
function checkContract(
  lists: { blocklist: string[]; allowlist: string[] },
  result: DnrResult,
  urls: readonly string[],
): void {
  const matcher = buildUrlMatcher(lists);
  const triggers = buildUrlFilterSet(result.uncovered.map((u) => u.trigger));
  for (const raw of urls) {
    const url = canonical(raw);
    if (!url) continue;
    const blocked = dnrBlocks(result.rules, url);
    const decision = matcher.decide(url);
    if (blocked) expect(decision.verdict, `DNR blocks ${url} but Chrome allows it`).toBe('block');
    if (leftToNavigationCheck(url) || triggers.firstMatch(url) !== null) continue;
    expect(
      blocked,
      `${url}: DNR ${blocked ? 'blocks' : 'allows'}, Chrome says ${decision.verdict}`,
    ).toBe(decision.verdict === 'block');
  }
}

describe('compileDnr', () => {
  it('blocks everything but the allowlist, redirecting to the blocked page', () => {
    const r = compileDnr({
      blocklist: ['*'],
      allowlist: ['example.com'],
      blockedPagePath: BLOCKED,
    });
    expect(evaluateDnr(r.rules, 'https://other.org/')?.action).toEqual({
      type: 'redirect',
      redirect: { extensionPath: BLOCKED },
    });
    expect(evaluateDnr(r.rules, 'https://mail.example.com/')?.action.type).toBe('allow');
    expect(
      r.rules.every((rule) => rule.condition.resourceTypes.join() === 'main_frame,sub_frame'),
    ).toBe(true);
    expect(r.uncovered).toEqual([]);
  });

  it('gives an allow filter the priority Chrome gives it', () => {
    const lists = {
      blocklist: ['s.xxx.com/a', 'https://s.xxx.com/a/b/c', 'yyy.com/aaa', 'example.com'],
      allowlist: ['s.xxx.com/a/b', 'https://s.xxx.com/a/b/c/d', '.yyy.com/a', 'example.com'],
    };
    const r = compileDnr({ ...lists, blockedPagePath: BLOCKED });
    const urls = [
      'http://s.xxx.com/a/x',
      'http://s.xxx.com/a/b/c',
      'https://s.xxx.com/a/b/c',
      'https://s.xxx.com/a/b/c/d/x',
      'http://yyy.com/aaa',
      'http://www.yyy.com/aaa',
      'https://example.com/',
    ];
    for (const url of urls) {
      expect(dnrBlocks(r.rules, url), url).toBe(
        buildUrlMatcher(lists).decide(url).verdict === 'block',
      );
    }
  });

  it('packs host-only filters into requestDomains, by priority and scheme', () => {
    const blocklist = ['a.com', 'bb.com', 'cc.com', 'https://dd.com', 'x.org', 'y.org'];
    const r = compileDnr(
      { blocklist, allowlist: [], blockedPagePath: BLOCKED },
      { maxDomainsPerRule: 2 },
    );
    const packs = r.rules.filter((rule) => rule.condition.requestDomains);
    const byGroup = new Map<string, string[][]>();
    for (const p of packs) {
      const key = `${p.priority}|${p.condition.urlFilter ?? ''}`;
      byGroup.set(key, [...(byGroup.get(key) ?? []), p.condition.requestDomains!]);
    }
    // Chunks are cut in host-hash order (stable under edits), so compare sets per group.
    expect(
      [...byGroup.values()]
        .map((chunks) => ({
          sizes: chunks.map((c) => c.length).sort(),
          hosts: chunks.flat().sort(),
        }))
        .sort((x, y) => (x.hosts[0]! < y.hosts[0]! ? -1 : 1)),
    ).toEqual([
      // Same stored host length (".a.com", ".x.org", ".y.org") → same priority → one group.
      { sizes: [1, 2], hosts: ['a.com', 'x.org', 'y.org'] },
      { sizes: [2], hosts: ['bb.com', 'cc.com'] },
      { sizes: [1], hosts: ['dd.com'] },
    ]);
    expect(
      packs.find((p) => p.condition.requestDomains?.includes('dd.com'))?.condition.urlFilter,
    ).toBe('|https://');
    expect(r.stats.packedHosts).toBe(6);
  });

  it('reports what DNR cannot express, with a trigger for the navigation check', () => {
    const r = compileDnr(
      {
        blocklist: ['javascript:*', 'example.com:8080', 'a.com?x=1&y=2', 'b.com/p'],
        allowlist: ['youtube.com/watch?v=XYZ'],
        blockedPagePath: BLOCKED,
      },
      { maxRules: 2 },
    );
    expect(r.uncovered.map((u) => [u.filter, u.trigger])).toEqual([
      ['youtube.com/watch?v=XYZ', 'youtube.com'],
      ['javascript:*', 'javascript:*'],
      ['example.com:8080', 'example.com:8080'],
      ['a.com?x=1&y=2', 'a.com'],
      ['b.com/p', 'b.com/p'],
    ]);
    expect(r.uncovered.find((u) => u.filter === 'b.com/p')?.reason).toBe(
      'over the DNR rule budget',
    );
  });

  it('never emits a regex Chrome could reject for size', () => {
    const long = 'https://a.com/' + 'x'.repeat(500);
    const r = compileDnr({
      blocklist: [long],
      allowlist: [long + '?q*'],
      blockedPagePath: BLOCKED,
    });
    expect(r.stats.regexRuleCount).toBe(1);
    expect(r.uncovered.map((u) => [u.list, u.reason])).toEqual([
      [
        'allowlist',
        'query conditions of an allow filter are checked on navigation; the scheme is dropped in DNR',
      ],
      ['blocklist', 'it is too long for a DNR regexFilter'],
    ]);
  });

  it('gives no rule to the filters Chrome ignores', () => {
    // FilterToComponents rejects these (see docs/url-filters.md); Chrome applies the rest.
    const ignored = ['host:65536', 'example.com:*', 'custom_scheme:*', 'a.test:0', 'http://'];
    const lists = { blocklist: [...ignored, 'x.test'], allowlist: ignored };
    const result = compileDnr({ ...lists, blockedPagePath: BLOCKED });
    const clean = compileDnr({ blocklist: ['x.test'], allowlist: [], blockedPagePath: BLOCKED });
    expect(result.rules).toEqual(clean.rules);
    expect(result.uncovered).toEqual([]);
    checkContract(lists, result, ['http://host:65535/', 'http://example.com/', 'https://x.test/']);
  });

  it('leaves explicit ports, userinfo, IPv6 and trailing dots to the navigation check', () => {
    const r = compileDnr({ blocklist: ['*'], allowlist: [], blockedPagePath: BLOCKED });
    for (const url of [
      'https://a.com:8443/',
      'https://u@a.com/',
      'http://[::1]/',
      'https://a.com./',
    ]) {
      expect(leftToNavigationCheck(url)).toBe(true);
      expect(dnrBlocks(r.rules, url), url).toBe(false);
    }
    expect(leftToNavigationCheck('https://a.com/x:y@z')).toBe(false);
    expect(dnrBlocks(r.rules, 'https://a.com/x:y@z')).toBe(true);
  });

  it('httpsOnly upgrades (or blocks) plain http above every filter', () => {
    const r = compileDnr({
      blocklist: ['bad.com'],
      allowlist: ['corp.com'],
      httpsOnly: { hosts: ['corp.com', '.exact.com'], mode: 'upgrade' },
      blockedPagePath: BLOCKED,
    });
    expect(evaluateDnr(r.rules, 'http://mail.corp.com/')?.action.type).toBe('upgradeScheme');
    expect(evaluateDnr(r.rules, 'https://mail.corp.com/')?.action.type).toBe('allow');
    expect(evaluateDnr(r.rules, 'http://exact.com/x')?.action.type).toBe('upgradeScheme');
    expect(evaluateDnr(r.rules, 'http://www.exact.com/x')).toBeNull();
    const b = compileDnr({
      blocklist: [],
      allowlist: ['corp.com'],
      httpsOnly: { hosts: ['corp.com'], mode: 'block' },
      blockedPagePath: BLOCKED,
    });
    expect(dnrBlocks(b.rules, 'http://corp.com/')).toBe(true);
    expect(dnrBlocks(b.rules, 'https://corp.com/')).toBe(false);
  });

  it('matches the core matcher on generated lists (with the uncovered fallback)', () => {
    const limits: fc.Arbitrary<Partial<DnrLimits>> = fc.record({
      maxRules: fc.constantFrom(100, 30_000),
      maxRegexRules: fc.constantFrom(2, 1_000),
      maxUnsafeRules: fc.constantFrom(1, 5_000),
      maxDomainsPerRule: fc.constantFrom(1, 3, 20_000),
    });
    fc.assert(
      fc.property(
        fc.array(filter, { maxLength: 40 }),
        fc.array(filter, { maxLength: 25 }),
        fc.array(httpUrl, { minLength: 1, maxLength: 25 }),
        limits,
        (blocklist, allowlist, urls, lim) => {
          const result = compileDnr({ blocklist, allowlist, blockedPagePath: BLOCKED }, lim);
          expect(result.stats.ruleCount).toBeLessThanOrEqual(lim.maxRules ?? 30_000);
          expect(result.stats.regexRuleCount).toBeLessThanOrEqual(lim.maxRegexRules ?? 1_000);
          checkContract({ blocklist, allowlist }, result, urls);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('stays within Chrome limits for 1,000,000 filters', () => {
    const g = generateFilters(1_000_000, 400, 42);
    const result = compileDnr({
      blocklist: g.blocklist,
      allowlist: g.allowlist,
      blockedPagePath: BLOCKED,
    });
    expect(result.stats.filters).toBe(1_000_000);
    expect(result.stats.ruleCount).toBeLessThanOrEqual(30_000);
    expect(result.stats.regexRuleCount).toBeLessThanOrEqual(1_000);
    expect(result.stats.unsafeRuleCount).toBeLessThanOrEqual(5_000);
    expect(result.rules.every((r) => (r.condition.requestDomains?.length ?? 0) <= 20_000)).toBe(
      true,
    );
    expect(new Set(result.rules.map((r) => r.id)).size).toBe(result.rules.length);
    // Every valid filter is enforced in main and sub frames: by DNR or by the navigation check.
    const e = result.stats.enforcement;
    expect(e.unenforced).toBe(0);
    expect(e.notFrameNavigations).toBe(1); // 'javascript:*'
    expect(e.dnrAllFrames + e.navigationCheck + e.notFrameNavigations).toBe(1_000_000);
    expect(e.navigationCheck).toBe(result.uncovered.length - 1);
    checkContract(g, result, g.urls);
  }, 120_000);
});

describe('compileDnr shared regex rules for block paths', () => {
  const blocklist = [
    'aa.com/watch',
    'bb.com/watch',
    'cc.org/watch',
    'https://dd.com/watch',
    'e.io/x',
  ];
  const r = compileDnr({ blocklist, allowlist: ['www.bb.com/watch/ok'], blockedPagePath: BLOCKED });

  it('puts the paths of equal priority in one regex rule, with their hosts', () => {
    const shared = r.rules.filter(
      (rule) => rule.condition.regexFilter && rule.condition.requestDomains,
    );
    expect(
      shared.map((rule) => [
        rule.condition.regexFilter,
        [...rule.condition.requestDomains!].sort(),
      ]),
    ).toEqual([['^https?://[^/?#]+/watch', ['aa.com', 'bb.com', 'cc.org']]]);
    expect(shared[0]?.condition.isUrlFilterCaseSensitive).toBe(true);
    expect(r.uncovered).toEqual([]);
  });

  const table = [
    { url: 'https://aa.com/watch', blocked: true },
    { url: 'http://www.cc.org/watchlater?v=1', blocked: true },
    { url: 'https://bb.com/Watch', blocked: false },
    { url: 'https://aa.com/x/watch', blocked: false },
    { url: 'https://zz.com/watch', blocked: false },
    { url: 'https://www.bb.com/watch/ok/1', blocked: false },
    { url: 'http://dd.com/watch', blocked: false },
    { url: 'https://dd.com/watch', blocked: true },
    { url: 'https://e.io/x', blocked: true },
  ];
  for (const { url, blocked } of table) {
    it(`${url} → ${blocked ? 'blocked' : 'allowed'}, as the core matcher says`, () => {
      expect(dnrBlocks(r.rules, url)).toBe(blocked);
      const matcher = buildUrlMatcher({ blocklist, allowlist: ['www.bb.com/watch/ok'] });
      expect(matcher.decide(url).verdict).toBe(blocked ? 'block' : 'allow');
    });
  }
});

describe('compileDnr enforcement summary', () => {
  // Where one filter ends up, each alone in its list.
  const table: {
    filter: string;
    list: 'blocklist' | 'allowlist';
    expect: keyof DnrResult['stats']['enforcement'] | 'invalid';
  }[] = [
    { filter: 'example.com', list: 'blocklist', expect: 'dnrAllFrames' },
    { filter: '.example.com/docs', list: 'blocklist', expect: 'dnrAllFrames' },
    { filter: 'https://example.com/a*b', list: 'blocklist', expect: 'dnrAllFrames' },
    { filter: 'example.com/p?a=1&b=2', list: 'blocklist', expect: 'navigationCheck' },
    { filter: 'example.com:8080', list: 'blocklist', expect: 'navigationCheck' },
    { filter: 'file://*', list: 'blocklist', expect: 'navigationCheck' },
    { filter: 'data:*', list: 'blocklist', expect: 'navigationCheck' },
    { filter: 'javascript:*', list: 'blocklist', expect: 'notFrameNavigations' },
    { filter: 'example.com/watch?v=1', list: 'allowlist', expect: 'navigationCheck' },
    { filter: 'example.com', list: 'allowlist', expect: 'dnrAllFrames' },
    { filter: 'example.com:*', list: 'blocklist', expect: 'invalid' },
  ];
  for (const row of table) {
    it(`${row.list} ${row.filter} → ${row.expect}`, () => {
      const lists = { blocklist: [] as string[], allowlist: [] as string[] };
      lists[row.list].push(row.filter);
      const e = compileDnr({ ...lists, blockedPagePath: BLOCKED }).stats.enforcement;
      const want = { dnrAllFrames: 0, navigationCheck: 0, notFrameNavigations: 0, unenforced: 0 };
      if (row.expect !== 'invalid') want[row.expect] = 1;
      expect(e).toEqual(want);
    });
  }

  it('counts the filters over the rule budget as the navigation check', () => {
    const blocklist = ['a.com/1', 'b.com/2', 'c.com/3', 'd.com'];
    const r = compileDnr({ blocklist, allowlist: [], blockedPagePath: BLOCKED }, { maxRules: 3 });
    expect(r.uncovered.map((u) => u.filter)).toEqual(['b.com/2', 'c.com/3']);
    expect(r.stats.enforcement).toEqual({
      dnrAllFrames: 2,
      navigationCheck: 2,
      notFrameNavigations: 0,
      unenforced: 0,
    });
  });
});
