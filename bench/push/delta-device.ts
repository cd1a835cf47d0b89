/**
 * What a simulated device of bench/push does when its policy is large (over 64 KiB signed):
 * the push frame names the version only, and the device fetches the signed deltas from the
 * version it holds, as the extension's PolicySync does (docs/delta-sync.md).
 */
import { DELTA_MEDIA_TYPE } from '../../contract/media-types.ts';
import { verifyEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import { applyPolicyDelta, type PolicyDelta } from '../../core/policy/policy-delta.ts';
import { parsePolicyPayload, type PolicyPayload } from '../../core/policy/policy-payload.ts';
import { verifyDelta } from '../../extension/background/verify-delta.ts';
import { fetchPolicy } from './policy-fetch.ts';

export type PinnedKey = { keyId: string; jwk: Record<string, unknown> };

/** The verified policy a generator's devices hold, and the ETag they send for it. */
export interface Held {
  payload: PolicyPayload;
  etag: string;
}

const POLICY_PATH = '/api/v1/device/policy';
const subtle = globalThis.crypto.subtle as unknown as Subtle;
const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

/**
 * Brings every device to the group's current version without each downloading it: the
 * first device fetches the full envelope and verifies it; every other device sends that
 * envelope's ETag and must get a 304, the server's own word that the ETag names the version
 * it would serve that device (the group's one envelope, the same bytes).
 */
export async function holdCurrentPolicy(
  base: string,
  credentials: string[],
  pinned: PinnedKey,
): Promise<{ held: Held; bytes: number; confirmed: number }> {
  const full = await fetchPolicy(base + POLICY_PATH, bearer(credentials[0]!));
  if (full.status !== 200) throw new Error(`full policy fetch answered ${full.status}`);
  const verified = await verifyEnvelope(subtle, JSON.parse(full.body), pinned as never);
  if (!verified.ok) throw new Error(`full policy: ${verified.message}`);
  const payload = parsePolicyPayload(verified.payload);
  if (!payload) throw new Error('full policy: not a policy payload');
  let confirmed = 1;
  let next = 1;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < credentials.length) {
        const i = next++;
        const res = await fetchPolicy(base + POLICY_PATH, {
          ...bearer(credentials[i]!),
          'if-none-match': full.etag,
        });
        if (res.status !== 304) throw new Error(`device ${i}: the held ETag got ${res.status}`);
        confirmed++;
      }
    }),
  );
  return { held: { payload, etag: full.etag }, bytes: Buffer.byteLength(full.body), confirmed };
}

/** `GET /device/policy` asking for the deltas from the held version, as the extension asks. */
export function fetchDeltas(base: string, credential: string, held: Held) {
  return fetchPolicy(base + POLICY_PATH, {
    ...bearer(credential),
    'if-none-match': held.etag,
    accept: `${DELTA_MEDIA_TYPE}, application/json`,
  });
}

/** True when a response is the delta answer (not the full envelope it falls back to). */
export const isDeltaAnswer = (res: { status: number; contentType: string }) =>
  res.status === 200 && res.contentType.startsWith(DELTA_MEDIA_TYPE);

/**
 * The checks PolicySync makes before it applies a delta chain: each delta's signature
 * against the pinned key, a delta payload, the device's own group, continuing from the
 * version held and moving forward; the chain must reach the pushed `version`.
 */
export async function verifyDeltas(
  body: string,
  held: Held,
  pinned: PinnedKey,
  version: number,
): Promise<PolicyDelta[]> {
  const { deltas } = JSON.parse(body) as { deltas: unknown[] };
  const verified: PolicyDelta[] = [];
  let from = held.payload.version;
  for (const envelope of deltas) {
    const result = await verifyDelta(subtle, envelope, pinned as never);
    if (!result.ok) throw new Error(`delta: ${result.message}`);
    const d = result.delta;
    if (d.groupId !== held.payload.groupId) throw new Error(`a delta for group ${d.groupId}`);
    if (d.baseVersion !== from || d.version <= d.baseVersion)
      throw new Error(`a delta v${d.baseVersion} → v${d.version} after v${from}`);
    from = d.version;
    verified.push(d);
  }
  if (from < version) throw new Error(`the deltas end at v${from}, the push named v${version}`);
  return verified;
}

/**
 * Applies verified deltas to the held payload, each rebuild checked against its signed
 * SHA-256 (applyPolicyDelta), and returns what the device then holds.
 */
export async function applyDeltas(held: Held, deltas: PolicyDelta[], etag: string): Promise<Held> {
  let payload = held.payload;
  for (const d of deltas) {
    const applied = await applyPolicyDelta(subtle, payload, d);
    if (!applied.ok) throw new Error(`delta v${d.version}: ${applied.message}`);
    payload = applied.payload;
  }
  return { payload, etag };
}
