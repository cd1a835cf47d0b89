import { describe, expect, it } from 'vitest';
import { guardSessionRule } from '../../extension/background/guard-session-rule.ts';
import { enrolledOffline, waitUntil } from './fakes/harness.ts';

const BLOCKED_URL = 'chrome-extension://palisadetestid/pages/blocked.html';
/** `blocked.test:8443` has a port: DNR cannot hold it, the guard's matcher decides. */
const POLICY = {
  urlBlocklist: ['blocked.test:8443', 'covered.test'],
  urlAllowlist: ['blocked.test:8443/public'],
  auditUrlDetail: 'full' as const,
};

const withPolicy = (policy: Parameters<typeof enrolledOffline>[0] = POLICY) =>
  enrolledOffline(policy);

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('navigation guard in sub-frames', () => {
  // What the guard does for a sub-frame navigation (frame 3 of tab 5), by who decides it.
  const cases = [
    {
      name: 'an uncovered filter blocks: the frame goes to the blocked page, a session rule follows',
      url: 'https://blocked.test:8443/embed',
      recorded: 'blocked.test:8443',
      frameNavigated: true,
      sessionRule: '|https://blocked.test:8443/embed|',
    },
    {
      name: 'a DNR-covered filter blocks: recorded, the browser redirects the frame itself',
      url: 'https://www.covered.test/embed',
      recorded: 'covered.test',
      frameNavigated: false,
      sessionRule: null,
    },
    {
      name: 'an allowlisted path inside the uncovered host loads untouched',
      url: 'https://blocked.test:8443/public/x',
      recorded: null,
      frameNavigated: false,
      sessionRule: null,
    },
    {
      name: 'a site no filter names loads untouched',
      url: 'https://news.test/',
      recorded: null,
      frameNavigated: false,
      sessionRule: null,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const h = await withPolicy();
      const info = c.recorded
        ? h.send('blocked.info', {}, { url: BLOCKED_URL, tabId: 5, frameId: 3 })
        : null;
      h.platform.fireNavigation({ tabId: 5, frameId: 3, parentFrameId: 0, url: c.url });
      if (c.recorded) await waitUntil(async () => (await h.queue.count()) === 1);
      if (c.frameNavigated) await waitUntil(() => h.platform.frameNavigations.length === 1);
      await settle();

      const events = await h.queue.oldest(5);
      expect(events.map((e) => e.ruleId ?? null)).toEqual(c.recorded ? [c.recorded] : []);
      if (c.recorded) {
        expect(events[0]).toMatchObject({ kind: 'navigation', outcome: 'blocked', url: c.url });
        // The blocked page shown in that frame names the URL and the filter.
        expect(await info).toMatchObject({
          ok: true,
          value: { found: true, url: c.url, filter: c.recorded },
        });
      }
      expect(h.platform.frameNavigations).toEqual(
        c.frameNavigated ? [{ tabId: 5, frameId: 3, url: BLOCKED_URL }] : [],
      );
      expect(h.platform.sessionRules.map((r) => r.condition.urlFilter)).toEqual(
        c.sessionRule ? [c.sessionRule] : [],
      );
      // The top-level page that embeds the frame stays where it is.
      expect(h.platform.tabUpdates).toEqual([]);
    });
  }

  it('sends the frame away again when the blocked document commits anyway', async () => {
    const h = await withPolicy();
    h.platform.fireCommitted({ tabId: 5, frameId: 3, url: 'https://blocked.test:8443/embed' });
    await waitUntil(() => h.platform.frameNavigations.length === 1);
    expect(h.platform.frameNavigations[0]).toEqual({ tabId: 5, frameId: 3, url: BLOCKED_URL });
    // Recorded once, even though onBeforeNavigate was never seen (a restarted worker).
    expect((await h.queue.oldest(5)).map((e) => e.ruleId)).toEqual(['blocked.test:8443']);

    for (const url of ['https://news.test/', 'https://www.covered.test/', BLOCKED_URL]) {
      h.platform.fireCommitted({ tabId: 5, frameId: 3, url });
    }
    h.platform.fireCommitted({ tabId: 5, frameId: 0, url: 'https://blocked.test:8443/embed' });
    await settle();
    expect(h.platform.frameNavigations).toHaveLength(1);
  });

  it('leaves a repeated load to its session rule: one rule, the frame sent away once', async () => {
    const h = await withPolicy();
    const url = 'https://blocked.test:8443/embed';
    h.platform.fireNavigation({ tabId: 5, frameId: 3, url });
    await waitUntil(() => h.platform.sessionRules.length === 1);
    // The reload: the browser redirects it by the session rule, the guard only records it.
    h.platform.fireNavigation({ tabId: 5, frameId: 3, url });
    await waitUntil(async () => (await h.queue.count()) === 2);
    await settle();
    expect(h.platform.sessionRules).toHaveLength(1);
    expect(h.platform.frameNavigations).toHaveLength(1);
  });

  it('drops its session rules when a new policy is applied', async () => {
    const h = await withPolicy();
    h.platform.fireNavigation({ tabId: 5, frameId: 3, url: 'https://blocked.test:8443/a' });
    h.platform.fireNavigation({ tabId: 6, frameId: 1, url: 'https://blocked.test:8443/b' });
    await waitUntil(() => h.platform.sessionRules.length === 2);
    // Id 1 is a delta overlay's (apply-rules), never the guard's.
    expect(h.platform.sessionRules.map((r) => r.id)).toEqual([2, 3]);
    h.server.down = false;
    await h.server.publish({ urlBlocklist: ['other.test'] });
    await h.bg.sync.sync();
    expect(h.platform.sessionRules).toEqual([]);
  });
});

describe('guardSessionRule', () => {
  const table = [
    { url: 'https://a.test/x?y=1#frag', filter: '|https://a.test/x?y=1|' },
    { url: 'http://a.test:8080/', filter: '|http://a.test:8080/|' },
    { url: 'https://a.test/x*y', filter: null },
    { url: 'https://a.test/x^y', filter: null },
    { url: 'data:text/html,hi', filter: null },
  ];
  for (const { url, filter } of table) {
    it(`${url} → ${String(filter)}`, () => {
      const rule = guardSessionRule(url, 1, '/pages/blocked.html');
      expect(rule?.condition.urlFilter ?? null).toBe(filter);
      if (rule) {
        expect(rule.action).toEqual({
          type: 'redirect',
          redirect: { extensionPath: '/pages/blocked.html' },
        });
        expect(rule.condition.resourceTypes).toEqual(['main_frame', 'sub_frame']);
      }
    });
  }
});
