import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compileDnr,
  DnrCompilePlan,
  type DnrLimits,
  type DnrResult,
} from '../../../core/policy/compile-dnr.ts';
import { listEdit } from '../../../core/policy/list-edit.ts';
import { evaluateDnr } from '../dnr-evaluator.ts';
import { filter, httpUrl } from '../url-filter/arbitraries.ts';

const BLOCKED = '/pages/blocked.html';
type Lists = { blocklist: string[]; allowlist: string[] };

/** A list and a later version of it: some entries dropped, some inserted anywhere. */
const nextOf = (from: string[]) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: from.length, maxLength: from.length }),
      fc.array(fc.tuple(fc.nat(), filter), { maxLength: 6 }),
    )
    .map(([keep, inserts]) => {
      const out = from.filter((_, i) => keep[i]);
      for (const [at, f] of inserts) out.splice(at % (out.length + 1), 0, f);
      return out;
    });

const history = fc
  .tuple(fc.array(filter, { maxLength: 30 }), fc.array(filter, { maxLength: 15 }))
  .chain(([block, allow]) =>
    fc.tuple(nextOf(block), nextOf(allow)).chain(([b1, a1]) =>
      fc.tuple(nextOf(b1), nextOf(a1)).map(([b2, a2]): Lists[] => [
        { blocklist: block, allowlist: allow },
        { blocklist: b1, allowlist: a1 },
        { blocklist: b2, allowlist: a2 },
      ]),
    ),
  );

// Small budgets, so the budget phases (fallbacks, uncovered filters) are exercised too.
const limits: fc.Arbitrary<Partial<DnrLimits>> = fc.record({
  maxRules: fc.constantFrom(6, 12, 30_000),
  maxRegexRules: fc.constantFrom(1, 2, 1_000),
  maxUnsafeRules: fc.constantFrom(1, 5_000),
  maxDomainsPerRule: fc.constantFrom(1, 2, 3, 20_000),
});

/** The rules without ids, as a sorted list of JSON: equal sets of rules give equal lists. */
const ruleSet = (r: DnrResult) =>
  r.rules.map(({ id: _id, ...rule }) => JSON.stringify(rule)).sort();

function compileOr(run: () => DnrResult): DnrResult | string {
  try {
    return run();
  } catch (error) {
    return (error as Error).message;
  }
}

