import { describe, expect, it } from 'vitest';
import { activatePolicy } from '../../../extension/background/active-policy.ts';
import { applyRules } from '../../../extension/background/apply-rules.ts';
import { dnrLimitsOf } from '../../../extension/platform/dnr-limits.ts';
import { FakePlatform } from '../fakes/fake-platform.ts';
import { effectivePolicy } from '../fakes/fake-server.ts';

/** The constants each browser exposes on `declarativeNetRequest`, as read in each. */
const CHROMIUM_156 = {
  MAX_NUMBER_OF_DYNAMIC_RULES: 30_000,
  MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES: 5_000,
  MAX_NUMBER_OF_REGEX_RULES: 1_000,
};
const FIREFOX_153 = { MAX_NUMBER_OF_DYNAMIC_RULES: 5_000, MAX_NUMBER_OF_REGEX_RULES: 1_000 };

describe('dnrLimitsOf', () => {
  it.each([
    {
      browser: 'Chromium 156',
      constants: CHROMIUM_156,
      expect: { maxRules: 30_000, maxUnsafeRules: 5_000, maxRegexRules: 1_000 },
    },
    {
      browser: 'Firefox 153: no unsafe limit, redirects count against the total',
      constants: FIREFOX_153,
      expect: { maxRules: 5_000, maxUnsafeRules: 5_000, maxRegexRules: 1_000 },
    },
    {
      browser: 'an unsafe limit above the total is capped by it',
      constants: { MAX_NUMBER_OF_DYNAMIC_RULES: 100, MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES: 500 },
      expect: { maxRules: 100, maxUnsafeRules: 100 },
    },
    { browser: 'no constants: the compiler keeps its defaults', constants: {}, expect: {} },
    {
      browser: 'nonsense values are ignored',
      constants: {
        MAX_NUMBER_OF_DYNAMIC_RULES: '5000',
        MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES: -1,
        MAX_NUMBER_OF_REGEX_RULES: 1.5,
      },
      expect: {},
    },
  ])('$browser', ({ constants, expect: want }) => {
    expect(dnrLimitsOf(constants)).toEqual(want);
  });
});

describe('applyRules within the browser’s limits', () => {
  /**
   * 8,000 path filters with a path each, so no two share a rule: one rule each (beyond the
   * regex rules) under Chrome's limits, more than Firefox accepts.
   */
  const active = activatePolicy({
    v: 1,
    version: 1,
    issuedAt: new Date(0).toISOString(),
    groupId: 'g1',
    groupName: 'staff',
    policy: effectivePolicy({
      urlBlocklist: Array.from({ length: 8_000 }, (_, i) => `site${i}.example/path${i}`),
    }),
  });

  /** A platform that refuses a rule set past its limit, as Firefox does. */
  function firefoxLike(limits: FakePlatform['dnr']['limits']): FakePlatform {
    const platform = new FakePlatform();
    const update = platform.dnr.updateDynamicRules;
    platform.dnr = {
      ...platform.dnr,
      limits,
      updateDynamicRules: async (u) => {
        if (u.addRules.length > 5_000) throw new Error('Number of dynamic rules exceeded');
        return update(u);
      },
    };
    return platform;
  }

  it('compiled for Chrome, Firefox refuses the set and every navigation falls to the guard', async () => {
    const platform = firefoxLike(undefined);
    const state = await applyRules(platform, active);
    expect(state.error).toMatch(/exceeded/);
    expect(state.triggers).toBeNull();
    expect(platform.dnrRules).toHaveLength(0);
  });

  it('compiled for Firefox’s own limits, the rules fit and only the overflow falls to the guard', async () => {
    const platform = firefoxLike(dnrLimitsOf(FIREFOX_153));
    const state = await applyRules(platform, active);
    expect(state.error).toBeUndefined();
    expect(platform.dnrRules).toHaveLength(5_000);
    expect(state.triggers).not.toBeNull();
    expect(state.triggers!.length).toBeGreaterThan(0);
  });
});
