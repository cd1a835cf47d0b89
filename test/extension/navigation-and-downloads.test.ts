import { describe, expect, it } from 'vitest';
import { FakeServer } from './fakes/fake-server.ts';
import { CONTENT, enrolled, recordFromPage, waitUntil } from './fakes/harness.ts';

const BLOCKED_PAGE = {
  url: 'chrome-extension://palisadetestid/pages/blocked.html',
  tabId: 5,
  frameId: 0,
};

async function withPolicy(policy: Parameters<FakeServer['publish']>[0]) {
  const server = await FakeServer.create();
  await server.publish(policy);
  const h = await enrolled({ server });
  server.down = true; // keep events in the queue for the assertions
  return h;
}

describe('navigation guard', () => {
  it('records a blocked navigation and tells the blocked page the URL (at the policy detail) and filter', async () => {
    const h = await withPolicy({
      urlBlocklist: ['blocked.test'],
      auditUrlDetail: 'origin',
      messages: { blockedPage: 'Not for work.', contact: 'it@corp.test' },
    });
    const info = h.send('blocked.info', {}, BLOCKED_PAGE);
    h.platform.fireNavigation({ tabId: 5, frameId: 0, url: 'https://www.blocked.test/secret?q=1' });
    expect(await info).toEqual({
      ok: true,
      value: {
        found: true,
        url: 'https://www.blocked.test',
        filter: 'blocked.test',
        reason: 'url_filter',
        policyName: 'Staff',
        message: 'Not for work.',
        contact: 'it@corp.test',
        // What "Request access" would ask for: that exact host only.
        exceptionFilter: '.www.blocked.test',
      },
    });
    const [event] = await h.queue.oldest(5);
    expect(event).toMatchObject({
      kind: 'navigation',
      action: 'navigate',
      outcome: 'blocked',
      ruleId: 'blocked.test',
      url: 'https://www.blocked.test',
    });
    // DNR covers this filter: the guard does not navigate the tab itself.
    expect(h.platform.tabUpdates).toEqual([]);
  });

  it('gives events time-ordered UUIDv7 ids, so the server appends them to its id index in order', async () => {
    const h = await withPolicy({ urlBlocklist: ['blocked.test'] });
    for (const [i, host] of ['a', 'b', 'c'].entries()) {
      h.platform.fireNavigation({ tabId: 5 + i, frameId: 0, url: `https://${host}.blocked.test/` });
      await waitUntil(async () => (await h.queue.count()) === i + 1);
    }
    const ids = (await h.queue.oldest(3)).map((e) => e.id);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    // The first 48 bits are the time the event was recorded, in milliseconds.
    expect(
      Math.abs(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16) - Date.now()),
    ).toBeLessThan(60_000);
  });

  it('keeps nothing for a navigation no policy acts on', async () => {
    const h = await withPolicy({ urlBlocklist: ['blocked.test'] });
    h.platform.fireNavigation({ tabId: 5, frameId: 0, url: 'https://news.test/' });
    await new Promise((r) => setTimeout(r, 20));
    expect(await h.queue.count()).toBe(0);
    expect(Object.keys(await h.platform.areas.session.get())).toEqual([]);
  });

  it('enforces what DNR leaves to it (another scheme) by sending the tab to the blocked page', async () => {
    const h = await withPolicy({ urlBlocklist: ['file://*'] });
    h.platform.fireNavigation({ tabId: 5, frameId: 0, url: 'file:///etc/passwd' });
    await waitUntil(() => h.platform.tabUpdates.length === 1);
    expect(h.platform.tabUpdates[0]).toEqual({ tabId: 5, url: BLOCKED_PAGE.url });
  });

  it('enforces every block itself when the browser refused the rules', async () => {
    const server = await FakeServer.create();
    await server.publish({ urlBlocklist: ['blocked.test'] });
    const h = await enrolled({ server });
    h.platform.dnr.updateDynamicRules = async () => {
      throw new Error('Dynamic rule count exceeded.');
    };
    await server.publish({ urlBlocklist: ['blocked.test', 'more.test'] });
    await h.bg.sync.sync();
    expect(h.bg.state.rules).toMatchObject({
      triggers: null,
      error: 'Dynamic rule count exceeded.',
    });
    h.platform.fireNavigation({ tabId: 5, frameId: 0, url: 'https://more.test/' });
    await waitUntil(() => h.platform.tabUpdates.length === 1);
  });

  it('blocks plain-http navigations to httpsOnly hosts in block mode', async () => {
    const h = await withPolicy({ httpsOnly: { hosts: ['corp.test'], mode: 'block' } });
    const info = h.send('blocked.info', {}, BLOCKED_PAGE);
    h.platform.fireNavigation({ tabId: 5, frameId: 0, url: 'http://mail.corp.test/' });
    expect(await info).toMatchObject({
      ok: true,
      value: { reason: 'https_only', filter: 'httpsOnly: corp.test' },
    });
  });
});

