import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDeviceProofPayload } from '../../core/policy/access/device-proof.ts';
import { deviceKey, POSTURE, sign } from './support/device-keys.ts';
import { ORIGIN } from './support/test-app.ts';
import { makeWorld, type World } from './support/world.ts';
import { createEnrollmentCode } from '../helpers/enrollment-code.ts';

describe('device proofs', () => {
  let w: World;
  let key: Awaited<ReturnType<typeof deviceKey>>;
  let deviceId: string;
  const client = { extensionVersion: '1.0.0', platform: 'linux', browser: 'chrome' };

  beforeAll(async () => {
    w = await makeWorld();
    key = await deviceKey();
    const enrollmentCode = await createEnrollmentCode(w.admin.api, w.group.id);
    const grant = await w.t.client({ origin: null }).json<{
      deviceId: string;
      uninstallUrl: string;
    }>('POST', '/api/v1/device/enroll', { enrollmentCode: enrollmentCode, ...client, deviceKey: key.jwk });
    deviceId = grant.deviceId;
    expect(new URL(grant.uninstallUrl).searchParams.get('device')).toBe(deviceId);
  });
  afterAll(() => w.t.close());

  const proofs = () => w.t.services.deviceProof;
  const fresh = () => {
    const { challenge } = proofs().issueChallenge();
    return { challenge, origin: ORIGIN, deviceId, exp: w.t.services.ctx.now() + 60_000 };
  };

  it('accepts a proof signed by the registered key, with its posture', async () => {
    const result = await proofs().verify(
      await sign(key.pair.privateKey, { ...fresh(), posture: POSTURE }),
      ORIGIN,
    );
    expect(result).toMatchObject({
      ok: true,
      device: { id: deviceId, trust: 'managed', group: 'Staff', userId: null },
      posture: { ...POSTURE },
    });
    if (result.ok) expect(result.posture?.reportedAt).toBeTruthy();
    expect((await w.t.services.posture.latest(deviceId))?.browserVersion).toBe('131.0.6778.85');
  });

  it('downgrades trust to enrolled when the posture shows no admin install', async () => {
    const result = await proofs().verify(
      await sign(key.pair.privateKey, {
        ...fresh(),
        posture: { ...POSTURE, installType: 'normal' },
      }),
      ORIGIN,
    );
    expect(result.ok && result.device.trust).toBe('enrolled');
  });

  it('refuses a replayed proof: each challenge answers once', async () => {
    const proof = await sign(key.pair.privateKey, fresh());
    expect((await proofs().verify(proof, ORIGIN)).ok).toBe(true);
    expect(await proofs().verify(proof, ORIGIN)).toMatchObject({
      ok: false,
      code: 'challenge_used',
    });
  });

  it('refuses a proof made for another origin', async () => {
    const proof = await sign(key.pair.privateKey, { ...fresh(), origin: 'https://evil.test' });
    expect(await proofs().verify(proof, ORIGIN)).toMatchObject({ ok: false, code: 'wrong_origin' });
    // And the other way round: a proof for this server does not pass where another is expected.
    expect(
      await proofs().verify(await sign(key.pair.privateKey, fresh()), 'https://other.test'),
    ).toMatchObject({
      ok: false,
      code: 'wrong_origin',
    });
  });

  it('refuses an expired proof and an expired challenge', async () => {
    const short = { ...fresh(), exp: w.t.services.ctx.now() + 1_000 };
    const proof = await sign(key.pair.privateKey, short);
    w.t.advance(1_001);
    expect(await proofs().verify(proof, ORIGIN)).toMatchObject({
      ok: false,
      code: 'proof_expired',
    });
    const stale = fresh();
    w.t.advance(2 * 60_000 + 1);
    const late = await sign(key.pair.privateKey, {
      ...stale,
      exp: w.t.services.ctx.now() + 60_000,
    });
    expect(await proofs().verify(late, ORIGIN)).toMatchObject({
      ok: false,
      code: 'challenge_expired',
    });
  });

  it('refuses a proof that claims to live longer than 5 minutes', async () => {
    const proof = await sign(key.pair.privateKey, {
      ...fresh(),
      exp: w.t.services.ctx.now() + 3_600_000,
    });
    expect(await proofs().verify(proof, ORIGIN)).toMatchObject({ ok: false, code: 'bad_proof' });
  });

  it('refuses a proof signed by another key', async () => {
    const other = await deviceKey();
    expect(await proofs().verify(await sign(other.pair.privateKey, fresh()), ORIGIN)).toMatchObject(
      {
        ok: false,
        code: 'bad_signature',
      },
    );
  });

  it('refuses a tampered payload, and a challenge the server never issued', async () => {
    const proof = await sign(key.pair.privateKey, fresh());
    const tampered = encodeDeviceProofPayload({
      ...JSON.parse(Buffer.from(proof.payload, 'base64url').toString()),
      posture: { ...POSTURE, rulesInPlace: false },
    });
    expect(await proofs().verify({ ...proof, payload: tampered }, ORIGIN)).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    const { challenge } = proofs().issueChallenge();
    const forged = challenge.slice(0, -2) + (challenge.endsWith('AA') ? 'BB' : 'AA');
    expect(
      await proofs().verify(
        await sign(key.pair.privateKey, { ...fresh(), challenge: forged }),
        ORIGIN,
      ),
    ).toMatchObject({
      ok: false,
      code: 'challenge_invalid',
    });
    expect(await proofs().verify({ deviceId, payload: 'x', signature: 'y' }, ORIGIN)).toMatchObject(
      {
        ok: false,
        code: 'bad_proof',
      },
    );
    expect(await proofs().verify('not a proof', ORIGIN)).toMatchObject({
      ok: false,
      code: 'bad_proof',
    });
  });

  it('refuses a proof naming another device than its payload', async () => {
    const proof = await sign(key.pair.privateKey, fresh());
    expect(await proofs().verify({ ...proof, deviceId: w.device.id }, ORIGIN)).toMatchObject({
      ok: false,
      code: 'bad_proof',
    });
  });

  it('re-keys on pairing: the new browser’s key replaces the old one', async () => {
    const pairingToken = async () =>
      (
        await w.employee.api.json<{ token: string }>(
          'POST',
          `/api/v1/me/devices/${w.device.id}/pairing-token`,
        )
      ).token;
    const first = await deviceKey();
    const second = await deviceKey();
    const ext = w.t.client({ origin: null });
    await ext.json('POST', '/api/v1/device/pair', {
      token: await pairingToken(),
      ...client,
      deviceKey: first.jwk,
    });
    const byFirst = await sign(first.pair.privateKey, { ...fresh(), deviceId: w.device.id });
    expect((await proofs().verify(byFirst, ORIGIN)).ok).toBe(true);
    await ext.json('POST', '/api/v1/device/pair', {
      token: await pairingToken(),
      ...client,
      deviceKey: second.jwk,
    });
    const stale = await sign(first.pair.privateKey, { ...fresh(), deviceId: w.device.id });
    expect(await proofs().verify(stale, ORIGIN)).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    const bySecond = await sign(second.pair.privateKey, { ...fresh(), deviceId: w.device.id });
    expect((await proofs().verify(bySecond, ORIGIN)).ok).toBe(true);
    // Paired again by an extension that sends no key: no key is left, not the old one.
    await ext.json('POST', '/api/v1/device/pair', { token: await pairingToken(), ...client });
    const after = await sign(second.pair.privateKey, { ...fresh(), deviceId: w.device.id });
    expect(await proofs().verify(after, ORIGIN)).toMatchObject({
      ok: false,
      code: 'no_device_key',
    });
  });

  it('refuses a device without a registered key', async () => {
    const proof = await sign(key.pair.privateKey, { ...fresh(), deviceId: w.device.id });
    expect(await proofs().verify(proof, ORIGIN)).toMatchObject({
      ok: false,
      code: 'no_device_key',
    });
  });

  it('refuses a bad device key at enrollment with a 400 saying what to fix', async () => {
    const enrollmentCode = await createEnrollmentCode(w.admin.api, w.group.id);
    const res = await w.t.client({ origin: null }).post('/api/v1/device/enroll', {
      enrollmentCode: enrollmentCode,
      ...client,
      deviceKey: { ...key.jwk, x: key.jwk.y!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /deviceKey/,
    );
  });

  it('refuses a device whose extension was removed (its uninstall URL was opened)', async () => {
    const other = await deviceKey();
    const enrollmentCode = await createEnrollmentCode(w.admin.api, w.group.id);
    const grant = await w.t
      .client({ origin: null })
      .json<{ deviceId: string; uninstallUrl: string }>('POST', '/api/v1/device/enroll', {
        enrollmentCode: enrollmentCode,
        ...client,
        deviceKey: other.jwk,
      });
    const proof = await sign(other.pair.privateKey, { ...fresh(), deviceId: grant.deviceId });
    const url = new URL(grant.uninstallUrl);
    await w.t.client({ origin: null }).get(url.pathname + url.search);
    expect(await proofs().verify(proof, ORIGIN)).toMatchObject({
      ok: false,
      code: 'device_removed',
    });
  });

  it('refuses a revoked device: revoking drops its key and tells the lost-device listeners', async () => {
    const lost: unknown[] = [];
    const off = w.t.services.deviceEvents.on('lost', (e) => void lost.push(e));
    const proof = await sign(key.pair.privateKey, fresh());
    await w.admin.api.json('POST', `/api/v1/devices/${deviceId}/revoke`);
    expect(await proofs().verify(proof, ORIGIN)).toMatchObject({
      ok: false,
      code: 'device_revoked',
    });
    expect((await w.t.store.getDeviceTrust(deviceId))?.publicKey).toBeNull();
    expect(lost).toEqual([{ deviceId, userId: null, reason: 'revoked' }]);
    off();
  });
});
