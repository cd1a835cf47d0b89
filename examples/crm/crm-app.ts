import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';

/**
 * A small company app ("CRM") that signs people in with Palisade — the way to connect any
 * app: an OpenID Connect relying party (openid-client) using the authorization code flow
 * with PKCE, its own session cookie, short access tokens refreshed on use, and a
 * back-channel logout endpoint through which Palisade ends a session when the device is
 * revoked or the person disabled.
 */
export interface CrmOptions {
  /** Palisade's issuer, e.g. `https://emm.example.com/oidc`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where people reach this app, e.g. `http://crm.test:3001` (the redirect URI is `${baseUrl}/callback`). */
  baseUrl: string;
  port: number;
  host?: string;
  /** Plain-http issuer (development and tests only). */
  allowHttp?: boolean;
}

export interface CrmSession {
  id: string;
  sub: string;
  sid: string | undefined;
  email: string;
  deviceId: string | null;
  deviceTrust: string;
  group: string | null;
  amr: string[];
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number;
}

export interface RunningCrm {
  url: string;
  port: number;
  sessions: Map<string, CrmSession>;
  /** Told when Palisade ends a session: a back-channel logout, or a refused refresh. */
  onSessionEnded(listener: (s: CrmSession, reason: 'logout' | 'refresh') => void): void;
  stop(): Promise<void>;
}

const COOKIE = 'crm_session';
const PENDING = 'crm_pending';

export async function startCrm(opts: CrmOptions): Promise<RunningCrm> {
  const config = await oidc.discovery(
    new URL(opts.issuer),
    opts.clientId,
    opts.clientSecret,
    oidc.ClientSecretBasic(opts.clientSecret),
    opts.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  const meta = config.serverMetadata();
  const jwks = createRemoteJWKSet(new URL(meta.jwks_uri!));
  const sessions = new Map<string, CrmSession>();
  const pending = new Map<string, { verifier: string; state: string; nonce: string }>();
  const seenLogoutJti = new Set<string>();
  const ended: ((s: CrmSession, reason: 'logout' | 'refresh') => void)[] = [];
  const redirectUri = `${opts.baseUrl}/callback`;

  const endSession = (s: CrmSession, reason: 'logout' | 'refresh') => {
    sessions.delete(s.id);
    for (const l of ended) l(s, reason);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', opts.baseUrl);
    const cookies = parseCookies(req.headers.cookie);
    if (req.method === 'GET' && url.pathname === '/') {
      const session = sessions.get(cookies[COOKIE] ?? '');
      if (!session)
        return page(
          res,
          200,
          'CRM',
          `<p>You are not signed in.</p><p><a id="sign-in" href="/login">Sign in with Palisade</a></p>`,
        );
      // Short access tokens: past expiry, refresh — and Palisade decides access again.
      if (Date.now() >= session.expiresAt) {
        try {
          if (!session.refreshToken) throw new Error('no refresh token');
          const tokens = await oidc.refreshTokenGrant(config, session.refreshToken);
          session.accessToken = tokens.access_token;
          session.refreshToken = tokens.refresh_token ?? session.refreshToken;
          session.expiresAt = Date.now() + (tokens.expires_in ?? 300) * 1000;
        } catch {
          endSession(session, 'refresh');
          return page(
            res,
            200,
            'CRM',
            `<p id="ended">Palisade no longer lets this session go on. <a href="/login">Sign in again</a></p>`,
          );
        }
      }
      return page(
        res,
        200,
        'CRM',
        `<p id="signed-in">Signed in as <b>${esc(session.email)}</b></p>
        <dl><dt>Device</dt><dd id="device">${esc(session.deviceId ?? 'none')}</dd>
        <dt>Device trust</dt><dd id="trust">${esc(session.deviceTrust)}</dd>
        <dt>Group</dt><dd>${esc(session.group ?? '—')}</dd>
        <dt>Sign-in method (amr)</dt><dd>${esc(session.amr.join(', '))}</dd></dl>
        <form method="post" action="/logout"><button>Sign out</button></form>`,
      );
    }
    if (req.method === 'GET' && url.pathname === '/login') {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const id = randomBytes(16).toString('base64url');
      pending.set(id, { verifier, state, nonce });
      const to = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile offline_access',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      res.writeHead(303, { Location: to.href, 'Set-Cookie': cookie(PENDING, id, 600) });
      return res.end();
    }
    if (req.method === 'GET' && url.pathname === '/callback') {
      const flow = pending.get(cookies[PENDING] ?? '');
      if (url.searchParams.get('error')) {
        const why = url.searchParams.get('error_description') ?? url.searchParams.get('error')!;
        return page(
          res,
          403,
          'CRM: refused',
          `<p id="refused">Palisade refused the sign-in.</p><p id="reason">${esc(why)}</p><p><a href="/login">Try again</a></p>`,
        );
      }
      if (!flow)
        return page(
          res,
          400,
          'CRM',
          `<p>This sign-in was not started here. <a href="/login">Sign in</a></p>`,
        );
      pending.delete(cookies[PENDING]!);
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      const session: CrmSession = {
        id: randomBytes(24).toString('base64url'),
        sub: claims.sub,
        sid: typeof claims.sid === 'string' ? claims.sid : undefined,
        email: String(claims.email ?? claims.sub),
        deviceId: typeof claims.device_id === 'string' ? claims.device_id : null,
        deviceTrust: String(claims.device_trust ?? 'none'),
        group: typeof claims.group === 'string' ? claims.group : null,
        amr: Array.isArray(claims.amr) ? claims.amr.map(String) : [],
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000,
      };
      sessions.set(session.id, session);
      res.writeHead(303, { Location: '/', 'Set-Cookie': cookie(COOKIE, session.id, 12 * 3600) });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/logout') {
      const session = sessions.get(cookies[COOKIE] ?? '');
      if (session) sessions.delete(session.id);
      res.writeHead(303, { Location: '/', 'Set-Cookie': cookie(COOKIE, '', 0) });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/backchannel-logout') {
      // OpenID Connect Back-Channel Logout 1.0, §2.6: validate the logout token, then end
      // the sessions it names (by sid, else every session of sub).
      const body = new URLSearchParams(await readBody(req));
      const token = body.get('logout_token');
      if (!token) return plain(res, 400, 'logout_token missing');
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: meta.issuer,
          audience: opts.clientId,
          typ: 'logout+jwt',
          maxTokenAge: '5m',
        });
        const events = payload.events as Record<string, unknown> | undefined;
        if (!events?.['http://schemas.openid.net/event/backchannel-logout'])
          throw new Error('not a logout token');
        if ('nonce' in payload) throw new Error('a logout token has no nonce');
        if (!payload.sub && !payload.sid) throw new Error('neither sub nor sid');
        if (!payload.jti || seenLogoutJti.has(payload.jti)) throw new Error('replayed');
        seenLogoutJti.add(payload.jti);
        for (const s of [...sessions.values()]) {
          if (payload.sid ? s.sid === payload.sid : s.sub === payload.sub) endSession(s, 'logout');
        }
        res.writeHead(200, { 'Cache-Control': 'no-store' });
        return res.end();
      } catch (err) {
        return plain(
          res,
          400,
          `invalid logout token: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return plain(res, 404, 'not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        plain(res, 500, `error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: opts.baseUrl,
    port,
    sessions,
    onSessionEnded: (l) => void ended.push(l),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function page(res: ServerResponse, status: number, title: string, body: string) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; form-action 'self'",
    'Cache-Control': 'no-store',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>CRM</h1>${body}</body></html>`,
  );
}

function plain(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function cookie(name: string, value: string, maxAge: number) {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(';') ?? []) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