describe('download guard', () => {
  const policy = {
    dataControls: [
      {
        name: 'No corp downloads',
        rule_id: 'dl-block',
        sources: { urls: ['corp.test'] },
        restrictions: [{ class: 'FILE_DOWNLOAD' as const, level: 'BLOCK' as const }],
      },
      {
        name: 'Ask on files',
        rule_id: 'dl-warn',
        sources: { urls: ['files.test'] },
        restrictions: [{ class: 'FILE_DOWNLOAD' as const, level: 'WARN' as const }],
      },
    ],
  };

  it('cancels and erases a blocked download, tells the page and records it', async () => {
    const h = await withPolicy(policy);
    h.platform.tabReply = () => ({ ok: true, value: null });
    h.platform.fireDownload({
      id: 3,
      url: 'https://corp.test/report.pdf',
      referrer: 'https://corp.test/reports',
    });
    await waitUntil(async () => (await h.queue.count()) === 1);
    expect(h.platform.downloadCalls).toEqual(['cancel:3', 'removeFile:3', 'erase:3']);
    expect(h.platform.tabMessages[0]?.message).toMatchObject({
      type: 'notice.show',
      body: { ruleName: 'No corp downloads' },
    });
    expect((await h.queue.oldest(1))[0]).toMatchObject({
      kind: 'download',
      outcome: 'blocked',
      ruleId: 'dl-block',
    });
  });

  it('pauses a WARN download, asks, and resumes when the user proceeds', async () => {
    const h = await withPolicy(policy);
    h.platform.tabReply = () => ({ ok: true, value: { proceed: true } });
    h.platform.fireDownload({
      id: 4,
      url: 'https://files.test/a.zip',
      filename: '/home/u/Downloads/a.zip',
    });
    await waitUntil(async () => (await h.queue.count()) === 1);
    expect(h.platform.downloadCalls).toEqual(['pause:4', 'resume:4']);
    expect((await h.queue.oldest(1))[0]).toMatchObject({ outcome: 'proceeded', level: 'WARN' });
  });

  it('fails closed when nobody can be asked', async () => {
    const h = await withPolicy(policy);
    h.platform.tabReply = undefined;
    h.platform.fireDownload({ id: 5, url: 'https://files.test/a.zip' });
    await waitUntil(async () => (await h.queue.count()) === 1);
    expect(h.platform.downloadCalls).toContain('cancel:5');
    expect((await h.queue.oldest(1))[0]).toMatchObject({ outcome: 'cancelled' });
  });

  it('lets downloads no rule covers run untouched', async () => {
    const h = await withPolicy(policy);
    h.platform.fireDownload({ id: 6, url: 'https://elsewhere.test/a.zip' });
    await new Promise((r) => setTimeout(r, 20));
    expect(h.platform.downloadCalls).toEqual([]);
    expect(await h.queue.count()).toBe(0);
  });
});

describe('clipboard provenance', () => {
  it('judges a paste by where the text was copied, without keeping the text', async () => {
    const h = await withPolicy({
      dataControls: [
        {
          name: 'Corp stays in corp',
          rule_id: 'corp-paste',
          sources: { urls: ['corp.test'] },
          destinations: { not: { urls: ['corp.test'] } },
          restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
        },
      ],
    });
    await h.send('clipboard.copied', { hash: 'aaaaaaaaaaaaaa' }, CONTENT('https://corp.test/doc'));
    await h.send('clipboard.copied', { hash: 'bbbbbbbbbbbbbb' }, CONTENT('https://personal.test/'));
    const table = (await h.send(
      'clipboard.pasteTable',
      {},
      CONTENT('https://personal.test/mail'),
    )) as {
      value: { entries: [string, { level: string | null }][] };
    };
    expect(Object.fromEntries(table.value.entries.map(([k, d]) => [k, d.level]))).toEqual({
      aaaaaaaaaaaaaa: 'BLOCK',
      bbbbbbbbbbbbbb: null,
    });
    expect(JSON.stringify(table)).not.toContain('corp.test/doc');
    await recordFromPage(h, 'https://personal.test/mail', {
      action: 'paste',
      outcome: 'blocked',
      pasteHash: 'aaaaaaaaaaaaaa',
    });
    expect((await h.queue.oldest(1))[0]).toMatchObject({
      url: 'https://corp.test/doc',
      destinationUrl: 'https://personal.test/mail',
      ruleId: 'corp-paste',
    });
  });
});
