import { describe, expect, it } from 'vitest';
import type { OidcModelRow, OidcSigninRow } from '../../../server/store/types.ts';
import { at, backends } from './backends.ts';

const model = (over: Partial<OidcModelRow> = {}): OidcModelRow => ({
  model: 'AccessToken',
  id: 'at1',
  payload: '{"jti":"at1"}',
  grantId: 'g1',
  uid: null,
  userCode: null,
  expiresAt: at(10_000),
  consumedAt: null,
  ...over,
});

const signin = (over: Partial<OidcSigninRow> = {}): OidcSigninRow => ({
  grantId: 'g1',
  clientId: 'c1',
  userId: 'u1',
  deviceId: 'd1',
  trust: 'managed',
  appId: 'crm',
  sessionUid: null,
  sid: null,
  clientAddress: '10.0.0.1',
  posture: null,
  createdAt: at(0),
  endedAt: null,
  endReason: null,
  ...over,
});

describe.each(backends())('store contract: OpenID Provider ($name)', (backend) => {
  it('keeps provider models: upsert, find by uid, consume, revoke by grant, sweep', async () => {
    const store = await backend.open();
    await store.putOidcModel(model());
    await store.putOidcModel(model({ payload: '{"jti":"at1","v":2}' })); // replaced
    await store.putOidcModel(model({ model: 'RefreshToken', id: 'rt1' }));
    await store.putOidcModel(model({ model: 'Grant', id: 'g1', grantId: 'g1' }));
    await store.putOidcModel(
      model({ model: 'Session', id: 's1', grantId: null, uid: 'uid-1', expiresAt: at(100) }),
    );
    expect(await store.getOidcModel('AccessToken', 'at1')).toMatchObject({
      payload: '{"jti":"at1","v":2}',
      grantId: 'g1',
    });
    expect(await store.findOidcModelBy('Session', 'uid', 'uid-1')).toMatchObject({ id: 's1' });
    await store.consumeOidcModel('RefreshToken', 'rt1', at(5));
    await store.consumeOidcModel('RefreshToken', 'rt1', at(9)); // the first consumption stays
    expect((await store.getOidcModel('RefreshToken', 'rt1'))!.consumedAt).toBe(at(5));
    await store.deleteOidcGrantModels('g1');
    expect(await store.getOidcModel('AccessToken', 'at1')).toBeNull();
    expect(await store.getOidcModel('RefreshToken', 'rt1')).toBeNull();
    expect(await store.getOidcModel('Grant', 'g1')).toBeNull();
    expect(await store.getOidcModel('Session', 's1')).not.toBeNull();
    await store.deleteExpired(at(1000));
    expect(await store.getOidcModel('Session', 's1')).toBeNull();
  });

  it('registers clients with a hashed secret, lists and removes them', async () => {
    const store = await backend.open();
    const client = {
      id: 'app_1',
      name: 'CRM',
      redirectUris: ['https://crm.test/cb', 'https://crm.test/cb2'],
      appId: 'crm',
      backchannelLogoutUri: null,
      secretHash: 'ab'.repeat(32),
      createdAt: at(0),
    };
    await store.createOidcClient(client);
    await expect(store.createOidcClient(client)).rejects.toThrow(/unique/);
    expect(await store.getOidcClient('app_1')).toEqual(client);
    expect(await store.listOidcClients()).toEqual([client]);
    expect(await store.deleteOidcClient('app_1')).toBe(true);
    expect(await store.deleteOidcClient('app_1')).toBe(false);
  });

  it('rotates signing keys: one current, the retired kept until deleted', async () => {
    const store = await backend.open();
    const key = (kid: string, t: number) => ({
      kid,
      privateJwk: `{"kid":"${kid}"}`,
      createdAt: at(t),
      retiredAt: null,
    });
    await store.addOidcKey(key('k1', 0));
    await store.rotateOidcKey(key('k2', 10), at(10));
    const keys = await store.listOidcKeys();
    expect(keys.map((k) => [k.kid, k.retiredAt])).toEqual([
      ['k2', null],
      ['k1', at(10)],
    ]);
    expect(await store.deleteOidcKeysRetiredBefore(at(5))).toBe(0);
    expect(await store.deleteOidcKeysRetiredBefore(at(11))).toBe(1);
    expect((await store.listOidcKeys()).map((k) => k.kid)).toEqual(['k2']);
  });

  it('records sign-ins, lists the live ones by device or person, ends them once', async () => {
    const store = await backend.open();
    await store.putOidcSignin(signin());
    await store.putOidcSignin(signin({ grantId: 'g2', deviceId: 'd2', createdAt: at(5) }));
    await store.putOidcSignin(signin({ grantId: 'g3', userId: 'u2', createdAt: at(6) }));
    await store.putOidcSignin({ ...signin(), sessionUid: 'uid-1', sid: 'sid-1' }); // replaced
    expect(await store.getOidcSignin('g1')).toMatchObject({ sessionUid: 'uid-1', sid: 'sid-1' });
    const byDevice = await store.listOidcSignins({ deviceId: 'd1', live: true, limit: 10 });
    expect(byDevice.map((s) => s.grantId)).toEqual(['g3', 'g1']);
    const ended = await store.endOidcSignins(['g1', 'g2'], 'device revoked', at(20));
    expect(ended.map((s) => s.grantId).sort()).toEqual(['g1', 'g2']);
    expect(await store.endOidcSignins(['g1'], 'again', at(30))).toEqual([]);
    const live = await store.listOidcSignins({ userId: 'u1', live: true, limit: 10 });
    expect(live).toEqual([]);
    const all = await store.listOidcSignins({ clientId: 'c1', limit: 2 });
    expect(all.map((s) => s.grantId)).toEqual(['g3', 'g2']);
    expect(await store.getOidcSignin('g1')).toMatchObject({
      endedAt: at(20),
      endReason: 'device revoked',
    });
  });
});
