import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { makeOidcWorld, redeem, signIn, type OidcWorld } from '../support/oidc-world.ts';

/**
 * The OpenID Provider on PostgreSQL behind two instances: each request of a flow — the
 * authorization request, the interaction, the proof, the resume, the token, userinfo,
 * refresh — lands on the other instance than the one before, so nothing may live in one
 * process's memory. Revoking the device on one ends the sign-in on both.
 */
describe('OpenID Provider on two instances sharing PostgreSQL', () => {
  let pg: TestPostgres;
  let w: OidcWorld;

  beforeAll(async () => {
    pg = await startPostgres();
    w = await makeOidcWorld(
      { groups: ['Staff'], device: { trust: 'enrolled' } },
      { databaseUrl: await pg.createDatabase(), twoInstances: true },
    );
  });
  afterAll(async () => {
    await w?.close();
    await pg?.stop();
  });

  it('completes code + PKCE, userinfo and refresh across instances, and logs out on revoke', async () => {
    const flow = await signIn(w, { proof: true });
    expect(flow.kind).toBe('code');
    if (flow.kind !== 'code') return;
    const tokens = await redeem(w, flow);
    expect(tokens.claims()).toMatchObject({ sub: w.employee.id, device_id: w.prover.deviceId });
    const info = await oidc.fetchUserInfo(w.config, tokens.access_token, w.employee.id);
    expect(info.sub).toBe(w.employee.id);
    const refreshed = await oidc.refreshTokenGrant(w.config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    const delivered = w.logout.next();
    await w.admin.json('POST', `/api/v1/devices/${w.prover.deviceId}/revoke`);
    await delivered;
    await expect(
      oidc.refreshTokenGrant(w.config, refreshed.refresh_token ?? tokens.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