describe('DnrCompilePlan patched by list edits equals a full compile', () => {
  it('decides every generated URL alike, with the same rules and uncovered filters', () => {
    fc.assert(
      fc.property(
        history,
        limits,
        fc.array(httpUrl, { minLength: 1, maxLength: 12 }),
        ([v0, ...next], lim, urls) => {
          if (!v0) return;
          const plan = new DnrCompilePlan(v0, lim);
          let prev: Lists = v0;
          for (const v of next) {
            for (const list of ['blocklist', 'allowlist'] as const)
              expect(plan.patch(list, prev[list], listEdit(prev[list], v[list]))).toBe(true);
            prev = v;
            const patched = compileOr(() => plan.compile({ blockedPagePath: BLOCKED }));
            const full = compileOr(() => compileDnr({ ...v, blockedPagePath: BLOCKED }, lim));
            if (typeof full === 'string' || typeof patched === 'string') {
              expect(patched).toEqual(full);
              continue;
            }
            for (const u of urls)
              for (const type of ['main_frame', 'sub_frame'] as const) {
                const a = evaluateDnr(patched.rules, u, type);
                const b = evaluateDnr(full.rules, u, type);
                expect([a?.priority, a?.action]).toEqual([b?.priority, b?.action]);
              }
            expect(ruleSet(patched)).toEqual(ruleSet(full));
            expect(patched.uncovered).toEqual(full.uncovered);
            expect(patched.stats).toEqual(full.stats);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('budgets the allowlist fallback alike for kept and fresh plans of the same rule', () => {
    // Found by the property above: a kept plan's condition carries its cached DNR condition,
    // and the fallback bound once counted it apart from a fresh plan's equal condition, so
    // the patched plan widened `a?*` to its host while a full compile gave it its rule.
    const lim = { maxRules: 6, maxRegexRules: 1000, maxUnsafeRules: 1, maxDomainsPerRule: 1 };
    const v0 = { blocklist: ['a', 'x-y.com/a*?q=1'], allowlist: ['.a', 'https://*'] };
    const v1 = { blocklist: [], allowlist: ['a/a', 'a?*', 'https://*', 'https://*'] };
    const plan = new DnrCompilePlan(v0, lim);
    plan.compile({ blockedPagePath: BLOCKED });
    for (const list of ['blocklist', 'allowlist'] as const)
      expect(plan.patch(list, v0[list], listEdit(v0[list], v1[list]))).toBe(true);
    const patched = plan.compile({ blockedPagePath: BLOCKED });
    const full = compileDnr({ ...v1, blockedPagePath: BLOCKED }, lim);
    expect(ruleSet(patched)).toEqual(ruleSet(full));
    expect(patched.uncovered).toEqual(full.uncovered);
    expect(full.uncovered).toEqual([]);
  });

  it('changes only the chunk of a packed group that holds a changed host', () => {
    const hosts = Array.from({ length: 2000 }, (_, i) => `host${i}.example`);
    const plan = new DnrCompilePlan(
      { blocklist: hosts, allowlist: [] },
      { maxDomainsPerRule: 100 },
    );
    const before = plan.compile({ blockedPagePath: BLOCKED });
    // An insertion at the head of the list, and a removal: list order no longer shifts chunks.
    const next = ['fresh0.example', ...hosts.filter((h) => h !== 'host1500.example')];
    expect(plan.patch('blocklist', hosts, listEdit(hosts, next))).toBe(true);
    const after = plan.compile({ blockedPagePath: BLOCKED });
    const kept = new Set(before.rules.map((r) => r.condition.requestDomains));
    const changed = after.rules.filter((r) => !kept.has(r.condition.requestDomains));
    // "fresh0" and "host1500" both have 14 characters: one group, so at most the chunks
    // between their places in hash order change, never the whole group.
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(
      after.rules.filter((r) => r.condition.requestDomains).length,
    );
    expect(ruleSet(after)).toEqual(
      ruleSet(
        compileDnr(
          { blocklist: next, allowlist: [], blockedPagePath: BLOCKED },
          { maxDomainsPerRule: 100 },
        ),
      ),
    );
  });

  it('plans again the block paths of a shared-regex group that loses its rule to a larger one', () => {
    // The irregular-authority allow takes one regex rule: one shared group fits.
    const lim = { maxRegexRules: 2 };
    const watch = ['aa.com/watch', 'bb.com/watch', 'cc.com/watch'];
    const v1 = [...watch, 'dd.com/login', 'ee.com/login'];
    const plan = new DnrCompilePlan({ blocklist: v1, allowlist: [] }, lim);
    const own = (r: DnrResult) => r.rules.flatMap((x) => x.condition.urlFilter ?? []).sort();
    const first = plan.compile({ blockedPagePath: BLOCKED });
    expect(own(first)).toEqual(['||dd.com/login', '||ee.com/login']);
    // Two more /login paths: that group is now the larger and takes the regex rule.
    const v2 = [...v1, 'ff.com/login', 'gg.com/login'];
    expect(plan.patch('blocklist', v1, listEdit(v1, v2))).toBe(true);
    const patched = plan.compile({ blockedPagePath: BLOCKED });
    expect(own(patched)).toEqual(['||aa.com/watch', '||bb.com/watch', '||cc.com/watch']);
    const full = compileDnr({ blocklist: v2, allowlist: [], blockedPagePath: BLOCKED }, lim);
    expect(ruleSet(patched)).toEqual(ruleSet(full));
    expect(patched.uncovered).toEqual(full.uncovered);
    expect(patched.stats).toEqual(full.stats);
  });

  it('refuses an edit made for another list', () => {
    const plan = new DnrCompilePlan({ blocklist: ['a.com'], allowlist: [] });
    expect(plan.patch('blocklist', ['a.com', 'b.com'], { removed: [1], at: [], added: [] })).toBe(
      false,
    );
  });
});
