import { Window as HappyWindow } from 'happy-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildDataControls } from '../../core/policy/data-controls.ts';
import type { DataControlRule } from '../../core/policy/types.ts';
import { EnforcerContext, type CallBackground } from '../../extension/content/enforcer-context.ts';
import { ok } from '../../extension/shared/reply.ts';
import { textHash } from '../../extension/shared/text-hash.ts';

// Office hours in UTC, so the test reads the same on any machine's zone.
const HOURS = { timeZone: 'UTC', windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }] };
const RULES: DataControlRule[] = [
  {
    name: 'No printing of corp pages in office hours',
    rule_id: 'corp-print-hours',
    sources: { urls: ['corp.test'] },
    when: HOURS,
    restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
  },
  {
    name: 'Keep corp text in during office hours',
    rule_id: 'corp-copy-hours',
    sources: { urls: ['corp.test'] },
    destinations: { not: { urls: ['corp.test'] } },
    when: HOURS,
    restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
  },
];
const WEDNESDAY_10 = new Date('2026-12-02T10:00:00Z');
const WEDNESDAY_18 = new Date('2026-12-02T18:00:00Z');
const SATURDAY_10 = new Date('2026-12-05T10:00:00Z');
const COPIED = 'corp roadmap';

const windows: HappyWindow[] = [];
beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
afterEach(async () => {
  vi.useRealTimers();
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

/** A content script's context on `url`, talking to a background that decides as the real one does. */
async function contextOn(url: string) {
  const happy = new HappyWindow({ url });
  windows.push(happy);
  const controls = buildDataControls({ dataControls: RULES, apps: [] });
  const tables: string[] = [];
  const call = (async (type: string) => {
    if (type === 'policy.snapshot') {
      return ok({ enrolled: true, version: 1, controls: { dataControls: RULES, apps: [] } });
    }
    if (type === 'clipboard.pasteTable') {
      const now = new Date();
      tables.push(now.toISOString());
      const d = controls.decide({
        action: 'paste',
        source: { url: 'https://corp.test/roadmap' },
        destination: { url },
        now,
      });
      return ok({ url, at: now.toISOString(), entries: [[textHash(COPIED), d]] });
    }
    return ok({ recorded: true });
  }) as CallBackground;
  const ctx = new EnforcerContext(happy as unknown as Window & typeof globalThis, call, {
    notice: () => {},
    confirm: async () => true,
  });
  await ctx.refresh();
  return { ctx, tables };
}

describe('data-control rules with `when`, on the device', () => {
  it('apply inside their hours and not outside, on the device clock', async () => {
    vi.setSystemTime(WEDNESDAY_10);
    const { ctx } = await contextOn('https://corp.test/report');
    expect(ctx.decide('print').rule?.rule_id).toBe('corp-print-hours');
    vi.setSystemTime(WEDNESDAY_18);
    expect(ctx.decide('print').level).toBeNull();
    vi.setSystemTime(SATURDAY_10);
    expect(ctx.decide('print').level).toBeNull();
  });

  it('a paste decision made before a window edge is not reused after it', async () => {
    vi.setSystemTime(WEDNESDAY_10);
    const { ctx, tables } = await contextOn('https://personal.test/notes');
    expect(ctx.decidePaste(textHash(COPIED))).toMatchObject({ level: 'BLOCK' });
    // Office hours end: the table's BLOCK no longer holds, so the page must ask again.
    vi.setSystemTime(WEDNESDAY_18);
    expect(ctx.decidePaste(textHash(COPIED))).toBe('stale');
    await ctx.refresh();
    expect(tables).toHaveLength(2);
    expect(ctx.decidePaste(textHash(COPIED))).toEqual({ level: null, rule: null });
    // And the other way: the table made in the evening is stale once hours start again.
    vi.setSystemTime(new Date('2026-12-03T09:00:00Z'));
    expect(ctx.decidePaste(textHash(COPIED))).toBe('stale');
  });
});
