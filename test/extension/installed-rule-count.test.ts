import { describe, expect, it } from 'vitest';
import type { RulesState } from '../../extension/background/apply-rules.ts';
import { InstalledRuleCount } from '../../extension/background/posture-report.ts';
import type { Platform } from '../../extension/platform/types.ts';

const REUSE_MS = 4 * 60_000;

/** A browser whose rule read-back takes `delayMs` (a million-filter set takes about 1.2 s). */
function browserHolding(ids: number[], delayMs: number) {
  const reads = { count: 0 };
  const platform = {
    dnr: {
      getDynamicRuleIds: async () => {
        reads.count++;
        await new Promise((r) => setTimeout(r, delayMs));
        return [...ids];
      },
    },
  } as unknown as Platform;
  return { platform, reads };
}

const rulesState = (ruleCount: number): RulesState => ({ version: 1, ruleCount, triggers: [] });

describe('InstalledRuleCount', () => {
  it('reads a cheap rule set back every time, so a change shows at once', async () => {
    const ids = [1, 2, 3];
    const { platform, reads } = browserHolding(ids, 0);
    const count = new InstalledRuleCount({ platform, now: () => 0, reuseMs: REUSE_MS });
    const rules = rulesState(3);
    expect(await count.read(rules)).toBe(3);
    ids.pop();
    expect(await count.read(rules)).toBe(2);
    expect(reads.count).toBe(2);
  });

  it('reuses a slow read for one heartbeat, counts its own updates, and reads again after', async () => {
    const ids = [1, 2, 3];
    const { platform, reads } = browserHolding(ids, InstalledRuleCount.SLOW_MS + 30);
    let now = 0;
    const count = new InstalledRuleCount({ platform, now: () => now, reuseMs: REUSE_MS });
    const first = rulesState(3);
    expect(await count.read(first)).toBe(3);
    ids.pop(); // changed behind the extension's back
    now = 60_000;
    expect(await count.read(first)).toBe(3);
    expect(reads.count).toBe(1);
    // The extension's own accepted update: what it installed, without a read.
    const applied = rulesState(5);
    expect(await count.read(applied)).toBe(5);
    expect(reads.count).toBe(1);
    // A refused update is never taken on trust.
    expect(await count.read({ ...rulesState(5), error: 'refused' })).toBe(2);
    expect(reads.count).toBe(2);
    now = 60_000 + REUSE_MS;
    expect(await count.read(applied)).toBe(2);
    expect(reads.count).toBe(3);
  });
});
