import { describe, expect, it } from 'vitest';
import { CLAIM_REQUESTS_PER_WINDOW } from '../../extension/background/device-claim.ts';
import { FakeServer } from './fakes/fake-server.ts';
import { CONTENT, POPUP, enrolled, startHarness, waitUntil } from './fakes/harness.ts';

const PWA = CONTENT('https://palisade.test/');
const TOKEN = 'claim-token-0123456789abcdef';
const PAT = { id: 'u-pat', name: 'Pat Person', email: 'pat@corp.test' };

/** A managed browser, enrolled and enforcing, that nobody has claimed yet. */
async function managedBrowser() {
  const server = await FakeServer.create();
  await server.publish({ urlBlocklist: ['blocked.test'] });
  const h = await enrolled({ server });
  server.claimTokens.set(TOKEN, PAT);
  return h;
}

describe('a person claims a managed browser', () => {
  it('tells its own server’s page that it is managed, and which device it is', async () => {
    const h = await managedBrowser();
    expect(await h.send('bridge.hello', {}, PWA)).toEqual({
      ok: true,
      value: { version: '0.1.0', enrolled: true, managed: true, deviceId: 'dev-1' },
    });
  });

  it('presents the token with its credential, stores the person, and the popup shows them', async () => {
    const h = await managedBrowser();
    expect((await h.bg.store.enrollment())?.user).toBeNull();

    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toEqual({
      ok: true,
      value: { user: { name: 'Pat Person', email: 'pat@corp.test' } },
    });
    expect(h.server.claimedBy).toBe('u-pat');
    const enrollment = await h.bg.store.enrollment();
    expect(enrollment).toMatchObject({ via: 'managed', deviceId: 'dev-1', user: PAT });
    // The rest of the enrollment is untouched: same credential, same pinned key.
    expect(enrollment?.credential).toBe('cred-1');
    expect(await h.send('status.get', {}, POPUP)).toMatchObject({
      ok: true,
      value: {
        enrolled: true,
        via: 'managed',
        user: { name: 'Pat Person', email: 'pat@corp.test' },
      },
    });
    // The policy it enforces is kept.
    expect(h.bg.state.active?.version).toBe(1);
  });

  it('a page of another origin cannot claim, and learns nothing from trying', async () => {
    const h = await managedBrowser();
    for (const page of [
      CONTENT('https://evil.test/'),
      CONTENT('https://palisade.test.evil.test/'),
      CONTENT('http://palisade.test/'),
    ]) {
      // `forbidden` is what the bridge turns into silence, as for a refused ping.
      expect(await h.send('bridge.claim', { token: TOKEN }, page)).toMatchObject({
        ok: false,
        code: 'forbidden',
      });
    }
    // Not from a frame either, nor from an extension page, even of the right origin.
    expect(await h.send('bridge.claim', { token: TOKEN }, { ...PWA, frameId: 3 })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await h.send('bridge.claim', { token: TOKEN }, POPUP)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(h.server.requests).not.toContain('POST /device/claim');
    expect((await h.bg.store.enrollment())?.user).toBeNull();
  });

  it('a managed browser not enrolled yet refuses other origins the same way', async () => {
    const h = await startHarness({ managed: { serverUrl: 'https://palisade.test' } });
    await h.bg.pinnedServer(); // the worker has seen the managed serverUrl
    expect(await h.send('bridge.hello', {}, PWA)).toEqual({
      ok: true,
      value: { version: '0.1.0', enrolled: false, managed: true },
    });
    expect(
      await h.send('bridge.claim', { token: TOKEN }, CONTENT('https://evil.test/')),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toMatchObject({
      ok: false,
      code: 'not_enrolled',
    });
  });

  it.each([
    { token: 'short', why: 'too short' },
    { token: 'claim token with spaces 0123', why: 'not base64url' },
    { token: 'x'.repeat(201), why: 'too long' },
    { token: 42, why: 'not a string' },
  ])('refuses a malformed token ($why) before anything else', async ({ token }) => {
    const h = await managedBrowser();
    expect(await h.send('bridge.claim', { token }, PWA)).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    expect(await h.send('bridge.claim', { token: TOKEN, extra: 1 }, PWA)).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    expect(h.server.requests).not.toContain('POST /device/claim');
  });

  it.each([
    {
      status: 409,
      code: 'conflict',
      message: 'This browser already belongs to another person.',
    },
    {
      status: 409,
      code: 'conflict',
      message: 'Your administrator set this browser up for another person; ask them to change it.',
    },
    {
      status: 409,
      code: 'device_limit',
      message: 'You already have 5 devices, the most your group allows (5).',
    },
    { status: 403, code: 'user_disabled', message: 'This account is disabled. Ask an admin.' },
  ])('passes the server’s refusal on as it is: $code', async ({ status, code, message }) => {
    const h = await managedBrowser();
    h.server.claimRefusal = { status, code, message };
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toEqual({
      ok: false,
      code,
      message,
    });
    expect((await h.bg.store.enrollment())?.user).toBeNull();
  });

  it('an unknown or used token is the server’s token_invalid, and no sign the device is revoked', async () => {
    const h = await managedBrowser();
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toMatchObject({ ok: true });
    const before = h.server.requests.length;
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toEqual({
      ok: false,
      code: 'token_invalid',
      message: 'token invalid',
    });
    // A 401 for the token is not a 401 for the credential: no re-check, still enrolled.
    expect(h.server.requests.slice(before)).toEqual(['POST /device/claim']);
    expect((await h.bg.store.status()).revoked).toBe(false);
    expect((await h.bg.store.enrollment())?.user).toEqual(PAT);
  });

  it('a refused credential is only a hint: it asks the server for a signed command', async () => {
    const h = await managedBrowser();
    h.server.status = 'revoked';
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toMatchObject({
      ok: false,
      code: 'revoked',
    });
    await waitUntil(() => h.server.requests.includes('GET /device/commands'));
    await waitUntil(async () => (await h.bg.store.status()).revoked);
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toMatchObject({
      ok: false,
      code: 'revoked',
    });
  });

  it('any page of the server may ask only a few times in ten minutes', async () => {
    const h = await managedBrowser();
    h.server.claimRefusal = { status: 409, code: 'conflict', message: 'taken' };
    for (let i = 0; i < CLAIM_REQUESTS_PER_WINDOW; i++) {
      h.server.claimTokens.set(`${TOKEN}-${i}`, PAT);
      expect(await h.send('bridge.claim', { token: `${TOKEN}-${i}` }, PWA)).toMatchObject({
        code: 'conflict',
      });
    }
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toMatchObject({
      ok: false,
      code: 'refused',
    });
    expect(h.server.requests.filter((r) => r === 'POST /device/claim')).toHaveLength(
      CLAIM_REQUESTS_PER_WINDOW,
    );
  });

  it('a paired browser can be claimed too (the server says whose it is)', async () => {
    const h = await startHarness();
    h.platform.tabReply = () => ({ ok: true, value: null });
    const reply = (await h.send(
      'pair.request',
      { token: 'pair-token-1', serverUrl: h.server.origin },
      PWA,
    )) as { value: { requestId: string } };
    await h.send(
      'pair.decide',
      { requestId: reply.value.requestId, accept: true },
      { url: h.platform.tabsCreated[0]!, tabId: 99, frameId: 0 },
    );
    expect(await h.send('bridge.hello', {}, PWA)).toMatchObject({
      ok: true,
      value: { enrolled: true, managed: false },
    });
    h.server.claimTokens.set(TOKEN, PAT);
    expect(await h.send('bridge.claim', { token: TOKEN }, PWA)).toMatchObject({
      ok: true,
      value: { user: { email: 'pat@corp.test' } },
    });
  });
});
