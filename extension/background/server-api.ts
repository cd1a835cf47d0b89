import type { AuditEvent } from '../../core/audit/types.ts';
import type { JsonWebKey } from '../../core/crypto/webcrypto.ts';
import { httpOrigin, isNonEmptyString, isRecord, isString, type Json } from '../shared/guards.ts';
import type { BodyOf, ResponseOf } from '../../contract/routes.ts';
import { DELTA_MEDIA_TYPE } from '../../contract/media-types.ts';
import type { DevicePublicJwk } from './device-key.ts';

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

// The shapes below are the contract's (contract/routes.ts), so a field the server renames
// breaks this compile; the answers are still checked by hand here, a trust boundary.

export type DeviceInfo = Pick<
  BodyOf<'POST /api/v1/device/pair'>,
  'extensionVersion' | 'platform' | 'browser'
>;

type Grant = ResponseOf<'POST /api/v1/device/pair'>;
/** `DeviceGrant` of docs/api.md. */
export type DeviceGrant = Pick<Grant, 'deviceId' | 'credential' | 'publicKey' | 'uninstallUrl'> & {
  /** The group the device's envelopes must name (older servers do not send it). */
  groupId?: string;
  user: ProvenUserRecord | null;
};

/** A person as the server names them to a device. */
export type ProvenUserRecord = NonNullable<ResponseOf<'GET /api/v1/device/me'>['user']>;

export type ApiFailure =
  | 'network' // no answer: offline, DNS, server down
  | 'revoked' // 401 device_revoked (or any 401: the credential no longer works)
  | 'wiped' // 410 device_wiped
  | 'too_large' // 413
  | 'rate_limited' // 429: the same request will succeed later (`retryAfterMs`)
  | 'rejected' // another 4xx: this request will not succeed as it is
  | 'server'; // 5xx or an unreadable answer: try again later

/** A failed call, with the server's error code and details when it sent them. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiFailure,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** From a 429's `Retry-After`: how long the server asked to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An access request as the device shows it on the blocked page. */
export type AccessRequestRecord = Pick<
  ResponseOf<'POST /api/v1/device/access-requests'>['request'],
  'id' | 'state' | 'filter' | 'expiresAt' | 'note' | 'createdAt'
>;

const STATES: readonly string[] = ['pending', 'approved', 'expired', 'denied', 'revoked'];

function asAccessRequest(v: unknown): AccessRequestRecord | null {
  if (!isRecord(v) || !isNonEmptyString(v.id, 64) || !isNonEmptyString(v.filter, 2048)) return null;
  if (typeof v.state !== 'string' || !STATES.includes(v.state) || !isString(v.createdAt))
    return null;
  return {
    id: v.id,
    state: v.state as AccessRequestRecord['state'],
    filter: v.filter,
    expiresAt: isString(v.expiresAt) ? v.expiresAt : null,
    note: isString(v.note, 500) ? v.note : null,
    createdAt: v.createdAt,
  };
}

export type PolicyResponse =
  | { status: 304 }
  | { status: 200; envelope: unknown; etag: string | null }
  /** Signed deltas from the version the device named (delta-sync), each still to verify. */
  | { status: 200; deltas: unknown[]; etag: string | null };

/** The device endpoints of docs/api.md, over an injected `fetch`. */
export class ServerApi {
  constructor(
    private readonly fetch: Fetch,
    readonly serverUrl: string,
    private readonly credential?: string,
  ) {}

  pair(token: string, device: DeviceInfo & { deviceKey?: DevicePublicJwk }): Promise<DeviceGrant> {
    const body: BodyOf<'POST /api/v1/device/pair'> = { token, ...device };
    return this.call('POST', '/device/pair', body).then(asGrant);
  }

  enroll(body: BodyOf<'POST /api/v1/device/enroll'>) {
    return this.call('POST', '/device/enroll', body).then(asGrant);
  }

  /**
   * `GET /device/policy` with the ETag of the version held; with `delta`, the server may
   * answer with the signed deltas from it instead of the full envelope.
   */
  async policy(etag: string | null, options: { delta?: boolean } = {}): Promise<PolicyResponse> {
    const headers: Record<string, string> = etag ? { 'If-None-Match': etag } : {};
    if (etag && options.delta) headers.Accept = `${DELTA_MEDIA_TYPE}, application/json`;
    const res = await this.send('GET', '/device/policy', undefined, headers);
    if (res.status === 304) return { status: 304 };
    const body = await readJson(res);
    const etagOut = res.headers.get('ETag');
    if ((res.headers.get('Content-Type') ?? '').startsWith(DELTA_MEDIA_TYPE)) {
      if (!isRecord(body) || !Array.isArray(body.deltas))
        throw new ApiError('server', 200, 'bad_response', 'server sent no delta list');
      return { status: 200, deltas: body.deltas as unknown[], etag: etagOut };
    }
    return { status: 200, envelope: body, etag: etagOut };
  }

  /** `GET /device/commands`: the signed commands answering `challenge` (verified by the caller). */
  async commands(challenge: string): Promise<unknown[]> {
    const body = await this.call('GET', `/device/commands?challenge=${challenge}`);
    if (!Array.isArray(body.commands))
      throw new ApiError('server', 200, 'bad_response', 'server sent no command list');
    return body.commands as unknown[];
  }

