import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.ts';
import { enrollWithCode } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { makeOidcWorld, redeem, signIn, type OidcWorld } from './support/oidc-world.ts';

/**
 * Palisade as an OpenID Provider, driven by openid-client (the certified relying-party
 * library) against the real server on a socket: discovery, code + PKCE, tokens, userinfo,
 * refresh deciding access again, back-channel logout, and the errors a bad client meets.
 */
describe('OpenID Provider', () => {
  let w: OidcWorld;

  beforeAll(async () => {
    w = await makeOidcWorld({ groups: ['Staff'], device: { trust: 'enrolled' } });
  });
  afterAll(() => w?.close());

  it('publishes discovery and an ES256 JWKS under /oidc', async () => {
    const meta = w.config.serverMetadata();
    expect(meta.issuer).toBe(w.issuer);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic']);
    expect(meta.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(meta.backchannel_logout_supported).toBe(true);
    const jwks = (await (await fetch(meta.jwks_uri!)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(k).not.toHaveProperty('d'); // the private part is never published
    }
  });

  it('signs an enrolled browser in: code + PKCE, ID token with amr and the device claims, userinfo', async () => {
    const flow = await signIn(w, { proof: true });
    expect(flow.kind).toBe('code');
    if (flow.kind !== 'code') return;
    const tokens = await redeem(w, flow);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: w.issuer,
      aud: w.client.id,
      sub: w.employee.id,
      amr: ['hwk', 'user'],
      device_id: w.prover.deviceId,
      device_trust: expect.stringMatching(/^(managed|enrolled)$/),
      group: 'Staff',
      email: 'emil@example.com',
    });
    expect(tokens.expires_in).toBeLessThanOrEqual(300);
    expect(tokens.refresh_token).toBeTruthy();
    const info = await oidc.fetchUserInfo(w.config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({
      sub: w.employee.id,
      device_id: w.prover.deviceId,
      group: 'Staff',
    });
  });

  it('refuses a browser without the extension, naming the failed condition, and audits it', async () => {
    const flow = await signIn(w, { proof: false });
    expect(flow.kind).toBe('refused');
    if (flow.kind !== 'refused') return;
    expect(flow.failed.map((f) => f.condition)).toContain('device_trust');
    // The app is named, never its access rule (the networks and groups it allows).
    expect(Object.keys(flow.app).sort()).toEqual(['id', 'name']);
    expect(flow.app.id).toBe('crm');
    expect(flow.callback.searchParams.get('error')).toBe('access_denied');
    expect(flow.callback.searchParams.get('error_description')).toBeTruthy();
    const { events } = await w.admin.json<{ events: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/audit?kind=access',
    );
    const refused = events.find((e) => e.outcome === 'blocked');
    expect(refused).toMatchObject({
      kind: 'access',
      ruleId: 'crm',
      userId: w.employee.id,
      target: `client:${w.client.id}`,
    });
    expect((refused!.detail as Record<string, string>).failed).toContain('device_trust');
    expect(events.some((e) => e.outcome === 'allowed')).toBe(true);
    // The exports and the charts carry them like any other event.
    const csv = await (await w.admin.get('/api/v1/audit/export?kind=access&format=csv')).text();
    expect(csv).toContain('access');
    expect(csv).toContain('device_trust');
    const stats = await w.admin.json<{ topRules: { ruleId: string; count: number }[] }>(
      'GET',
      '/api/v1/audit/stats',
    );
    expect(stats.topRules.find((r) => r.ruleId === 'crm')?.count).toBeGreaterThanOrEqual(2);
  });

  it('decides again on refresh: allowed while the rule holds, refused once it does not', async () => {
    const flow = await signIn(w, { proof: true });
    if (flow.kind !== 'code') throw new Error('expected a code');
    const tokens = await redeem(w, flow);
    const refreshed = await oidc.refreshTokenGrant(w.config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    // The group loses the app: the next refresh is refused.
    await w.setAccess({ groups: ['Sales'], device: { trust: 'enrolled' } });
    try {
      await expect(
        oidc.refreshTokenGrant(w.config, refreshed.refresh_token ?? tokens.refresh_token!),
      ).rejects.toMatchObject({ error: 'invalid_grant' });
      const { events } = await w.admin.json<{ events: Record<string, unknown>[] }>(
        'GET',
        '/api/v1/audit?kind=access',
      );
      const refusal = events.find(
        (e) => e.outcome === 'blocked' && (e.detail as Record<string, string>).phase === 'refresh',
      );
      expect((refusal!.detail as Record<string, string>).failed).toContain('group');
    } finally {
      await w.setAccess({ groups: ['Staff'], device: { trust: 'enrolled' } });
    }
  });

  it('caps the devices one person has signed in to the app at once (maxDevicesPerUser)', async () => {
    await w.setAccess({ groups: ['Staff'], device: { trust: 'enrolled' }, maxDevicesPerUser: 1 });
    try {
      const first = await signIn(w, { proof: true });
      expect(first.kind).toBe('code');
      const laptop = w.prover;
      const second = await w.enrollDevice();
      w.prover = second;
      try {
        const refused = await signIn(w, { proof: true });
        expect(refused.kind).toBe('refused');
        if (refused.kind === 'refused')
          expect(refused.failed.map((f) => f.condition)).toEqual(['device_limit']);
      } finally {
        w.prover = laptop;
      }
      // The same device again is no second device.
      expect((await signIn(w, { proof: true })).kind).toBe('code');
    } finally {
      await w.setAccess({ groups: ['Staff'], device: { trust: 'enrolled' } });
    }
  });

  it('delivers a back-channel logout token when the device is revoked, and refresh stops', async () => {
    const flow = await signIn(w, { proof: true });
    if (flow.kind !== 'code') throw new Error('expected a code');
    const tokens = await redeem(w, flow);
    const sid = tokens.claims()!.sid;
    expect(sid).toBeTruthy();
    const delivered = w.logout.next();
    await w.admin.json('POST', `/api/v1/devices/${w.prover.deviceId}/revoke`);
    const token = await delivered;
    const jwks = createRemoteJWKSet(new URL(w.config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: w.issuer,
      audience: w.client.id,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'logout+jwt' });
    expect(payload).toMatchObject({ sub: w.employee.id, sid });
    expect(payload.events).toHaveProperty(['http://schemas.openid.net/event/backchannel-logout']);
    await expect(oidc.refreshTokenGrant(w.config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(
      oidc.fetchUserInfo(w.config, tokens.access_token, w.employee.id),
    ).rejects.toBeTruthy();
    // A new sign-in from the revoked browser is refused.
    const again = await signIn(w, { proof: true });
    expect(again.kind).toBe('refused');
  });

  it('rejects a wrong client secret, an unknown client and an unregistered redirect URI', async () => {
    const wrongSecret = await oidc.discovery(
      new URL(w.issuer),
      w.client.id,
      'not-the-secret',
      oidc.ClientSecretBasic('not-the-secret'),
      { execute: [oidc.allowInsecureRequests] },
    );
    const refused = await oidc.refreshTokenGrant(wrongSecret, 'whatever').catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 401 });
    expect(JSON.stringify((refused as { cause?: unknown }).cause)).toContain('invalid_client');
    const auth = w.config.serverMetadata().authorization_endpoint!;
    const params = (over: Record<string, string>) =>
      new URLSearchParams({
        client_id: w.client.id,
        redirect_uri: w.client.redirectUri,
        response_type: 'code',
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        ...over,
      });
    const unknown = await fetch(`${auth}?${params({ client_id: 'app_nobody' })}`, {
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('client is invalid');
    const badRedirect = await fetch(
      `${auth}?${params({ redirect_uri: 'https://evil.example/callback' })}`,
      { redirect: 'manual' },
    );
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.text()).toContain('redirect_uri');
    // PKCE is required: without a code challenge the app is sent back with an error.
    const noPkce = await fetch(
      `${auth}?${params({ code_challenge: '', code_challenge_method: '' })}`,
      {
        redirect: 'manual',
      },
    );
    const to = new URL(noPkce.headers.get('location')!);
    expect(to.searchParams.get('error')).toBe('invalid_request');
  });

  it('keeps client secrets hashed and shows a new one only once', async () => {
    const created = await w.admin.json<{ client: Record<string, unknown>; secret: string }>(
      'POST',
      '/api/v1/oidc/clients',
      { name: 'Wiki', redirectUris: ['https://wiki.test/cb'], appId: 'wiki' },
    );
    expect(created.secret.length).toBeGreaterThan(30);
    expect(created.client).not.toHaveProperty('secretHash');
    const { clients } = await w.admin.json<{ clients: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/oidc/clients',
    );
    expect(JSON.stringify(clients)).not.toContain(created.secret);
    const stored = await w.server.services.ctx.store.getOidcClient(String(created.client.id));
    expect(stored!.secretHash).not.toBe(created.secret);
    const bad = await w.admin.post('/api/v1/oidc/clients', {
      name: 'Bad',
      redirectUris: ['ftp://x.test/cb'],
      appId: 'x',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('redirectUris');
  });

  it('rotates the signing key and keeps the old one published for verification', async () => {
    const before = await jwksKids(w);
    const old = decodeJwt((await redeem(w, await codeFlow(w))).id_token!);
    expect(old).toBeTruthy();
    const { kid } = await w.admin.json<{ kid: string }>('POST', '/api/v1/oidc/keys/rotate', {});
    const after = await jwksKids(w);
    expect(after[0]).toBe(kid);
    for (const k of before) expect(after).toContain(k);
    const tokens = await redeem(w, await codeFlow(w));
    const header = JSON.parse(
      Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString(),
    ) as { kid: string };
    expect(header.kid).toBe(kid);
  });

  it('ends every sign-in of a person who is disabled', async () => {
    const other = new ApiClient(w.origin, {
      fetch: (url, init) => fetch(url, { ...init, redirect: 'manual' }),
    });
    const { enrollmentCode } = await w.admin.json<{ enrollmentCode: { code: string } }>(
      'POST',
      '/api/v1/enrollment-codes',
      { groupId: w.employee.groupId },
    );
    const olga = await enrollWithCode(other, enrollmentCode.code, new SoftAuthenticator(), {
      name: 'Olga Other',
      email: 'olga@example.com',
    });
    await w.setAccess({ groups: ['Staff'], device: { trust: 'none' } });
    try {
      const flow = await signIn(w, { proof: false, browser: other });
      if (flow.kind !== 'code') throw new Error('expected a code');
      const tokens = await redeem(w, flow);
      expect(tokens.claims()).toMatchObject({ sub: olga.id, device_trust: 'none' });
      const delivered = w.logout.next();
      await w.admin.json('PATCH', `/api/v1/users/${olga.id}`, { disabled: true });
      expect(decodeJwt(await delivered)).toMatchObject({ sub: olga.id });
      await expect(oidc.refreshTokenGrant(w.config, tokens.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    } finally {
      await w.setAccess({ groups: ['Staff'], device: { trust: 'enrolled' } });
    }
  });
});

async function codeFlow(w: OidcWorld) {
  // The device was revoked above; the rule now admits any browser for these flows.
  await w.setAccess({ groups: ['Staff'], device: { trust: 'none' } });
  const flow = await signIn(w, { proof: false });
  if (flow.kind !== 'code') throw new Error(`expected a code, got ${JSON.stringify(flow)}`);
  return flow;
}

async function jwksKids(w: OidcWorld): Promise<string[]> {
  const res = await fetch(w.config.serverMetadata().jwks_uri!);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}
