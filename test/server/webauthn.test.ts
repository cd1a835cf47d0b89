import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { login, registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator, type Knobs } from '../helpers/soft-authenticator.ts';
import { ORIGIN, makeTestApp, type TestApp } from './support/test-app.ts';

const ADA = { name: 'Ada Admin', email: 'ada@example.com' };

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('passkey registration', () => {
  let t: TestApp;
  let api: ApiClient;
  let auth: SoftAuthenticator;
  beforeEach(async () => {
    t = await makeTestApp();
    api = t.client();
    auth = new SoftAuthenticator();
  });
  afterEach(() => t.close());

  const token = () => new URL(t.setupLink).hash.slice(1);
  const options = async () =>
    api.json('POST', '/api/v1/auth/register/options', { token: token(), ...ADA });
  const verify = (response: unknown) =>
    api.post('/api/v1/auth/register/verify', { token: token(), response });

  it('registers the first admin through the setup link and signs them in', async () => {
    const opts = await options();
    expect(opts).toMatchObject({
      rp: { id: 'localhost' },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
    });
    const res = await verify(auth.create(opts as never, ORIGIN));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^palisade_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect((await api.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('uses the setup link only once', async () => {
    await registerWithLink(api, t.setupLink, auth, ADA);
    const again = await t
      .client()
      .post('/api/v1/auth/register/options', { token: token(), ...ADA, email: 'b@example.com' });
    expect(again.status).toBe(401);
    expect(await errorCode(again)).toBe('token_invalid');
  });

  it.each<[string, Knobs, string]>([
    ['a wrong origin', { origin: 'http://evil.example' }, 'webauthn_failed'],
    ['a wrong RP ID', { rpId: 'evil.example' }, 'webauthn_failed'],
    ['no user verification', { userVerified: false }, 'webauthn_failed'],
    [
      'an unknown challenge',
      { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      'challenge_invalid',
    ],
  ])('refuses a registration with %s', async (_what, knobs, code) => {
    const res = await verify(auth.create((await options()) as never, ORIGIN, knobs));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe(code);
    expect(await t.store.countUsersWithRole('admin')).toBe(0);
  });

  it('refuses a replayed registration response', async () => {
    const response = auth.create((await options()) as never, ORIGIN);
    const opts2 = await options(); // a second ceremony, so the link is still usable
    expect(opts2).toBeTruthy();
    const first = await verify(response);
    expect(first.status).toBe(200);
    const replay = await t
      .client()
      .post('/api/v1/auth/register/verify', { token: token(), response });
    expect(replay.status).toBe(400);
    expect(await errorCode(replay)).toBe('challenge_invalid');
  });

  it('refuses an expired challenge (after 5 minutes)', async () => {
    const response = auth.create((await options()) as never, ORIGIN);
    t.advance(5 * 60_000 + 1000);
    const res = await verify(response);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('challenge_invalid');
  });
});

describe('passkey login', () => {
  let t: TestApp;
  let auth: SoftAuthenticator;
  beforeEach(async () => {
    t = await makeTestApp();
    auth = new SoftAuthenticator();
    await registerWithLink(t.client(), t.setupLink, auth, ADA);
  });
  afterEach(() => t.close());

  const attempt = async (knobs?: Knobs, api = t.client()) => {
    const options = await api.json('POST', '/api/v1/auth/login/options', {});
    expect(options).toMatchObject({ userVerification: 'required', allowCredentials: [] });
    return api.post('/api/v1/auth/login/verify', {
      response: auth.get(options as never, ORIGIN, knobs),
    });
  };

  it('signs in with a discoverable passkey and stores the counter and backup state', async () => {
    const api = t.client();
    const user = await login(api, auth);
    expect(user.email).toBe(ADA.email);
    const { passkeys } = await api.json<{ passkeys: { backedUp: boolean; lastUsedAt: string }[] }>(
      'GET',
      '/api/v1/auth/passkeys',
    );
    expect(passkeys).toHaveLength(1);
    expect(passkeys[0]!.backedUp).toBe(true);
    expect(passkeys[0]!.lastUsedAt).toBeTruthy();
    const stored = await t.store.getPasskey(auth.credentials[0]!.id);
    expect(stored!.counter).toBe(1);
  });

  it.each<[string, Knobs, string]>([
    ['a wrong origin', { origin: 'http://localhost:9999' }, 'webauthn_failed'],
    ['a wrong RP ID', { rpId: 'example.com' }, 'webauthn_failed'],
    ['no user verification', { userVerified: false }, 'webauthn_failed'],
  ])('refuses a login with %s', async (_what, knobs, code) => {
    const res = await attempt(knobs);
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe(code);
    expect(res.headers.getSetCookie()).toHaveLength(0);
  });

  it('refuses a counter that goes backwards (a cloned authenticator)', async () => {
    expect((await attempt({ counter: 10 })).status).toBe(200);
    const res = await attempt({ counter: 7 });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('webauthn_failed');
  });

  it('refuses a replayed assertion', async () => {
    const api = t.client();
    const options = await api.json('POST', '/api/v1/auth/login/options', {});
    const response = auth.get(options as never, ORIGIN);
    expect((await api.post('/api/v1/auth/login/verify', { response })).status).toBe(200);
    const replay = await t.client().post('/api/v1/auth/login/verify', { response });
    expect(replay.status).toBe(400);
    expect(await errorCode(replay)).toBe('challenge_invalid');
  });

  it('refuses an expired login challenge', async () => {
    const api = t.client();
    const options = await api.json('POST', '/api/v1/auth/login/options', {});
    t.advance(6 * 60_000);
    const res = await api.post('/api/v1/auth/login/verify', {
      response: auth.get(options as never, ORIGIN),
    });
    expect(await errorCode(res)).toBe('challenge_invalid');
  });

  it('refuses a passkey this server does not know', async () => {
    const stranger = new SoftAuthenticator();
    stranger.create(
      {
        rp: { id: 'localhost', name: 'x' },
        user: { id: 'AAAA', name: 'x', displayName: 'x' },
        challenge: 'AAAA',
        pubKeyCredParams: [],
      },
      ORIGIN,
    );
    const api = t.client();
    const options = await api.json('POST', '/api/v1/auth/login/options', {});
    const res = await api.post('/api/v1/auth/login/verify', {
      response: stranger.get(options as never, ORIGIN),
    });
    expect(await errorCode(res)).toBe('webauthn_failed');
  });

  it('manages several passkeys and keeps the last one', async () => {
    const api = t.client();
    await login(api, auth);
    const options = await api.json('POST', '/api/v1/auth/passkeys/options', {});
    expect((options as { excludeCredentials: unknown[] }).excludeCredentials).toHaveLength(1);
    const { passkey } = await api.json<{ passkey: { id: string; name: string } }>(
      'POST',
      '/api/v1/auth/passkeys/verify',
      {
        response: auth.create(options as never, ORIGIN),
        name: 'Phone',
      },
    );
    expect(passkey.name).toBe('Phone');
    // Either passkey signs in.
    expect((await attempt({ credentialId: passkey.id })).status).toBe(200);
    expect((await api.delete(`/api/v1/auth/passkeys/${passkey.id}`)).status).toBe(200);
    const last = auth.credentials[0]!.id;
    const res = await api.delete(`/api/v1/auth/passkeys/${last}`);
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('last_passkey');
  });
});

describe('sessions', () => {
  let t: TestApp;
  let api: ApiClient;
  beforeEach(async () => {
    t = await makeTestApp();
    api = t.client();
    await registerWithLink(api, t.setupLink, new SoftAuthenticator(), ADA);
  });
  afterEach(() => t.close());

  it('ends after 30 minutes idle', async () => {
    t.advance(29 * 60_000);
    expect((await api.get('/api/v1/auth/me')).status).toBe(200);
    t.advance(29 * 60_000); // still within 30 min of the last request
    expect((await api.get('/api/v1/auth/me')).status).toBe(200);
    t.advance(31 * 60_000);
    expect((await api.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('ends 12 hours after sign-in however active', async () => {
    for (let i = 0; i < 25; i++) {
      t.advance(29 * 60_000);
      if ((await api.get('/api/v1/auth/me')).status !== 200) break;
    }
    expect((await api.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('ends at logout', async () => {
    const res = await api.post('/api/v1/auth/logout');
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
    expect((await api.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('refuses state-changing requests from another origin or without one', async () => {
    const evil = t.client({ origin: 'http://evil.example' });
    evil.cookies.set('palisade_session', api.cookies.get('palisade_session')!);
    const res = await evil.post('/api/v1/groups', { name: 'x' });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('bad_origin');
    api.origin = null;
    expect(await errorCode(await api.post('/api/v1/groups', { name: 'x' }))).toBe('bad_origin');
  });

  it('uses the __Host- prefix and Secure over https', async () => {
    const secure = await makeTestApp({ ORIGIN: 'https://emm.example.com' });
    try {
      const client = secure.client();
      const token = new URL(secure.setupLink).hash.slice(1);
      const auth = new SoftAuthenticator();
      const options = await client.json('POST', '/api/v1/auth/register/options', { token, ...ADA });
      const res = await client.post('/api/v1/auth/register/verify', {
        token,
        response: auth.create(options as never, 'https://emm.example.com'),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie()[0]!;
      expect(cookie).toMatch(/^__Host-palisade_session=/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/Path=\//);
    } finally {
      await secure.close();
    }
  });
});
