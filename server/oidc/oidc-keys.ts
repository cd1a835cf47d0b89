import { createHash, generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'oidc-provider';
import type { ServiceContext } from '../service/context.ts';
import type { OidcKeyRow } from '../store/types.ts';

/**
 * How long a retired key stays published: longer than anything it signed lives (ID tokens
 * are valid for an hour), so a relying party can still verify them after a rotation.
 */
export const RETIRED_KEY_KEEP_MS = 2 * 3_600_000;

/**
 * The provider's ES256 keys, kept in the store so every instance signs with the same one.
 * Rotating makes a new signing key and retires the others; retired keys stay in the JWKS
 * for verification until `RETIRED_KEY_KEEP_MS` has passed, then go.
 */
export class OidcKeys {
  constructor(private readonly ctx: ServiceContext) {}

  /** The private JWKs for oidc-provider, the signing key first; makes one if there is none. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { store } = this.ctx;
    let rows = await store.listOidcKeys();
    if (!rows.some((k) => k.retiredAt === null)) {
      await store.addOidcKey(newKey(this.ctx.now()));
      rows = await store.listOidcKeys();
    }
    const expired = (k: OidcKeyRow) =>
      k.retiredAt !== null && Date.parse(k.retiredAt) + RETIRED_KEY_KEEP_MS <= this.ctx.now();
    // If two instances each made a first key at once, the newest signs: both are listed.
    const ordered = [
      ...rows.filter((k) => k.retiredAt === null),
      ...rows.filter((k) => k.retiredAt !== null && !expired(k)),
    ];
    return { keys: ordered.map((k) => JSON.parse(k.privateJwk) as JWK) };
  }

  /** Makes a new signing key and retires the current one; drops keys retired long enough ago. */
  async rotate(): Promise<{ kid: string; retiredKids: string[] }> {
    const { store } = this.ctx;
    const before = (await store.listOidcKeys()).filter((k) => k.retiredAt === null);
    const row = newKey(this.ctx.now());
    await store.rotateOidcKey(row, row.createdAt);
    await store.deleteOidcKeysRetiredBefore(
      new Date(this.ctx.now() - RETIRED_KEY_KEEP_MS).toISOString(),
    );
    return { kid: row.kid, retiredKids: before.map((k) => k.kid) };
  }
}

function newKey(now: number): OidcKeyRow {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = publicKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint: the required members, in lexicographic order, without spaces.
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: pub.crv, kty: pub.kty, x: pub.x, y: pub.y }))
    .digest('base64url');
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
  return {
    kid,
    privateJwk: JSON.stringify(jwk),
    createdAt: new Date(now).toISOString(),
    retiredAt: null,
  };
}
