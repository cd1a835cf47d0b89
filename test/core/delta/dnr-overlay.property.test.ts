import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileDnr, leftToNavigationCheck } from '../../../core/policy/compile-dnr.ts';
import {
  editedDomains,
  MAX_OVERLAY_DOMAINS,
  overlayRule,
} from '../../../core/policy/dnr-overlay.ts';
import { listEdit } from '../../../core/policy/list-edit.ts';
import { buildUrlFilterSet } from '../../../core/policy/url-filter/url-filter-set.ts';
import { buildUrlMatcher } from '../../../core/policy/url-filter/url-matcher.ts';
import { dnrBlocks, evaluateDnr } from '../dnr-evaluator.ts';
import { filter, httpUrl } from '../url-filter/arbitraries.ts';

const BLOCKED = '/pages/blocked.html';
type Lists = { blocklist: string[]; allowlist: string[] };

/** A later version of a list: some entries dropped, a few inserted anywhere. */
const nextOf = (from: string[]) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: from.length, maxLength: from.length }),
      fc.array(fc.tuple(fc.nat(), filter), { maxLength: 4 }),
    )
    .map(([keep, inserts]) => {
      const out = from.filter((_, i) => keep[i] || i % 3 !== 0);
      for (const [at, f] of inserts) out.splice(at % (out.length + 1), 0, f);
      return out;
    });

const change = fc
  .tuple(fc.array(filter, { maxLength: 30 }), fc.array(filter, { maxLength: 15 }))
  .chain(([block, allow]) =>
    fc.tuple(nextOf(block), nextOf(allow)).map(([b1, a1]): [Lists, Lists] => [
      { blocklist: block, allowlist: allow },
      { blocklist: b1, allowlist: a1 },
    ]),
  );

function canonical(raw: string): string | null {
  try {
    return new URL(raw).href;
  } catch {
    return null;
  }
}

/** The overlay's domains for the change v0 → v1, or null when it has to update the rules. */
function overlayDomains(v0: Lists, v1: Lists): string[] | null {
  const into = new Set<string>();
  for (const list of ['blocklist', 'allowlist'] as const)
    if (!editedDomains(v0[list], listEdit(v0[list], v1[list]), into)) return null;
  return [...into];
}

describe('a delta enforced by the old rules plus an overlay', () => {
  it("gives the new policy's verdict for every URL (DNR where it judges, the check elsewhere)", () => {
    let overlaid = 0;
    fc.assert(
      fc.property(change, fc.array(httpUrl, { minLength: 1, maxLength: 16 }), ([v0, v1], urls) => {
        const domains = overlayDomains(v0, v1);
        if (domains === null) return;
        overlaid++;
        // What the device holds during the overlay: the old compile, the overlay rule, the
        // old triggers and the overlay's domains as navigation-check triggers.
        const old = compileDnr({ ...v0, blockedPagePath: BLOCKED });
        const rules = [...old.rules, overlayRule(old.rules.length + 1, domains)];
        const triggers = buildUrlFilterSet([...old.uncovered.map((u) => u.trigger), ...domains]);
        const matcher = buildUrlMatcher(v1);
        for (const raw of urls) {
          const url = canonical(raw);
          if (!url) continue;
          const verdict = matcher.decide(url).verdict;
          for (const type of ['main_frame', 'sub_frame'] as const) {
            const rule = evaluateDnr(rules, url, type);
            const blocked = rule?.action.type === 'block' || rule?.action.type === 'redirect';
            // Never blocks what the new policy allows ...
            if (blocked) expect(verdict, `${url} (${type}) blocked, allowed now`).toBe('block');
          }
          // ... and gives its verdict wherever the navigation check does not judge.
          if (leftToNavigationCheck(url) || triggers.firstMatch(url) !== null) continue;
          expect(dnrBlocks(rules, url), `${url}: ${verdict} now`).toBe(verdict === 'block');
        }
      }),
      { numRuns: 3000 },
    );
    // A good share of the generated changes name hosts only: the property is not vacuous.
    expect(overlaid).toBeGreaterThan(300);
  });

  it('names the domains of added and removed filters, exact hosts as their domain', () => {
    const v0 = ['keep.com', 'gone.com/path', 'https://.exact.org'];
    const v1 = ['keep.com', 'new.net:8080', 'https://.exact.org'];
    const into = new Set<string>();
    expect(editedDomains(v0, listEdit(v0, v1), into)).toBe(true);
    expect([...into].sort()).toEqual(['gone.com', 'new.net']);
    expect(editedDomains(['.exact.org'], listEdit(['.exact.org'], []), into)).toBe(true);
    expect(into.has('exact.org')).toBe(true);
  });

  it('refuses a change it cannot confine to domains', () => {
    for (const f of [
      '*',
      'https://*',
      'file:///etc',
      'data:text/html',
      '10.0.0.1',
      '[::1]',
      'a.b.',
    ])
      expect(editedDomains([], listEdit([], [f]), new Set()), f).toBe(false);
    expect(MAX_OVERLAY_DOMAINS).toBeGreaterThan(100);
  });

  it('lets httpsOnly and the guard win over the overlay', () => {
    const compiled = compileDnr({
      blocklist: ['a.com'],
      allowlist: [],
      httpsOnly: { hosts: ['a.com'], mode: 'upgrade' },
      blockedPagePath: BLOCKED,
    });
    const rules = [...compiled.rules, overlayRule(900, ['a.com'])];
    expect(evaluateDnr(rules, 'http://a.com/')?.action.type).toBe('upgradeScheme');
    expect(evaluateDnr(rules, 'https://a.com/')?.action.type).toBe('allow');
  });
});
