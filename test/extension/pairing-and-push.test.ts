import { describe, expect, it } from 'vitest';
import { PAIR_REQUESTS_PER_WINDOW } from '../../extension/background/pairing.ts';
import { PushChannel, type PushEvent } from '../../extension/background/push-channel.ts';
import { FakeServer } from './fakes/fake-server.ts';
import { FakeSocket } from './fakes/fake-socket.ts';
import { CONTENT, enrolled, recorded, startHarness, waitUntil } from './fakes/harness.ts';
import { ManualTimers } from './fakes/manual-timers.ts';

const PWA = CONTENT('https://palisade.test/devices');
const pairPage = (url: string) => ({ url, tabId: 99, frameId: 0 });

describe('BYOD pairing', () => {
  it('asks the user on the pairing page, then exchanges the token and tells the PWA', async () => {
    const server = await FakeServer.create();
    await server.publish({ urlBlocklist: ['blocked.test'] });
    const h = await startHarness({ server });
    h.platform.tabReply = () => ({ ok: true, value: null });

    const reply = (await h.send(
      'pair.request',
      { token: 'pair-token-1', serverUrl: server.origin },
      PWA,
    )) as {
      ok: true;
      value: { requestId: string };
    };
    expect(reply.ok).toBe(true);
    const page = h.platform.tabsCreated[0]!;
    expect(page).toBe(`chrome-extension://palisadetestid/pages/pair.html#${reply.value.requestId}`);
    // Nothing is exchanged before the user confirms.
    expect(server.requests).not.toContain('POST /device/pair');

    const requestId = reply.value.requestId;
    expect(await h.send('pair.pending', { requestId }, pairPage(page))).toMatchObject({
      ok: true,
      value: { serverUrl: server.origin, replaces: false },
    });
    // Only the pairing page may decide.
    expect(await h.send('pair.decide', { requestId, accept: true }, PWA)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await h.send('pair.decide', { requestId, accept: true }, pairPage(page))).toEqual({
      ok: true,
      value: { enrolled: true },
    });
    expect(await h.bg.store.enrollment()).toMatchObject({
      via: 'pairing',
      serverUrl: server.origin,
      user: { email: 'emma@corp.test' },
    });
    expect(h.platform.tabMessages.at(-1)).toMatchObject({
      tabId: 7,
      frameId: 0,
      message: { type: 'pair.result', body: { ok: true, user: { name: 'Emma Employee' } } },
    });
    await waitUntil(() => h.bg.state.active?.version === 1);
  });

  it('a declined request exchanges nothing and cannot be replayed', async () => {
    const h = await startHarness();
    const reply = (await h.send(
      'pair.request',
      { token: 'pair-token-1', serverUrl: h.server.origin },
      PWA,
    )) as {
      value: { requestId: string };
    };
    const page = pairPage(h.platform.tabsCreated[0]!);
    expect(
      await h.send('pair.decide', { requestId: reply.value.requestId, accept: false }, page),
    ).toEqual({
      ok: true,
      value: { enrolled: false },
    });
    expect(
      await h.send('pair.decide', { requestId: reply.value.requestId, accept: true }, page),
    ).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(h.server.requests).not.toContain('POST /device/pair');
  });

  it('a managed browser refuses every pairing, its own server’s origin included', async () => {
    const server = await FakeServer.create();
    await server.publish({ urlBlocklist: ['blocked.test'] });
    // Enrolled from managed storage; an employee of a laxer group opens the PWA of the same
    // server and asks to pair the browser with their own device (and group).
    const h = await enrolled({ server });
    const before = await h.bg.store.enrollment();
    for (const [origin, page] of [
      [server.origin, PWA],
      ['https://other.test', CONTENT('https://other.test/')],
    ] as const) {
      expect(
        await h.send('pair.request', { token: 'pair-token-1', serverUrl: origin }, page),
      ).toMatchObject({
        ok: false,
        code: 'refused',
      });
    }
    expect(h.platform.tabsCreated).toEqual([]);
    expect(server.requests).not.toContain('POST /device/pair');
    expect(await h.bg.store.enrollment()).toEqual(before);
  });

  it('says plainly when pairing replaces the current enrollment, and sends the old server’s events nowhere', async () => {
    const server = await FakeServer.create();
    await server.publish({ urlBlocklist: ['blocked.test'] });
    const h = await startHarness({ server });
    h.platform.tabReply = () => ({ ok: true, value: null });
    const first = (await h.send(
      'pair.request',
      { token: 'pair-token-1', serverUrl: h.server.origin },
      PWA,
    )) as { value: { requestId: string } };
    const firstPage = pairPage(h.platform.tabsCreated[0]!);
    await h.send('pair.decide', { requestId: first.value.requestId, accept: true }, firstPage);
    expect((await h.bg.store.enrollment())?.serverUrl).toBe(h.server.origin);
    h.server.down = true; // an event waits in the queue for the first server
    const uploads = () => h.server.requests.filter((r) => r === 'POST /device/audit').length;
    const tried = uploads();
    await h.bg.recorder.record(
      { kind: 'print', level: 'BLOCK', outcome: 'blocked' },
      { auditUrlDetail: 'full' },
    );
    await waitUntil(() => uploads() > tried);
    expect(await h.queue.count()).toBe(1);
    h.server.down = false;

    h.server.pairingTokens.add('other-token');
    const other = CONTENT('https://other.test/portal');
    const second = (await h.send(
      'pair.request',
      { token: 'other-token', serverUrl: 'https://other.test' },
      other,
    )) as { value: { requestId: string } };
    const page = pairPage(h.platform.tabsCreated[1]!);
    expect(await h.send('pair.pending', { requestId: second.value.requestId }, page)).toEqual({
      ok: true,
      value: { serverUrl: 'https://other.test', currentServerUrl: h.server.origin, replaces: true },
    });
    await h.send('pair.decide', { requestId: second.value.requestId, accept: true }, page);
    expect((await h.bg.store.enrollment())?.serverUrl).toBe('https://other.test');
    expect(await h.queue.count()).toBe(0);
    expect(h.server.events.size).toBe(0);
  });

  it('any page may open the confirmation only a few times in ten minutes', async () => {
    const h = await startHarness();
    const ask = () =>
      h.send(
        'pair.request',
        { token: 't', serverUrl: 'https://evil.test' },
        CONTENT('https://evil.test/'),
      );
    for (let i = 0; i < PAIR_REQUESTS_PER_WINDOW; i++)
      expect(await ask()).toMatchObject({ ok: true });
    expect(await ask()).toMatchObject({ ok: false, code: 'refused' });
    expect(h.platform.tabsCreated).toHaveLength(PAIR_REQUESTS_PER_WINDOW);
  });
});

