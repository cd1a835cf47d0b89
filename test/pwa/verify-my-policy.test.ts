import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateSigningKeyPair, signEnvelope } from '../../core/crypto/envelope.ts';
import type { SigningKeyPair } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import { mockFetch } from './support/mock-fetch.ts';

// No IndexedDB in Node: the app's one storage module is swapped for a Map.
const store = vi.hoisted(() => new Map<string, { key: string; value: unknown }>());
vi.mock('../../pwa/src/storage/db.ts', () => ({
  cacheDb: {
    get: async (key: string) => store.get(key),
    put: async (key: string, value: unknown) => void store.set(key, { key, value }),
  },
}));

const { verifyMyPolicy } = await import('../../pwa/src/lib/verify-my-policy.ts');
const subtle = globalThis.crypto.subtle as unknown as Subtle;

describe('the PWA verifies whose policy it shows', () => {
  let keys: SigningKeyPair;
  const me = (groupId: string) => ({
    id: 'u1',
    name: 'Sam',
    email: 's@x',
    role: 'employee',
    groupId,
  });
  const envelopeFor = async (groupId: string, version: number) => ({
    envelope: await signEnvelope(
      subtle,
      JSON.stringify({
        v: 1,
        version,
        issuedAt: '2026-12-01T00:00:00Z',
        groupId,
        groupName: groupId,
        policy: { urlBlocklist: [], urlAllowlist: [], dataControls: [] },
      }),
      keys.keyId,
      keys.privateJwk,
    ),
    version,
  });
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'shown',
      (e: { code?: string }) => e.code,
    );

  beforeEach(async () => {
    keys = await generateSigningKeyPair(subtle);
    store.set('publicKey', {
      key: 'publicKey',
      value: { keyId: keys.keyId, alg: 'ES256', jwk: keys.publicJwk },
    });
    store.set('me', { key: 'me', value: me('g-strict') });
  });
  afterEach(() => {
    store.clear();
    vi.unstubAllGlobals();
  });

  it('shows its own group’s policy', async () => {
    mockFetch({});
    expect(await code(verifyMyPolicy(await envelopeFor('g-strict', 4)))).toBe('shown');
  });

  it('refuses another group’s valid, newer envelope', async () => {
    mockFetch({ 'GET /api/v1/auth/me': { json: { user: me('g-strict') } } });
    expect(await code(verifyMyPolicy(await envelopeFor('g-lax', 50)))).toBe('policy_unverified');
  });

  it('asks the session again when the cached group is stale (an admin just moved them)', async () => {
    mockFetch({ 'GET /api/v1/auth/me': { json: { user: me('g-new') } } });
    expect(await code(verifyMyPolicy(await envelopeFor('g-new', 12)))).toBe('shown');
    expect((store.get('me')!.value as { groupId: string }).groupId).toBe('g-new');
  });

  it('refuses a version older than the cached one of the same group', async () => {
    mockFetch({});
    store.set('policy', { key: 'policy', value: await envelopeFor('g-strict', 9) });
    expect(await code(verifyMyPolicy(await envelopeFor('g-strict', 4)))).toBe('policy_unverified');
    expect(await code(verifyMyPolicy(await envelopeFor('g-strict', 10)))).toBe('shown');
  });
});