  /**
   * `POST /device/claim`: this device becomes the claim token's person. Answers the device's
   * id as the server has it and the person, checked here (the caller stores the person).
   */
  async claim(token: string): Promise<{ deviceId: string; user: ProvenUserRecord }> {
    const body = await this.call('POST', '/device/claim', { token });
    const device = body.device;
    const user = body.user;
    if (
      !isRecord(device) ||
      !isNonEmptyString(device.id) ||
      !isRecord(user) ||
      !isNonEmptyString(user.id) ||
      !isString(user.name) ||
      !isNonEmptyString(user.email)
    )
      throw new ApiError('server', 200, 'bad_response', 'server sent a malformed claim answer');
    return { deviceId: device.id, user: { id: user.id, name: user.name, email: user.email } };
  }

  async audit(
    events: AuditEvent[],
  ): Promise<Pick<ResponseOf<'POST /api/v1/device/audit'>, 'accepted' | 'duplicates'>> {
    const body = await this.call('POST', '/device/audit', { events });
    return { accepted: Number(body.accepted) || 0, duplicates: Number(body.duplicates) || 0 };
  }

  /** `POST /device/access-requests`: files (or finds) the request; answers its view. */
  async requestAccess(
    body: BodyOf<'POST /api/v1/device/access-requests'>,
  ): Promise<AccessRequestRecord> {
    const res = await this.call('POST', '/device/access-requests', body);
    const request = asAccessRequest(res.request);
    if (!request) throw new ApiError('server', 200, 'bad_response', 'malformed access request');
    return request;
  }

  /** `GET /device/access-requests`: this device's requests, newest first. */
  async accessRequests(): Promise<AccessRequestRecord[]> {
    const res = await this.call('GET', '/device/access-requests');
    if (!Array.isArray(res.requests))
      throw new ApiError('server', 200, 'bad_response', 'server sent no request list');
    return res.requests.map(asAccessRequest).filter((r) => r !== null);
  }

  /** `GET /device/exceptions`: the signed exception list (verified by the caller). */
  async exceptions(): Promise<unknown> {
    return readJson(await this.send('GET', '/device/exceptions'));
  }

  async ack(version: number): Promise<void> {
    const body: BodyOf<'POST /api/v1/device/ack'> = { version };
    await this.call('POST', '/device/ack', body);
  }

  private async call(method: string, path: string, body?: object): Promise<Json> {
    const json = await readJson(await this.send(method, path, body));
    if (!isRecord(json))
      throw new ApiError('server', 200, 'bad_response', 'server sent no JSON object');
    return json;
  }

  private async send(
    method: string,
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ) {
    const h: Record<string, string> = { Accept: 'application/json', ...headers };
    if (body) h['Content-Type'] = 'application/json';
    if (this.credential) h.Authorization = `Bearer ${this.credential}`;
    let res: Response;
    try {
      res = await this.fetch(`${this.serverUrl}/api/v1${path}`, {
        method,
        headers: h,
        body: body ? JSON.stringify(body) : undefined,
        // The device credential is the only authority; never send the user's cookies.
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (cause) {
      throw new ApiError(
        'network',
        0,
        'network',
        `cannot reach ${this.serverUrl}: ${String(cause)}`,
      );
    }
    if (res.ok || res.status === 304) return res;
    throw await toError(res);
  }
}

async function toError(res: Response): Promise<ApiError> {
  const json = await readJson(res).catch(() => null);
  const err = isRecord(json) && isRecord(json.error) ? json.error : {};
  const code = typeof err.code === 'string' ? err.code : `http_${res.status}`;
  const message = typeof err.message === 'string' ? err.message : `HTTP ${res.status}`;
  const kind: ApiFailure =
    res.status === 401 || code === 'device_revoked'
      ? 'revoked'
      : res.status === 410 && code === 'device_wiped'
        ? 'wiped'
        : res.status === 413
          ? 'too_large'
          : res.status === 429
            ? 'rate_limited'
            : res.status >= 500
              ? 'server'
              : 'rejected';
  const retryAfterMs =
    kind === 'rate_limited' ? retryAfter(res.headers.get('Retry-After')) : undefined;
  return new ApiError(kind, res.status, code, message, err.details, retryAfterMs);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    throw new ApiError('server', res.status, 'bad_response', 'server sent invalid JSON');
  }
}

function asGrant(json: Json): DeviceGrant {
  const key = json.publicKey;
  const ok =
    isNonEmptyString(json.deviceId) &&
    isNonEmptyString(json.credential) &&
    isRecord(key) &&
    isNonEmptyString(key.keyId) &&
    key.alg === 'ES256' &&
    isRecord(key.jwk) &&
    (json.user === null || isRecord(json.user));
  if (!ok)
    throw new ApiError('server', 200, 'bad_response', 'server sent a malformed device grant');
  const user = json.user as Json | null;
  return {
    deviceId: json.deviceId as string,
    ...(isNonEmptyString(json.groupId, 200) ? { groupId: json.groupId } : {}),
    credential: json.credential as string,
    user: user
      ? { id: String(user.id), name: String(user.name ?? ''), email: String(user.email ?? '') }
      : null,
    publicKey: { keyId: key.keyId as string, alg: 'ES256', jwk: key.jwk as JsonWebKey },
    ...(httpOrigin(json.uninstallUrl) ? { uninstallUrl: json.uninstallUrl as string } : {}),
  };
}
