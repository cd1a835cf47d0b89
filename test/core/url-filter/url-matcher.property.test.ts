import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildUrlMatcher } from '../../../core/policy/url-filter/url-matcher.ts';
import { buildUrlFilterSet } from '../../../core/policy/url-filter/url-filter-set.ts';
import { explainUrl } from '../../../core/policy/url-filter/explain-url.ts';
import { parseUrl } from '../../../core/policy/url-filter/parse-url.ts';
import {
  parseFilterComponents,
  parseUrlFilter,
} from '../../../core/policy/url-filter/parse-url-filter.ts';
import {
  filterTakesPrecedence,
  isBlocklistWildcard,
  precedenceKey,
  precedenceRank,
  toUrlFilterRule,
} from '../../../core/policy/url-filter/filter-precedence.ts';
import { hashKeyBackwards, indexKey } from '../../../core/policy/url-filter/index-key.ts';
import { filterHostKey } from '../../../core/policy/url-filter/match-filter.ts';
import { filter, url } from './arbitraries.ts';

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl(), filter, url);

describe('never throws', () => {
  it('parseUrl, parseUrlFilter and decide accept any string', () => {
    fc.assert(
      fc.property(anyText, fc.array(anyText, { maxLength: 5 }), (text, list) => {
        parseUrl(text);
        parseUrlFilter(text);
        buildUrlMatcher({ blocklist: list, allowlist: [text] }).decide(text);
        buildUrlFilterSet(list).firstMatch(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the index equals a linear scan (explainUrl)', () => {
  it('on generated lists and URLs', () => {
    fc.assert(
      fc.property(
        fc.array(filter, { maxLength: 40 }),
        fc.array(filter, { maxLength: 25 }),
        fc.array(url, { minLength: 1, maxLength: 20 }),
        (blocklist, allowlist, urls) => {
          const m = buildUrlMatcher({ blocklist, allowlist });
          for (const u of urls) {
            expect(m.decide(u), u).toEqual(explainUrl({ blocklist, allowlist }, u).decision);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('buildUrlFilterSet returns the first matching filter', () => {
    fc.assert(
      fc.property(
        fc.array(filter, { maxLength: 25 }),
        fc.array(url, { maxLength: 20 }),
        (filters, urls) => {
          const set = buildUrlFilterSet(filters);
          for (const u of urls) {
            const first = explainUrl({ blocklist: [], allowlist: filters }, u).matches[0];
            expect(set.firstMatch(u), u).toBe(first ? first.filter : null);
          }
        },
      ),
      { numRuns: 800 },
    );
  });
});

describe('precedenceRank orders filters as filterTakesPrecedence does', () => {
  it('rank(a) > rank(b) ⇒ a beats b; equal ranks ⇒ only allow-over-block decides', () => {
    const rule = fc
      .tuple(filter, fc.boolean())
      .map(([f, allow]) => {
        const p = parseUrlFilter(f);
        return p.ok ? toUrlFilterRule(p.filter, allow) : null;
      })
      .filter((r) => r !== null);
    fc.assert(
      fc.property(rule, rule, (a, b) => {
        if (!a || !b || (isBlocklistWildcard(a) && isBlocklistWildcard(b))) return;
        const ra = precedenceRank(a);
        const rb = precedenceRank(b);
        if (ra > rb) expect(filterTakesPrecedence(a, b)).toBe(true);
        if (ra < rb) expect(filterTakesPrecedence(a, b)).toBe(false);
        if (ra === rb) expect(filterTakesPrecedence(a, b)).toBe(a.allow && !b.allow);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the index fast path agrees with the full parser', () => {
  it('indexKey equals hash/exactness/precedence of the parsed filter', () => {
    const plainish = fc
      .array(fc.constantFrom('a', 'B', '.', '1', '0x', 'f', '*', '/', '#', '-', '[', ':', '?'), {
        maxLength: 10,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(plainish, filter, fc.string()), fc.boolean(), (f, allow) => {
        const out = { hash: 0, exact: false, key: 0 };
        const ok = indexKey(f, allow, out);
        const parsed = parseFilterComponents(f);
        expect(ok).toBe(parsed !== null);
        if (!parsed) return;
        const rule = toUrlFilterRule(parsed, allow);
        expect(out).toEqual({
          hash: hashKeyBackwards(filterHostKey(rule)),
          exact: !rule.matchSubdomains,
          key: precedenceKey(rule),
        });
      }),
      { numRuns: 5000 },
    );
  });
});
