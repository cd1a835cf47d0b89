import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Store } from '../store/store.ts';
import type { OidcClientRow } from '../store/types.ts';

/** The token models a grant owns: all go when the grant is revoked. */
const GRANT_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/**
 * oidc-provider's persistence on the Palisade store, so sessions, grants, codes and tokens
 * are shared by every instance (SQLite alone, or PostgreSQL behind several). Each model is a
 * JSON row keyed by (model, id); `Client` is read from the admin-registered clients instead
 * (`clientMetadata`), and never written here.
 *
 * See oidc-provider's adapter contract (its example MemoryAdapter): `find` returns the
 * payload with `consumed` set once consumed, and nothing once expired.
 */
export function storeAdapter(
  store: Store,
  now: () => number,
  /** Told when a code is issued, which is when a grant's session and `sid` are known. */
  codeIssued: (grantId: string, sessionUid: string | null, sid: string | null) => Promise<void>,
) {
  return class StoreAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are registered by admins only');
      await store.putOidcModel({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        // A grant's own row carries its id too, so revoking the grant takes it with its tokens.
        grantId:
          this.model === 'Grant'
            ? id
            : GRANT_MODELS.has(this.model)
              ? (payload.grantId ?? null)
              : null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        expiresAt: expiresIn ? new Date(now() + expiresIn * 1000).toISOString() : null,
        consumedAt: null,
      });
      if (this.model === 'AuthorizationCode' && payload.grantId) {
        await codeIssued(payload.grantId, payload.sessionUid ?? null, payload.sid ?? null);
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const client = await store.getOidcClient(id);
        return client ? clientMetadata(client) : undefined;
      }
      return this.payloadOf(await store.getOidcModel(this.model, id));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.payloadOf(await store.findOidcModelBy(this.model, 'uid', uid));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.payloadOf(await store.findOidcModelBy(this.model, 'userCode', userCode));
    }

    async consume(id: string): Promise<void> {
      await store.consumeOidcModel(this.model, id, new Date(now()).toISOString());
    }

    async destroy(id: string): Promise<void> {
      await store.deleteOidcModel(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.deleteOidcGrantModels(grantId);
    }

    private payloadOf(row: Awaited<ReturnType<Store['getOidcModel']>>): AdapterPayload | undefined {
      if (!row) return undefined;
      if (row.expiresAt && Date.parse(row.expiresAt) <= now()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      return row.consumedAt
        ? { ...payload, consumed: Math.floor(Date.parse(row.consumedAt) / 1000) }
        : payload;
    }
  };
}

/**
 * A registered app as oidc-provider client metadata. `client_secret` holds the SHA-256 of
 * the secret, never the secret: the provider's secret comparison is replaced to hash what
 * the client presents first (`oidc-provider.ts`), and nothing else may use the secret — no
 * HS256 tokens, no `client_secret_jwt`, no encrypted responses.
 */
export function clientMetadata(client: OidcClientRow): AdapterPayload {
  return {
    client_id: client.id,
    client_secret: client.secretHash,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
    ...(client.backchannelLogoutUri
      ? {
          backchannel_logout_uri: client.backchannelLogoutUri,
          backchannel_logout_session_required: true,
        }
      : {}),
  };
}
