import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from './fakes/fake-server.ts';
import { enrolled, startHarness, type Harness } from './fakes/harness.ts';

const OFFICE_HOURS = {
  timeZone: 'UTC',
  windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
};
const WEDNESDAY_10 = new Date('2026-12-02T10:00:00Z');
const WEDNESDAY_18 = new Date('2026-12-02T18:00:00Z');
const THURSDAY_10 = new Date('2026-12-03T10:00:00Z');

afterEach(() => vi.useRealTimers());

const blocks = (h: Harness, url: string) => h.bg.state.active?.urls.decide(url).verdict === 'block';
const inDnr = (h: Harness, host: string) => JSON.stringify(h.platform.dnrRules).includes(host);

describe('URL schedules on the device', () => {
  it('add their filters while their window holds, in the matcher and the DNR rules alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(WEDNESDAY_10);
    const server = await FakeServer.create();
    await server.publish({
      urlBlocklist: ['always.test'],
      urlSchedules: [
        { name: 'No games in office hours', when: OFFICE_HOURS, urlBlocklist: ['games.test'] },
      ],
    });
    const h = await enrolled({ server });
    expect(blocks(h, 'https://games.test/')).toBe(true);
    expect(inDnr(h, 'games.test')).toBe(true);

    // Office hours end: the next tick compiles the policy again, without the schedule.
    vi.setSystemTime(WEDNESDAY_18);
    await h.bg.tick();
    expect(blocks(h, 'https://games.test/')).toBe(false);
    expect(inDnr(h, 'games.test')).toBe(false);
    expect(blocks(h, 'https://always.test/')).toBe(true);
    expect(inDnr(h, 'always.test')).toBe(true);
    const updates = h.platform.dnrUpdates.length;
    await h.bg.tick(); // nothing changed: no rule update
    expect(h.platform.dnrUpdates.length).toBe(updates);

    // A worker that starts the next morning applies the rules of the morning.
    vi.setSystemTime(THURSDAY_10);
    const restarted = await startHarness({ restartOf: h });
    expect(blocks(restarted, 'https://games.test/')).toBe(true);
    expect(inDnr(restarted, 'games.test')).toBe(true);
    expect(restarted.bg.state.rules?.schedule).toBe('1');
  });
});
