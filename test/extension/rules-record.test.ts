import { describe, expect, it } from 'vitest';
import { activatePolicy } from '../../extension/background/active-policy.ts';
import {
  applyRules,
  ruleUpdateRecorded,
  RULES_UPDATING,
} from '../../extension/background/apply-rules.ts';
import { FakePlatform } from './fakes/fake-platform.ts';
import { effectivePolicy } from './fakes/fake-server.ts';

const active = (version: number, urlBlocklist: string[]) =>
  activatePolicy({
    v: 1,
    version,
    issuedAt: new Date(0).toISOString(),
    groupId: 'g1',
    groupName: 'staff',
    policy: effectivePolicy({ urlBlocklist }),
  });

/** A fake browser that counts the reads of its dynamic rules. */
function counting(): { platform: FakePlatform; reads: () => number } {
  const platform = new FakePlatform();
  let reads = 0;
  const read = platform.dnr.getDynamicRuleIds;
  platform.dnr = {
    ...platform.dnr,
    getDynamicRuleIds: () => {
      reads++;
      return read();
    },
  };
  return { platform, reads: () => reads };
}

const lists = (n: number) => Array.from({ length: 40 }, (_, i) => `site${i}.example/p${i % n}`);

describe('the rule diff trusts the stored record unless an update was under way', () => {
  it('a recorded update is followed by a diff that does not read the browser’s rules', async () => {
    const { platform, reads } = counting();
    const first = await applyRules(platform, active(1, lists(3)));
    await ruleUpdateRecorded(platform);
    expect(await platform.storage.local.get(RULES_UPDATING)).toEqual({});
    const before = reads();
    const second = await applyRules(platform, active(2, [...lists(3), 'fresh.example/x']), first);
    expect(second.changed?.removed).not.toBe(-1);
    expect(reads()).toBe(before);
  });

  it('after an update whose record was never stored, it reads the ids and replaces every rule', async () => {
    const { platform, reads } = counting();
    const first = await applyRules(platform, active(1, lists(3)));
    await ruleUpdateRecorded(platform);
    // The worker stops after this update but before its record is stored: `first` is stale.
    await applyRules(platform, active(2, lists(5)));
    expect((await platform.storage.local.get(RULES_UPDATING))[RULES_UPDATING]).toBe(true);
    const before = reads();
    const third = await applyRules(platform, active(3, lists(7)), first);
    expect(reads()).toBeGreaterThan(before);
    expect(third.changed?.removed).toBe(-1);
    const expected = await applyRules(new FakePlatform(), active(3, lists(7)));
    expect(third.ruleCount).toBe(expected.ruleCount);
    expect(platform.dnrRules).toHaveLength(expected.ruleCount);
  });
});
