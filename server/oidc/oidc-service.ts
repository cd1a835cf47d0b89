import { hkdfSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { FindAccount } from 'oidc-provider';
import type { FailedCondition } from '../../core/policy/access/types.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { isoNow, type ServiceContext } from '../service/context.ts';
import type { OidcClientRow, OidcSigninRow, UserView } from '../store/types.ts';
import { randomToken, sha256Hex } from '../util/tokens.ts';
import { ConditionalAccess, type AccessDeps } from './conditional-access.ts';
import { OidcKeys } from './oidc-keys.ts';
import { buildProvider, OIDC_PATH } from './oidc-provider.ts';
import { storeAdapter } from './store-adapter.ts';

/** Where the sign-in interaction starts; it sends the browser on to the PWA's page. */
export const INTERACTION_PATH = '/api/v1/oidc/interactions';
/** The PWA page that runs the interaction. */
export const SIGNIN_PAGE = '/signin';

/** How often an instance looks for a rotated key in the store. */
const KEY_CHECK_MS = 10_000;

/** RFC 8176: a hardware-bound key (the passkey) with a user verification. */
const PASSKEY_AMR = ['hwk', 'user'];

export interface NewClient {
  name: string;
  redirectUris: string[];
  appId: string;
  backchannelLogoutUri: string | null;
}

export type ClientView = Omit<OidcClientRow, 'secretHash'>;

type Host = { fingerprint: string; provider: Provider; handle: ReturnType<Provider['callback']> };

/**
 * Palisade as an OpenID Provider: the provider itself (rebuilt when the signing key is
 * rotated, on any instance), the registered app clients, the sign-in interaction that
 * asks for the device proof and decides access, and ending a device's or a person's
 * sign-ins with back-channel logout.
 */
export class OidcService {
  readonly access: ConditionalAccess;
  readonly keys: OidcKeys;
  private host: Promise<Host> | null = null;
  private checkedAt = -Infinity;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    deps: AccessDeps,
  ) {
    this.access = new ConditionalAccess(ctx, audit, deps);
    this.keys = new OidcKeys(ctx);
  }

  get issuer(): string {
    return `${this.ctx.config.origin}${OIDC_PATH}`;
  }

  /** Whether a request is for the provider (answered before Hono, by `handle`). */
  static handles(url: string | undefined): boolean {
    return url === OIDC_PATH || (url?.startsWith(`${OIDC_PATH}/`) ?? false);
  }

  /** Answers a request under `/oidc` with the provider, mounted as Express would mount it. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { handle } = await this.current();
    const original = req.url ?? OIDC_PATH;
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
    req.url = original.slice(OIDC_PATH.length) || '/';
    await handle(req, res);
  }

  /** The provider, rebuilt from the store's keys when they changed (at most every 10 s). */
  async provider(): Promise<Provider> {
    return (await this.current()).provider;
  }

  private async current(): Promise<Host> {
    const now = this.ctx.now();
    if (this.host && now - this.checkedAt < KEY_CHECK_MS) return this.host;
    this.checkedAt = now;
    const previous = this.host;
    this.host = (async () => {
      const jwks = await this.keys.jwks();
      const fingerprint = jwks.keys.map((k) => k.kid).join(',');
      const old = await previous?.catch(() => null);
      if (old?.fingerprint === fingerprint) return old;
      const provider = await this.build(jwks);
      return { fingerprint, provider, handle: provider.callback() };
    })();
    this.host.catch(() => {
      this.host = null; // try again on the next request
    });
    return this.host;
  }

  private build(jwks: Awaited<ReturnType<OidcKeys['jwks']>>): Promise<Provider> {
    const { config, store, log } = this.ctx;
    return buildProvider({
      issuer: this.issuer,
      jwks,
      cookieKeys: [cookieKey(this.ctx)],
      adapter: storeAdapter(store, this.ctx.now, (grantId, sessionUid, sid) =>
        this.codeIssued(grantId, sessionUid, sid),
      ),
      findAccount: this.findAccount,
      secureCookies: config.secureCookies,
      proxy: config.trustProxy > 0,
      interactionPath: INTERACTION_PATH,
      log: (message, fields) => log.warn(message, fields),
    });
  }

  /**
   * The account behind a token. A disabled person, or a sign-in that was ended (device
   * lost, person disabled), has none — so codes, userinfo and refresh all fail; a refresh
   * also decides access again, and a refusal ends the grant's use.
   */
  private readonly findAccount: FindAccount = async (_ctx, sub, token) => {
    const user = await this.ctx.store.getUser(sub);
    if (!user || user.disabled) return undefined;
    const signin = token?.grantId ? await this.ctx.store.getOidcSignin(token.grantId) : null;
    if (token && (!signin || signin.endedAt)) return undefined;
    if (token?.kind === 'RefreshToken' && signin) {
      const client = await this.ctx.store.getOidcClient(signin.clientId);
      if (!client || !(await this.access.checkRefresh(signin, client))) return undefined;
    }
    return {
      accountId: sub,
      claims: () => ({
        sub,
        email: user.email,
        email_verified: user.emailVerified,
        name: user.name,
        group: user.groupName,
        device_id: signin?.deviceId ?? null,
        device_trust: signin?.trust ?? 'none',
      }),
    };
  };

  private async codeIssued(grantId: string, sessionUid: string | null, sid: string | null) {
    const signin = await this.ctx.store.getOidcSignin(grantId);
    if (signin && (signin.sessionUid !== sessionUid || signin.sid !== sid)) {
      await this.ctx.store.putOidcSignin({ ...signin, sessionUid, sid });
    }
  }

  // — clients —

  async createClient(
    by: UserView,
    input: NewClient,
  ): Promise<{ client: ClientView; secret: string }> {
    const secret = randomToken(32);
    const row: OidcClientRow = {
      id: `app_${randomToken(12)}`,
      name: input.name,
      redirectUris: input.redirectUris,
      appId: input.appId,
      backchannelLogoutUri: input.backchannelLogoutUri,
      secretHash: sha256Hex(secret),
      createdAt: isoNow(this.ctx),
    };
    await this.ctx.store.createOidcClient(row);
    await this.audit.record(by, 'oidc.client_create', `client:${row.id}`, {
      name: row.name,
      appId: row.appId,
    });
    return { client: view(row), secret };
  }

  async listClients(): Promise<ClientView[]> {
    return (await this.ctx.store.listOidcClients()).map(view);
  }

  async deleteClient(by: UserView, id: string): Promise<void> {
    const live = await this.ctx.store.listOidcSignins({ clientId: id, live: true, limit: 10_000 });
    await this.end(live, 'client removed');
    if (!(await this.ctx.store.deleteOidcClient(id))) {
      throw new ApiError('not_found', `There is no app client ${id}.`);
    }
    await this.audit.record(by, 'oidc.client_delete', `client:${id}`);
  }

  async signins(clientId: string, limit: number): Promise<OidcSigninRow[]> {
    if (!(await this.ctx.store.getOidcClient(clientId))) {
      throw new ApiError('not_found', `There is no app client ${clientId}.`);
    }
    return this.ctx.store.listOidcSignins({ clientId, limit });
  }

  async rotateKeys(by: UserView | 'system'): Promise<{ kid: string; retiredKids: string[] }> {
    const rotated = await this.keys.rotate();
    this.checkedAt = -Infinity; // this instance switches at once; the others within 10 s
    await this.audit.record(by, 'oidc.key_rotate', `key:${rotated.kid}`, {
      retired: rotated.retiredKids.join(','),
    });
    return rotated;
  }

  // — the sign-in interaction —

  /** What the sign-in page shows, with a fresh challenge for the device proof. */
  async interaction(req: IncomingMessage, res: ServerResponse) {
    const provider = await this.provider();
    const details = await provider.interactionDetails(req, res).catch((cause: unknown) => {
      throw new ApiError(
        'not_found',
        'This sign-in has expired or was started in another browser; go back to the app and sign in again.',
        { cause },
      );
    });
    const client = await this.ctx.store.getOidcClient(String(details.params.client_id));
    if (!client)
      throw new ApiError('not_found', 'The app of this sign-in is no longer registered.');
    const { challenge, expiresAt } = this.access.deps.deviceProof.issueChallenge();
    return { uid: details.uid, client: { id: client.id, name: client.name }, challenge, expiresAt };
  }

  /**
   * Decides the sign-in: the person (their Palisade session), the device proof the page
   * got from the extension (null when none answered), the rule of the client's app family.
   * Allowed: a grant is made and the flow goes on to the app. Refused: the flow ends with
   * `access_denied` and the page shows every failed condition.
   */
  async completeInteraction(
    req: IncomingMessage,
    res: ServerResponse,
    user: UserView,
    proof: unknown,
    clientAddress: string,
  ): Promise<
    | { allow: true; redirectTo: string }
    | {
        allow: false;
        app: { id: string; name: string };
        failed: FailedCondition[];
        redirectTo: string;
      }
  > {
    const provider = await this.provider();
    const details = await provider.interactionDetails(req, res).catch((cause: unknown) => {
      throw new ApiError(
        'not_found',
        'This sign-in has expired or was already finished; go back to the app and sign in again.',
        { cause },
      );
    });
    const client = await this.ctx.store.getOidcClient(String(details.params.client_id));
    if (!client)
      throw new ApiError('not_found', 'The app of this sign-in is no longer registered.');
    const check = await this.access.checkSignIn({ client, user, proof, clientAddress });
    if (!check.decision.allow) {
      const redirectTo = await provider.interactionResult(
        req,
        res,
        {
          error: 'access_denied',
          error_description: check.decision.failed.map((f) => f.message).join(' '),
        },
        { mergeWithLastSubmission: false },
      );
      return { allow: false, app: check.app, failed: check.decision.failed, redirectTo };
    }
    const grant = new provider.Grant({ accountId: user.id, clientId: client.id });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await this.ctx.store.putOidcSignin({
      grantId,
      clientId: client.id,
      userId: user.id,
      deviceId: check.device?.id ?? null,
      trust: check.device?.trust ?? 'none',
      appId: client.appId,
      sessionUid: null,
      sid: null,
      clientAddress,
      posture: check.posture ? JSON.stringify(check.posture) : null,
      createdAt: isoNow(this.ctx),
      endedAt: null,
      endReason: null,
    });
    const redirectTo = await provider.interactionResult(
      req,
      res,
      { login: { accountId: user.id, amr: PASSKEY_AMR, remember: false }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    return { allow: true, redirectTo };
  }

  // — ending sign-ins —

  /** A device was revoked, wiped, went silent or was removed: its apps sign it out now. */
  async endDevice(deviceId: string, reason: string): Promise<number> {
    const live = await this.ctx.store.listOidcSignins({ deviceId, live: true, limit: 10_000 });
    return this.end(live, `device ${reason}`);
  }

  /** A person was disabled: every app signs them out, on every device. */
  async endUser(userId: string, reason: string): Promise<number> {
    const live = await this.ctx.store.listOidcSignins({ userId, live: true, limit: 10_000 });
    return this.end(live, reason);
  }

  /**
   * Marks the sign-ins ended (so their tokens stop resolving at once), drops their grants,
   * tokens and provider sessions, and sends each app a logout token naming the session.
   */
  private async end(signins: OidcSigninRow[], reason: string): Promise<number> {
    if (signins.length === 0) return 0;
    const { store, log } = this.ctx;
    const ended = await store.endOidcSignins(
      signins.map((s) => s.grantId),
      reason,
      isoNow(this.ctx),
    );
    const provider = await this.provider();
    await Promise.all(
      ended.map(async (s) => {
        await store.deleteOidcGrantModels(s.grantId);
        if (s.sessionUid) {
          const session = await store.findOidcModelBy('Session', 'uid', s.sessionUid);
          if (session) await store.deleteOidcModel('Session', session.id);
        }
        // oidc-provider's Client#backchannelLogout (features.backchannelLogout) signs and
        // POSTs the logout token; its typings leave the method out.
        const client = (await provider.Client.find(s.clientId)) as
          | (InstanceType<Provider['Client']> & {
              backchannelLogout(sub: string, sid?: string): Promise<void>;
            })
          | undefined;
        if (!client?.backchannelLogoutUri) return;
        try {
          await client.backchannelLogout(s.userId, s.sid ?? undefined);
        } catch (err) {
          log.warn('back-channel logout not delivered', { client: s.clientId, error: String(err) });
        }
      }),
    );
    return ended.length;
  }
}

function view({ secretHash: _, ...rest }: OidcClientRow): ClientView {
  return rest;
}

/** The provider's cookie key, derived from the server's key so every instance has it. */
function cookieKey(ctx: ServiceContext): string {
  const secret = ctx.signingKey.privateJwk.d;
  if (!secret) throw new Error('the signing key has no private part');
  return Buffer.from(hkdfSync('sha256', secret, 'palisade', 'oidc-provider cookies', 32)).toString(
    'base64url',
  );
}
