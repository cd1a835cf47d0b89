import fs from 'node:fs';
import path from 'node:path';
import { generateSigningKeyPair, type SigningKeyPair } from '../core/crypto/envelope.ts';
import type { Subtle } from '../core/crypto/webcrypto.ts';
import type { Store } from './store/store.ts';

/** Node's WebCrypto, typed as the slice core/ uses. */
export const subtle = globalThis.crypto.subtle as unknown as Subtle;

const FILE = 'signing-key.json';

/**
 * Loads the policy signing key from `dataDir`, creating it on first start. The file holds
 * the private key, so it is created with mode 0600 (and tightened if someone loosened it);
 * devices pin the public key at enrollment, so losing this file means re-enrolling.
 */
export async function loadSigningKey(dataDir: string): Promise<SigningKeyPair> {
  const file = path.join(dataDir, FILE);
  if (fs.existsSync(file)) {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SigningKeyPair>;
    if (!parsed.keyId || !parsed.privateJwk?.d || !parsed.publicJwk?.x) {
      throw new Error(`${file} is not a Palisade signing key; move it away to generate a new one`);
    }
    return parsed as SigningKeyPair;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pair = await generateSigningKeyPair(subtle);
  // Write then rename, so a crash never leaves a half-written key behind.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...pair, createdAt: new Date().toISOString() }, null, 2), {
    mode: 0o600,
    flag: 'wx',
  });
  fs.renameSync(tmp, file);
  return pair;
}

/**
 * The key this server signs with: the one in the database when the store is shared by
 * several instances (PostgreSQL — every instance must sign with the same key, since
 * devices pin it), else the file in `dataDir`.
 */
export async function loadSigningKeyFor(
  store: Pick<Store, 'sharedSigningKey'>,
  dataDir: string,
): Promise<SigningKeyPair> {
  if (store.sharedSigningKey) return store.sharedSigningKey(() => generateSigningKeyPair(subtle));
  return loadSigningKey(dataDir);
}

/** The public half as `GET /api/v1/public-key` and `DeviceGrant.publicKey` give it. */
export function publicKeyInfo(pair: SigningKeyPair): {
  keyId: string;
  alg: 'ES256';
  jwk: Record<string, unknown>;
} {
  const { kty, crv, x, y } = pair.publicJwk;
  return { keyId: pair.keyId, alg: 'ES256', jwk: { kty, crv, x, y } };
}
