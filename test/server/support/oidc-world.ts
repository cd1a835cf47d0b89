import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import type { AppAccessRule } from '../../../core/policy/access/types.ts';
import { loadConfig } from '../../../server/config.ts';
import { silentLogger } from '../../../server/log.ts';
import { startServer, type RunningServer } from '../../../server/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { DeviceProver } from '../../helpers/device-prover.ts';
import { enrollWithCode, registerWithLink, type SessionUser } from '../../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.ts';
import { freePort } from '../../helpers/start-server.ts';

export const APP_ID = 'crm';

/** A place that receives back-channel logout tokens, as an app's endpoint would. */
export interface LogoutReceiver {
  url: string;
  tokens: string[];
  /** Resolves with the next token received. */
  next(): Promise<string>;
  close(): Promise<void>;
}

export interface OidcWorld {
  server: RunningServer;
  origin: string;
  issuer: string;
  admin: ApiClient;
  /** The employee's browser: their Palisade session cookie, redirects not followed. */
  browser: ApiClient;
  employee: SessionUser;
  prover: DeviceProver;
  /** Enrolls another browser with a device key (a second device of the group). */
  enrollDevice(): Promise<DeviceProver>;
  client: { id: string; secret: string; redirectUri: string };
  config: oidc.Configuration;
  logout: LogoutReceiver;
  /** Moves the server's clock. */
  advance(ms: number): void;
  /** Replaces the app family's access rule in the live policy. */
  setAccess(access: AppAccessRule | undefined): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real server in this process (a real listener, an injectable clock), an admin, an
 * employee of group "Staff" signed in with a passkey, an enrolled browser holding a device
 * key, a published policy whose app family `crm` carries `access`, the app registered as a
 * client, and openid-client configured for it.
 */
export async function makeOidcWorld(
  access?: AppAccessRule,
  /**
   * `databaseUrl`: a PostgreSQL database; `twoInstances`: a second server on it, and every
   * request (browser and app alike) goes to the two in turn, as behind a load balancer.
   */
  opts: { databaseUrl?: string; twoInstances?: boolean } = {},
): Promise<OidcWorld> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-oidc-'));
  let offset = 0;
  const start = (p: number) =>
    startServer(
      loadConfig({
        PORT: String(p),
        HOST: '127.0.0.1',
        ORIGIN: origin,
        DATA_DIR: dataDir,
        PWA_DIR: path.join(dataDir, 'no-pwa'),
        RATE_LIMIT_LOGIN: '0',
        RATE_LIMIT_ENROLLMENT: '0',
        RATE_LIMIT_PAIRING: '0',
        ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
      }),
      silentLogger,
      { now: () => Date.now() + offset },
    );
  const server = await start(port);
  const ports = [port];
  let second: RunningServer | null = null;
  if (opts.twoInstances) {
    const port2 = await freePort();
    second = await start(port2);
    ports.push(port2);
  }
  let turn = 0;
  /** To the instances in turn; redirects left to the caller. */
  const balanced = (url: string, init: RequestInit) => {
    const u = new URL(url);
    if (u.origin === origin) u.port = String(ports[turn++ % ports.length]);
    return fetch(u, { ...init, redirect: 'manual' });
  };
  const manual = balanced;
  const admin = new ApiClient(origin, { fetch: manual });
  // The instance started last voided the earlier setup links.
  await registerWithLink(admin, (second ?? server).setup!.link, new SoftAuthenticator(), {
    name: 'Ada Admin',
    email: 'ada@example.com',
  });
  const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
    name: 'Staff',
  });
  // Another group, for rules that leave Staff out (access groups must exist).
  await admin.json('POST', '/api/v1/groups', { name: 'Sales' });
  const { enrollmentCode } = await admin.json<{ enrollmentCode: { code: string } }>(
    'POST',
    '/api/v1/enrollment-codes',
    { groupId: group.id },
  );
  const browser = new ApiClient(origin, { fetch: manual });
  const employee = await enrollWithCode(browser, enrollmentCode.code, new SoftAuthenticator(), {
    name: 'Emil Employee',
    email: 'emil@example.com',
  });
  const enrollDevice = async () => {
    const prover = await DeviceProver.create();
    const enrolled = await new ApiClient(origin, { origin: null }).json<{ deviceId: string }>(
      'POST',
      '/api/v1/device/enroll',
      {
        enrollmentCode: enrollmentCode.code,
        extensionVersion: '1.0.0',
        platform: 'linux',
        browser: 'chrome',
        deviceKey: prover.publicJwk,
      },
    );
    prover.deviceId = enrolled.deviceId;
    return prover;
  };
  const prover = await enrollDevice();

  const { policy } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
    document: policyWith(access),
  });
  await admin.json('POST', `/api/v1/policies/${policy.id}/publish`);
  const setAccess = async (next: AppAccessRule | undefined) => {
    await admin.json('PUT', `/api/v1/policies/${policy.id}`, { document: policyWith(next) });
    await admin.json('POST', `/api/v1/policies/${policy.id}/publish`);
  };

  const logout = await logoutReceiver();
  const redirectUri = 'http://crm.test:3001/callback';
  const created = await admin.json<{ client: { id: string }; secret: string }>(
    'POST',
    '/api/v1/oidc/clients',
    { name: 'CRM', redirectUris: [redirectUri], appId: APP_ID, backchannelLogoutUri: logout.url },
  );
  const issuer = `${origin}/oidc`;
  const config = await oidc.discovery(
    new URL(issuer),
    created.client.id,
    created.secret,
    oidc.ClientSecretBasic(created.secret),
    { execute: [oidc.allowInsecureRequests] },
  );
  config[oidc.customFetch] = (url, options) =>
    balanced(url, options as RequestInit) as ReturnType<typeof fetch>;
  return {
    server,
    origin,
    issuer,
    admin,
    browser,
    employee,
    prover,
    enrollDevice,
    client: { id: created.client.id, secret: created.secret, redirectUri },
    config,
    logout,
    advance: (ms) => void (offset += ms),
    setAccess,
    async close() {
      await logout.close();
      await second?.stop();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function policyWith(access: AppAccessRule | undefined) {
  return {
    name: 'Company apps',
    apps: [{ id: APP_ID, name: 'CRM', urls: ['crm.test'], ...(access ? { access } : {}) }],
  };
}

export type FlowResult =
  | { kind: 'code'; callback: URL; verifier: string; state: string; nonce: string }
  | {
      kind: 'refused';
      app: Record<string, unknown>;
      failed: { condition: string; message: string }[];
      callback: URL;
    };

/**
 * One sign-in as the browser does it: the app's authorization request, the provider's
 * redirects to the interaction, the sign-in page's calls (details, then the proof — or
 * none), and the redirects back to the app's redirect URI (not fetched: the app is not
 * running; the URL is what it would receive).
 */
export async function signIn(
  w: OidcWorld,
  opts: { proof: boolean; browser?: ApiClient } = { proof: true },
): Promise<FlowResult> {
  const browser = opts.browser ?? w.browser;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authUrl = oidc.buildAuthorizationUrl(w.config, {
    redirect_uri: w.client.redirectUri,
    scope: 'openid email profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  let location = await follow(browser, authUrl.href);
  const signinPage = /\/signin\/([A-Za-z0-9_-]+)$/.exec(new URL(location).pathname);
  if (!signinPage) throw new Error(`expected the sign-in page, got ${location}`);
  const uid = signinPage[1]!;
  const { interaction } = await browser.json<{ interaction: { challenge: string } }>(
    'GET',
    `/api/v1/oidc/interactions/${uid}/details`,
  );
  const proof = opts.proof ? await w.prover.prove(interaction.challenge, w.origin) : null;
  const outcome = await browser.json<{
    allow: boolean;
    redirectTo: string;
    app?: Record<string, unknown>;
    failed?: { condition: string; message: string }[];
  }>('POST', `/api/v1/oidc/interactions/${uid}/proof`, { proof });
  location = await follow(browser, outcome.redirectTo);
  const callback = new URL(location);
  if (!outcome.allow)
    return { kind: 'refused', app: outcome.app ?? {}, failed: outcome.failed ?? [], callback };
  return { kind: 'code', callback, verifier, state, nonce };
}

/** Follows redirects on the server's origin; returns the first location elsewhere (or a page). */
async function follow(browser: ApiClient, url: string): Promise<string> {
  let current = url;
  for (let hops = 0; hops < 10; hops++) {
    if (new URL(current).origin !== new URL(browser.baseUrl).origin) return current;
    const res = await browser.get(current, { accept: 'text/html' });
    const next = res.headers.get('location');
    if (process.env.OIDC_DEBUG) console.log(res.status, current, '->', next);
    await res.arrayBuffer();
    if (!next || res.status < 300 || res.status >= 400) return current;
    current = new URL(next, current).href;
  }
  throw new Error('too many redirects');
}

/** Exchanges the code as the app would (openid-client: PKCE, state, nonce, ID token checks). */
export async function redeem(w: OidcWorld, flow: Extract<FlowResult, { kind: 'code' }>) {
  return oidc.authorizationCodeGrant(w.config, flow.callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
}

async function logoutReceiver(): Promise<LogoutReceiver> {
  const tokens: string[] = [];
  const waiting: ((t: string) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      res.writeHead(token ? 200 : 400).end();
      if (!token) return;
      tokens.push(token);
      waiting.shift()?.(token);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backchannel-logout`,
    tokens,
    next: () => new Promise<string>((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
