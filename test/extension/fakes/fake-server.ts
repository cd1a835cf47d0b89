import type { ContractKey, ResponseOf } from '../../../contract/routes.ts';
import type { AuditEvent } from '../../../core/audit/types.ts';
import {
  generateSigningKeyPair,
  signEnvelope,
  type SignedEnvelope,
  type SigningKeyPair,
} from '../../../core/crypto/envelope.ts';
import {
  signDeviceCommand,
  type CommandFields,
  type CommandKind,
} from '../../../core/crypto/device-command.ts';
import type { Subtle } from '../../../core/crypto/webcrypto.ts';
import type { PolicyPayload } from '../../../core/policy/policy-payload.ts';
import type { EffectivePolicy } from '../../../core/policy/types.ts';
import { checkResponse } from '../../helpers/contract-check.ts';

export const subtle = globalThis.crypto.subtle as unknown as Subtle;

export function effectivePolicy(overrides: Partial<EffectivePolicy> = {}): EffectivePolicy {
  return {
    name: 'Staff',
    sources: ['Staff'],
    urlBlocklist: [],
    urlAllowlist: [],
    dataControls: [],
    httpsOnly: { hosts: [], mode: 'upgrade' },
    apps: [],
    auditUrlDetail: 'full',
    messages: {},
    ...overrides,
  };
}

/**
 * The device endpoints of docs/api.md as an in-process `fetch`, with real ES256 signing
 * (core's own envelope code) so the extension's verification is exercised for real.
 */
export class FakeServer {
  readonly origin = 'https://palisade.test';
  version = 0;
  envelope: SignedEnvelope | null = null;
  /** Replaces the next policy response's body (e.g. a tampered envelope). */
  override: unknown = undefined;
  readonly events = new Map<string, AuditEvent>();
  readonly auditBatches: string[][] = [];
  readonly acks: number[] = [];
  readonly requests: string[] = [];
  readonly pairingTokens = new Set<string>(['pair-token-1']);
  /** The device keys (public JWKs) sent with each enroll or pair, in order. */
  readonly deviceKeys: unknown[] = [];
  readonly enrollmentCodes = new Set<string>(['ENROLL-CODE']);
  /** Single-use claim tokens (`POST /me/device-claims`) and the person each proves. */
  readonly claimTokens = new Map<string, { id: string; name: string; email: string }>();
  /** What `POST /device/claim` refuses with instead (the server's own codes). */
  claimRefusal: { status: number; code: string; message: string } | null = null;
  /** Whose the device is once claimed. */
  claimedBy: string | null = null;
  down = false;
  status: 'active' | 'revoked' | 'wipe' = 'active';
  /** The group the server has the device in (what `move` commands and the grant name). */
  groupId = 'g1';
  /** What a proxy on the path answers to the policy fetch instead of the server (e.g. 410). */
  forgePolicyError: { status: number; code: string } | null = null;
  /** Answers `GET /device/commands` with this instead (e.g. nothing signed). */
  commandsOverride: unknown = undefined;
  private nonces = 0;
  /** Commit the next audit batch but lose the response, as a dropped connection would. */
  loseNextAuditAck = false;
  /** Fail audit batches containing this event id (a poison event). */
  rejectEventId: string | null = null;
  /** Answer the next `count` audit uploads 429 with this Retry-After (over the device limits). */
  throttleAudits: { count: number; retryAfter: string } | null = null;
  private devices = 0;

  /** What `GET /device/exceptions` serves (a signed exception list), or 404 when null. */
  exceptionList: unknown = null;
  /** The device's access requests, newest first, as `GET /device/access-requests` answers. */
  accessRequests: ResponseOf<'GET /api/v1/device/access-requests'>['requests'] = [];
  readonly accessRequestBodies: Record<string, unknown>[] = [];

  private constructor(readonly keys: SigningKeyPair) {}

  static async create(): Promise<FakeServer> {
    return new FakeServer(await generateSigningKeyPair(subtle));
  }

  async publish(
    policy: Partial<EffectivePolicy>,
    version = this.version + 1,
    groupId = this.groupId,
  ): Promise<PolicyPayload> {
    this.version = version;
    this.envelope = await this.sign(policy, version, groupId);
    return JSON.parse(this.envelope.payload) as PolicyPayload;
  }

  /** A signed envelope for any group, without making it the served one. */
  async sign(
    policy: Partial<EffectivePolicy>,
    version: number,
    groupId: string,
  ): Promise<SignedEnvelope> {
    const payload: PolicyPayload = {
      v: 1,
      version,
      issuedAt: new Date(0).toISOString(),
      groupId,
      groupName: groupId === 'g1' ? 'staff' : groupId,
      policy: effectivePolicy(policy),
    };
    return signEnvelope(subtle, JSON.stringify(payload), this.keys.keyId, this.keys.privateJwk);
  }

  /** A command signed with the server's key (now, a fresh nonce, unless `fields` say otherwise). */
  command(command: CommandKind, fields: Partial<CommandFields> = {}): Promise<SignedEnvelope> {
    return signDeviceCommand(
      subtle,
      {
        command,
        deviceId: `dev-${this.devices}`,
        issuedAt: new Date().toISOString(),
        nonce: `nonce-${String(++this.nonces).padStart(16, '0')}`,
        ...(command === 'move' ? { groupId: this.groupId, version: this.version } : {}),
        ...fields,
      },
      this.keys,
    );
  }

  fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const path = new URL(url).pathname.replace('/api/v1', '');
    const method = init.method ?? 'GET';
    this.requests.push(`${method} ${path}`);
    if (this.down) throw new TypeError('Failed to fetch');
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    const auth = new Headers(init.headers).get('Authorization');
    if (path === '/device/pair') {
      if (!this.pairingTokens.delete(String(body.token))) return error(401, 'token_invalid');
      this.deviceKeys.push(body.deviceKey);
      return answer('POST /api/v1/device/pair', this.grant());
    }
    if (path === '/device/enroll') {
      if (!this.enrollmentCodes.has(String(body.enrollmentCode))) return error(401, 'code_invalid');
      this.deviceKeys.push(body.deviceKey);
      return answer('POST /api/v1/device/enroll', { ...this.grant(), user: null });
    }
    if (!auth?.startsWith('Bearer cred-')) return error(401, 'unauthorized');
    if (path === '/device/commands') {
      if (this.commandsOverride !== undefined) return json(200, this.commandsOverride);
      const challenge = new URL(url).searchParams.get('challenge') ?? '';
      const kind = this.status === 'wipe' ? 'wipe' : this.status === 'revoked' ? 'revoke' : 'move';
      return answer('GET /api/v1/device/commands', {
        commands: [await this.command(kind, { challenge })],
      });
    }
    if (this.status === 'revoked') return error(401, 'device_revoked');
    if (path === '/device/claim') {
      const user = this.claimTokens.get(String(body.token));
      this.claimTokens.delete(String(body.token));
      if (!user) return error(401, 'token_invalid');
      if (this.claimRefusal) {
        const { status, code, message } = this.claimRefusal;
        return json(status, { error: { code, message } });
      }
      this.claimedBy = user.id;
      return answer('POST /api/v1/device/claim', {
        device: {
          id: `dev-${this.devices}`,
          name: 'Chromium on Linux',
          userId: user.id,
          userName: user.name,
          groupId: this.groupId,
          groupName: 'Staff',
          platform: 'linux',
          browser: 'chromium',
          extensionVersion: '1.0.0',
          status: 'active',
          enrolledAt: new Date().toISOString(),
          lastSeenAt: null,
          appliedVersion: null,
          managed: false,
          claimedEmail: null,
        },
        user,
      });
    }
    if (path === '/device/policy') {
      if (this.forgePolicyError)
        return error(this.forgePolicyError.status, this.forgePolicyError.code);
      if (this.status === 'wipe') return error(410, 'device_wiped');
      const etag = `"v${this.version}"`;
      if (this.override !== undefined) return json(200, this.override, { ETag: `"tampered"` });
      if (new Headers(init.headers).get('If-None-Match') === etag)
        return new Response(null, { status: 304 });
      return json(200, this.envelope, { ETag: etag });
    }
    if (path === '/device/audit') {
      const events = body.events as AuditEvent[];
      this.auditBatches.push(events.map((e) => e.id));
      if (this.throttleAudits && this.throttleAudits.count > 0) {
        this.throttleAudits.count--;
        return json(
          429,
          { error: { code: 'rate_limited', message: 'too many uploads' } },
          { 'Retry-After': this.throttleAudits.retryAfter },
        );
      }
      if (this.rejectEventId && events.some((e) => e.id === this.rejectEventId)) {
        return error(400, 'invalid_event');
      }
      let accepted = 0;
      for (const e of events) {
        if (this.events.has(e.id)) continue;
        this.events.set(e.id, e);
        accepted++;
      }
      if (this.loseNextAuditAck) {
        this.loseNextAuditAck = false;
        throw new TypeError('connection reset');
      }
      return answer('POST /api/v1/device/audit', {
        accepted,
        duplicates: events.length - accepted,
      });
    }
    if (path === '/device/exceptions') {
      return this.exceptionList ? json(200, this.exceptionList) : error(404, 'not_found');
    }
    if (path === '/device/access-requests' && method === 'GET') {
      return answer('GET /api/v1/device/access-requests', { requests: this.accessRequests });
    }
    if (path === '/device/access-requests' && method === 'POST') {
      const request: (typeof this.accessRequests)[number] = {
        id: `req-${this.accessRequests.length + 1}`,
        state: 'pending',
        url: typeof body.url === 'string' ? body.url : null,
        blockFilter: String(body.blockFilter),
        filter: String(body.filter),
        reason: String(body.reason),
        scope: null,
        expiresAt: null,
        createdAt: new Date().toISOString(),
        decidedAt: null,
        decidedBy: null,
        note: null,
        device: { id: `dev-${this.devices}`, name: null },
        user: null,
      };
      this.accessRequests.unshift(request);
      this.accessRequestBodies.push(body);
      return answer('POST /api/v1/device/access-requests', { request });
    }
    if (path === '/device/ack') {
      this.acks.push(Number(body.version));
      return answer('POST /api/v1/device/ack', { ok: true });
    }
    return error(404, 'not_found');
  };

  private grant(): ResponseOf<'POST /api/v1/device/pair'> {
    this.devices++;
    return {
      deviceId: `dev-${this.devices}`,
      groupId: this.groupId,
      credential: `cred-${this.devices}`,
      user: { id: 'u1', name: 'Emma Employee', email: 'emma@corp.test' },
      publicKey: { keyId: this.keys.keyId, alg: 'ES256', jwk: this.keys.publicJwk },
      serverUrl: this.origin,
      uninstallUrl: `${this.origin}/api/v1/device/uninstalled?device=dev-${this.devices}&token=uninstall-${this.devices}`,
    };
  }
}

/** A 200 answer the contract describes: typed by it, and checked against it when sent. */
function answer<K extends ContractKey>(key: K, body: ResponseOf<K>): Response {
  checkResponse(key, 200, body);
  return json(200, body);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function error(status: number, code: string): Response {
  return json(status, { error: { code, message: code.replace(/_/g, ' ') } });
}