describe('the page bridge', () => {
  it('answers any page while the browser is unenrolled and unmanaged (its PWA must find it)', async () => {
    const h = await startHarness();
    expect(await h.send('bridge.hello', {}, CONTENT('https://anywhere.test/'))).toEqual({
      ok: true,
      value: { version: '0.1.0', enrolled: false, managed: false },
    });
  });

  it('once enrolled, answers only its own server: other pages learn nothing', async () => {
    const h = await enrolled();
    expect(await h.send('bridge.hello', {}, PWA)).toEqual({
      ok: true,
      value: { version: '0.1.0', enrolled: true, managed: true, deviceId: 'dev-1' },
    });
    expect(await h.send('bridge.hello', {}, CONTENT('https://tracker.test/'))).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
  });

  it('a browser pinned by managed storage answers only the pinned server, enrolled or not', async () => {
    const h = await startHarness({ managed: { serverUrl: 'https://palisade.test' } });
    expect(await h.send('bridge.hello', {}, PWA)).toMatchObject({ ok: true });
    expect(await h.send('bridge.hello', {}, CONTENT('https://tracker.test/'))).toMatchObject({
      ok: false,
    });
  });
});

describe('push channel', () => {
  const channel = (events: PushEvent[] = []) => {
    const timers = new ManualTimers();
    const sockets: FakeSocket[] = [];
    const push = new PushChannel({
      createSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      timers,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
    });
    return { push, timers, sockets, events };
  };

  it('authenticates with its first message and reports server messages', () => {
    const { push, sockets, events } = channel();
    push.open('https://palisade.test', 'cred-1');
    expect(sockets[0]!.url).toBe('wss://palisade.test/api/v1/device/push');
    sockets[0]!.emit('open');
    expect(JSON.parse(sockets[0]!.sent[0]!)).toEqual({ type: 'auth', credential: 'cred-1' });
    sockets[0]!.receive({ type: 'hello', version: 3 });
    sockets[0]!.receive({ type: 'ping' });
    sockets[0]!.receive({ type: 'policy', version: 4 });
    const envelope = { alg: 'ES256', keyId: 'k', payload: '{}', signature: 's' };
    sockets[0]!.receive({ type: 'policy', version: 5, etag: '"e5"', envelope });
    sockets[0]!.receive({ type: 'policy', version: 6, etag: 7, envelope: 'not an object' });
    sockets[0]!.receive({
      type: 'policy',
      version: 7,
      etag: '"e7"',
      baseEtag: '"e5"',
      deltas: [envelope],
    });
    sockets[0]!.receive({
      type: 'policy',
      version: 8,
      etag: '"e8"',
      baseEtag: 5,
      deltas: [envelope],
    });
    sockets[0]!.receive({ type: 'policy', version: 9, etag: '"e9"', baseEtag: '"e8"', deltas: {} });
    expect(push.connected).toBe(true);
    expect(events).toEqual([
      { type: 'hello', version: 3 },
      { type: 'policy', version: 4 },
      { type: 'policy', version: 5, pushed: { envelope, etag: '"e5"' } },
      { type: 'policy', version: 6 },
      {
        type: 'policy',
        version: 7,
        pushed: { deltas: [envelope], etag: '"e7"', baseEtag: '"e5"' },
      },
      { type: 'policy', version: 8 },
      { type: 'policy', version: 9 },
    ]);
  });

  it('reconnects with growing backoff, and not after the server refuses the credential', () => {
    const { push, timers, sockets, events } = channel();
    push.open('http://localhost:8787', 'cred-1');
    sockets[0]!.emit('close', { code: 1006 });
    expect(timers.delays).toEqual([750]);
    timers.advance(750);
    sockets[1]!.emit('close', { code: 1006 });
    expect(timers.delays).toEqual([1500]);
    timers.advance(1500);
    expect(sockets).toHaveLength(3);
    sockets[2]!.emit('close', { code: 4403 });
    expect(timers.delays).toEqual([]);
    expect(events).toEqual([{ type: 'auth_failed', code: 4403 }]);
  });

  it('treats 65 s of silence as a dead connection', () => {
    const { push, timers, sockets } = channel();
    push.open('https://palisade.test', 'cred-1');
    sockets[0]!.emit('open');
    sockets[0]!.receive({ type: 'hello', version: 1 });
    timers.advance(65_000);
    expect(push.connected).toBe(false);
    expect(sockets[0]!.closed).toBe(1000);
    timers.advance(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('a publish pushed to the worker is fetched and applied; only a signed revoke stops it', async () => {
    const server = await FakeServer.create();
    await server.publish({ urlBlocklist: ['a.test'] });
    const h = await enrolled({ server });
    const socket = h.sockets.at(-1)!;
    socket.emit('open');
    socket.receive({ type: 'hello', version: 1 });
    await server.publish({ urlBlocklist: ['b.test'] });
    socket.receive({ type: 'policy', version: 2 });
    await waitUntil(() => h.bg.state.active?.version === 2);
    expect(server.acks).toContain(2);
    // Unsigned, while the server says the device is active: a hint, refused and audited.
    socket.receive({ type: 'revoked' });
    await waitUntil(() => server.requests.includes('GET /device/commands'));
    await waitUntil(async () => (await recorded(h)).some((e) => e.detail?.code === 'unsigned'));
    expect((await h.bg.store.status()).revoked).toBe(false);
    socket.receive({ type: 'command', command: await server.command('revoke') });
    await waitUntil(async () => (await h.bg.store.status()).revoked);
    expect(socket.closed).toBe(1000);
    expect(h.bg.state.active?.version).toBe(2);
  });
});
