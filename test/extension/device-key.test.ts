import { describe, expect, it } from 'vitest';
import { parseDeviceProofPayload } from '../../core/policy/access/device-proof.ts';
import { PROOF_LIFETIME_MS } from '../../extension/background/device-prover.ts';
import { FakeServer } from './fakes/fake-server.ts';
import { CONTENT, enrolled, waitUntil, type Harness } from './fakes/harness.ts';

const PWA = CONTENT('https://palisade.test/');
const CHALLENGE = 'c'.repeat(54);
const subtle = globalThis.crypto.subtle;

async function enforcing(): Promise<Harness> {
  const server = await FakeServer.create();
  await server.publish({ urlBlocklist: ['blocked.test'] });
  return enrolled({ server });
}

type ProofReply = {
  ok: boolean;
  code?: string;
  value?: { proof: { deviceId: string; payload: string; signature: string }; posture: unknown };
};

/** Verifies the proof with the JWK the server was sent, as the server does. */
async function verifies(jwk: unknown, payload: string, signature: string): Promise<boolean> {
  const key = await subtle.importKey(
    'jwk',
    jwk as JsonWebKey,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  return subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    Buffer.from(signature, 'base64url'),
    new TextEncoder().encode(payload),
  );
}

describe('the device key', () => {
  it('is made at enrollment, non-extractable, kept in IndexedDB, its public half sent to the server', async () => {
    const h = await enforcing();
    const pair = h.platform.keyStore.pair;
    expect(pair?.privateKey.extractable).toBe(false);
    expect(pair?.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(subtle.exportKey('jwk', pair!.privateKey)).rejects.toThrow();
    const { x, y } = await subtle.exportKey('jwk', pair!.publicKey);
    expect(h.server.deviceKeys).toEqual([{ kty: 'EC', crv: 'P-256', x, y }]);
    // The grant's uninstall URL is what the browser opens when the extension is removed.
    expect(h.platform.selfInfo.uninstallUrl).toBe(
      'https://palisade.test/api/v1/device/uninstalled?device=dev-1&token=uninstall-1',
    );
  });

  it('signs the server’s challenge for its own server’s page, bound to that origin, with the posture', async () => {
    const h = await enforcing();
    const before = Date.now();
    const reply = (await h.send('bridge.deviceProof', { challenge: CHALLENGE }, PWA)) as ProofReply;
    expect(reply.ok).toBe(true);
    const { proof, posture } = reply.value!;
    expect(proof.deviceId).toBe('dev-1');
    expect(await verifies(h.server.deviceKeys[0], proof.payload, proof.signature)).toBe(true);
    const payload = parseDeviceProofPayload(proof.payload)!;
    expect(payload).toMatchObject({
      challenge: CHALLENGE,
      origin: 'https://palisade.test',
      deviceId: 'dev-1',
      posture,
    });
    expect(payload.exp).toBeGreaterThanOrEqual(before + PROOF_LIFETIME_MS);
    expect(posture).toEqual({
      browser: 'chrome',
      browserVersion: '131.0.6778.85',
      os: 'linux',
      extensionVersion: '0.1.0',
      installType: 'admin',
      incognitoAllowed: false,
      policyVersion: 1,
      policySince: expect.any(String),
      rulesInPlace: true,
    });
  });

  it('answers no other origin', async () => {
    const h = await enforcing();
    const reply = (await h.send(
      'bridge.deviceProof',
      { challenge: CHALLENGE },
      CONTENT('https://evil.test/'),
    )) as ProofReply;
    expect(reply).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses a malformed challenge before anything is signed', async () => {
    const h = await enforcing();
    const reply = (await h.send(
      'bridge.deviceProof',
      { challenge: 'no spaces!' },
      PWA,
    )) as ProofReply;
    expect(reply).toMatchObject({ ok: false, code: 'bad_request' });
  });

  it('reports rules not in place when the browser’s DNR rules are not the policy’s', async () => {
    const h = await enforcing();
    expect((await h.bg.posture()).rulesInPlace).toBe(true);
    h.platform.dnrRules.splice(0);
    expect((await h.bg.posture()).rulesInPlace).toBe(false);
  });

  it('reports what the browser says: install type, incognito access', async () => {
    const h = await enforcing();
    h.platform.selfInfo.installType = 'normal';
    h.platform.selfInfo.incognitoAllowed = true;
    expect(await h.bg.posture()).toMatchObject({ installType: 'normal', incognitoAllowed: true });
    h.platform.selfInfo.installType = 'something-new';
    expect((await h.bg.posture()).installType).toBe('other');
  });

  it('is dropped by a signed revoke: the browser then says it has no key to prove with', async () => {
    const h = await enforcing();
    h.sockets.at(-1)!.receive({ type: 'command', command: await h.server.command('revoke') });
    await waitUntil(async () => (await h.bg.store.status()).revoked);
    await waitUntil(() => h.platform.keyStore.pair === null);
    expect(h.platform.selfInfo.uninstallUrl).toBe('');
    const reply = (await h.send('bridge.deviceProof', { challenge: CHALLENGE }, PWA)) as ProofReply;
    expect(reply).toMatchObject({ ok: false, code: 'revoked' });
  });

  it('is dropped by a signed wipe, and a managed browser enrolls again with a new key', async () => {
    const h = await enforcing();
    const first = h.platform.keyStore.pair;
    h.sockets.at(-1)!.receive({ type: 'command', command: await h.server.command('wipe') });
    await waitUntil(() => h.server.deviceKeys.length === 2);
    await waitUntil(async () => (await h.bg.store.enrollment())?.deviceId === 'dev-2');
    expect(h.platform.keyStore.pair).not.toBe(first);
    expect(h.server.deviceKeys[1]).not.toEqual(h.server.deviceKeys[0]);
    const reply = (await h.send('bridge.deviceProof', { challenge: CHALLENGE }, PWA)) as ProofReply;
    expect(
      await verifies(
        h.server.deviceKeys[1],
        reply.value!.proof.payload,
        reply.value!.proof.signature,
      ),
    ).toBe(true);
  });

  it('without a key (enrolled before device keys) the page is told to enroll again', async () => {
    const h = await enforcing();
    h.platform.keyStore.pair = null;
    const reply = (await h.send('bridge.deviceProof', { challenge: CHALLENGE }, PWA)) as ProofReply;
    expect(reply).toMatchObject({ ok: false, code: 'no_device_key' });
  });
});

describe('the posture heartbeat', () => {
  it('goes out on the push channel when the server says hello', async () => {
    const h = await enforcing();
    const socket = h.sockets.at(-1)!;
    socket.emit('open');
    socket.receive({ type: 'hello', version: 1 });
    await waitUntil(() => socket.sent.some((m) => JSON.parse(m).type === 'posture'));
    const frame = JSON.parse(socket.sent.find((m) => JSON.parse(m).type === 'posture')!);
    expect(frame.posture).toMatchObject({ policyVersion: 1, rulesInPlace: true, os: 'linux' });
  });
});
