import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { AccessException } from '../../core/exceptions/access-exception.ts';
import { signExceptionList } from '../../core/exceptions/exception-list.ts';
import { judgeNavigation } from '../../extension/background/active-policy.ts';
import { EXPIRY_ALARM } from '../../extension/background/access-requests.ts';
import { FakeServer } from './fakes/fake-server.ts';
import { enrolled, startHarness, waitUntil, type Harness } from './fakes/harness.ts';

const subtle = globalThis.crypto.subtle as unknown as Subtle;
const T0 = Date.parse('2026-12-03T12:00:00.000Z');
const BLOCKED_PAGE = {
  url: 'chrome-extension://palisadetestid/pages/blocked.html',
  tabId: 5,
  frameId: 0,
};

function clock() {
  let t = T0;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

const sign = (
  server: FakeServer,
  exceptions: AccessException[],
  opts: { deviceId?: string; issuedAt?: number; keys?: FakeServer['keys'] } = {},
) =>
  signExceptionList(
    subtle,
    {
      deviceId: opts.deviceId ?? 'dev-1',
      issuedAt: new Date(opts.issuedAt ?? T0).toISOString(),
      exceptions,
    },
    opts.keys ?? server.keys,
  );

const allowed = (h: Harness, url: string) =>
  h.bg.state.active !== null && !judgeNavigation(h.bg.state.active, url).blocked;

async function setUp(c = clock()) {
  const server = await FakeServer.create();
  await server.publish({ urlBlocklist: ['blocked.test'], auditUrlDetail: 'origin' });
  const h = await enrolled({ server, now: c.now });
  return { server, h, c };
}

describe('access exceptions on the device', () => {
  it('from the blocked page: requests access, then loads the page once the signed exception is in force', async () => {
    const { server, h } = await setUp();
    const info = h.send('blocked.info', {}, BLOCKED_PAGE);
    h.platform.fireNavigation({ tabId: 5, frameId: 0, url: 'https://www.blocked.test/page?x=1' });
    expect(await info).toMatchObject({ ok: true, value: { exceptionFilter: '.www.blocked.test' } });

    const asked = await h.send('access.request', { reason: 'Vendor invoices' }, BLOCKED_PAGE);
    expect(asked).toMatchObject({
      ok: true,
      value: { request: { state: 'pending', filter: '.www.blocked.test' }, allowed: false },
    });
    expect(server.accessRequestBodies).toEqual([
      {
        url: 'https://www.blocked.test', // reduced to the policy's auditUrlDetail (origin)
        blockFilter: 'blocked.test',
        filter: '.www.blocked.test',
        reason: 'Vendor invoices',
      },
    ]);

    // Approved: the server pushes the signed list, and the request's state changes.
    server.accessRequests[0] = { ...server.accessRequests[0]!, state: 'approved' };
    const rulesBefore = h.platform.dnrUpdates.length;
    await h.bg.access.pushed(
      await sign(server, [{ id: 'req-1', filter: '.www.blocked.test', expiresAt: null }]),
    );
    expect(h.platform.dnrUpdates.length).toBe(rulesBefore + 1); // DNR follows before the page reloads
    expect(await h.send('access.status', {}, BLOCKED_PAGE)).toEqual({
      ok: true,
      value: {
        request: { state: 'approved', filter: '.www.blocked.test', expiresAt: null, note: null },
        allowed: true,
        target: 'https://www.blocked.test/page?x=1',
      },
    });
    // Only that host: its siblings stay blocked.
    expect(allowed(h, 'https://m.blocked.test/')).toBe(false);
  });

  it('drops an exception when it expires, offline, on its own clock', async () => {
    const { server, h, c } = await setUp();
    await h.bg.access.pushed(
      await sign(server, [
        { id: 'r1', filter: '.blocked.test', expiresAt: new Date(T0 + 3_600_000).toISOString() },
      ]),
    );
    expect(allowed(h, 'https://blocked.test/')).toBe(true);
    expect(h.platform.alarmsCreated.get(EXPIRY_ALARM)).toEqual({ delayInMinutes: 60 });
    server.down = true;
    c.advance(3_600_000);
    h.platform.fireAlarm(EXPIRY_ALARM);
    await waitUntil(() => !allowed(h, 'https://blocked.test/'));
    expect(h.bg.state.rules?.exceptions).toBe('');
  });

  it('keeps the verified list across a worker restart, verified again, with no network', async () => {
    const { server, h } = await setUp();
    await h.bg.access.pushed(
      await sign(server, [{ id: 'r1', filter: '.blocked.test', expiresAt: null }]),
    );
    server.down = true;
    const restarted = await startHarness({ restartOf: h });
    expect(allowed(restarted, 'https://blocked.test/')).toBe(true);
  });

  it.each([
    { name: 'for another device', opts: { deviceId: 'dev-9' }, refusal: 'wrong_device' },
    { name: 'signed with another key', opts: { rogue: true }, refusal: 'wrong_key' },
    { name: 'older than the list in force (a replay)', opts: { issuedAt: T0 - 1 }, refusal: null },
  ])('refuses a list $name', async ({ opts, refusal }) => {
    const { server, h } = await setUp();
    await h.bg.access.pushed(await sign(server, [], { issuedAt: T0 }));
    server.down = true; // keep recorded events in the queue
    const rogue = await generateSigningKeyPair(subtle);
    const list = await sign(server, [{ id: 'x', filter: '.blocked.test', expiresAt: null }], {
      ...opts,
      keys: 'rogue' in opts ? rogue : undefined,
    });
    await h.bg.access.pushed(list);
    expect(allowed(h, 'https://blocked.test/')).toBe(false);
    const events = await h.queue.oldest(10);
    if (refusal)
      expect(events).toContainEqual(
        expect.objectContaining({ kind: 'policy', detail: { reason: refusal, exceptions: true } }),
      );
    else expect(events.filter((e) => e.kind === 'policy')).toEqual([]);
  });

  it('fetches the current list when it connects', async () => {
    const server = await FakeServer.create();
    await server.publish({ urlBlocklist: ['blocked.test'] });
    server.exceptionList = await sign(server, [
      { id: 'r1', filter: '.blocked.test', expiresAt: null },
    ]);
    const h = await enrolled({ server, now: clock().now });
    await waitUntil(() => allowed(h, 'https://blocked.test/'));
    expect(server.requests).toContain('GET /device/exceptions');
  });
});
