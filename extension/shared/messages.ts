import type { Outcome } from '../../core/audit/types.ts';
import type { ReportedPosture } from '../../core/policy/access/device-posture.ts';
import type { DeviceProof } from '../../core/policy/access/device-proof.ts';
import type { DataDecision } from '../../core/policy/data-controls.ts';
import type { EffectivePolicy, Level } from '../../core/policy/types.ts';
import { hasOnlyKeys, isNonEmptyString, isRecord } from './guards.ts';
import { isTextHash } from './text-hash.ts';

/**
 * The catalogue of runtime messages sent TO the background, by content scripts and
 * extension pages. Each entry is `{ request, response }`; a message on the wire is
 * `{ type, body }`. The background's handler table is typed by this map, and every
 * request body is validated by `REQUEST_GUARDS` before a handler sees it.
 */
export interface BackgroundMessages {
  /** Content script at load: the data controls to decide with, synchronously. */
  'policy.snapshot': { request: Empty; response: PolicySnapshot };
  /** Content script: an enforcement decision was acted on; queue the audit event. */
  'audit.record': { request: RecordRequest; response: { recorded: boolean } };
  /** Content script: text was copied on this page (hash only, never the text). */
  'clipboard.copied': { request: { hash: string }; response: null };
  /** Content script: paste decisions for known copies, judged for the sender's page. */
  'clipboard.pasteTable': { request: Empty; response: PasteTable };
  /** Blocked page: what was blocked in this tab and why. */
  'blocked.info': { request: Empty; response: BlockedInfo };
  /** Popup. */
  'status.get': { request: Empty; response: StatusView };
  'sync.now': { request: Empty; response: StatusView };
  /** Bridge on the PWA's page; answered only to the server this browser belongs to. */
  'bridge.hello': { request: Empty; response: BridgeHello };
  /**
   * Bridge on the enrolled server's own page: the signed-in person proves this browser is
   * theirs with a claim token from `POST /me/device-claims` (docs/device-trust.md).
   */
  'bridge.claim': { request: { token: string }; response: { user: ProvenUser } };
  /**
   * Bridge on the enrolled server's own page: sign the server's challenge with the device
   * key, bound to that origin, with the posture (docs/device-trust.md, "Device keys").
   */
  'bridge.deviceProof': {
    request: { challenge: string };
    response: { proof: DeviceProof; posture: ReportedPosture };
  };
  'pair.request': {
    request: { token: string; serverUrl: string };
    response: { requestId: string };
  };
  /** Pairing confirmation page. */
  'pair.pending': { request: { requestId: string }; response: PendingPairView };
  'pair.decide': {
    request: { requestId: string; accept: boolean };
    response: { enrolled: boolean };
  };
}

/** Messages the background sends TO a content script in a tab. */
export interface ContentMessages {
  'notice.show': { request: NoticeRequest; response: null };
  'confirm.ask': { request: NoticeRequest; response: { proceed: boolean } };
  'pair.result': { request: PairResult; response: null };
}

export type Empty = Record<string, never>;
export type BackgroundType = keyof BackgroundMessages;
export type ContentType = keyof ContentMessages;
export type RequestOf<K extends BackgroundType> = BackgroundMessages[K]['request'];
export type ResponseOf<K extends BackgroundType> = BackgroundMessages[K]['response'];

export type DataControlsView = Pick<EffectivePolicy, 'dataControls' | 'apps'>;
export type ContentAction = 'copy' | 'cut' | 'paste' | 'print' | 'upload';

export interface PolicySnapshot {
  enrolled: boolean;
  version: number | null;
  controls: DataControlsView;
  /** The policy's `messages.dataControlNotice` and `contact`, for in-page notices. */
  notice?: string;
  contact?: string;
}

export interface RecordRequest {
  action: ContentAction;
  outcome: Outcome;
  /** For paste: the hash of the pasted text, so the background can name its source. */
  pasteHash?: string;
  /** What the content script's detectors found in the content: ids and counts, never text. */
  detections?: Record<string, number>;
  /** An upload that is a form submission: only rules with a content condition apply. */
  form?: true;
}

export interface PasteTable {
  /** The page the decisions were made for; stale once the page's URL changes. */
  url: string;
  entries: [hash: string, decision: DataDecision][];
  /**
   * ISO time the decisions were made at: rules with `when` may start or stop applying
   * since, and the table is then stale too.
   */
  at?: string;
}

export interface BlockedInfo {
  found: boolean;
  url?: string;
  filter: string | null;
  reason: 'url_filter' | 'https_only';
  policyName?: string;
  message?: string;
  contact?: string;
}

export interface EnforcedControl {
  action: ContentAction | 'download';
  level: Exclude<Level, 'ALLOW'>;
  ruleName: string;
}

export interface StatusView {
  enrolled: boolean;
  via?: 'managed' | 'pairing';
  serverUrl?: string;
  deviceId?: string;
  user?: { name: string; email: string } | null;
  policy?: { name: string; version: number; groupName: string; appliedAt: string } | null;
  lastSyncAt?: string;
  lastSyncError?: string;
  revoked: boolean;
  wiped: boolean;
  pushConnected: boolean;
  queued: number;
  dropped: number;
  tab?: { url: string; blocked: boolean; filter: string | null; controls: EnforcedControl[] };
}

export interface BridgeHello {
  version: string;
  enrolled: boolean;
  /** Set up by the organisation (managed storage): it is claimed, never paired. */
  managed: boolean;
  /** This browser's device record on the server, once enrolled. */
  deviceId?: string;
}

/** The person who proved a device theirs, as the server named them. */
export interface ProvenUser {
  name: string;
  email: string;
}

export interface PendingPairView {
  serverUrl: string;
  /** The server this browser is enrolled with now, if any. */
  currentServerUrl?: string;
  /** Pairing would replace the enrollment with `currentServerUrl`: the page says so plainly. */
  replaces: boolean;
}

export interface NoticeRequest {
  title: string;
  body: string;
  ruleName?: string;
  contact?: string;
}

export type PairResult =
  | { ok: true; user: { name: string; email: string } | null }
  | { ok: false; code: string; message: string };

const ACTIONS: readonly string[] = ['copy', 'cut', 'paste', 'print', 'upload'];
const OUTCOMES: readonly string[] = ['blocked', 'proceeded', 'cancelled', 'allowed'];

const isEmpty = (b: unknown): b is Empty => isRecord(b) && Object.keys(b).length === 0;
const isRequestId = (v: unknown): v is string => isNonEmptyString(v, 64);

/** The server's claim tokens are base64url (24 random bytes); allow some room, no more. */
export const isClaimToken = (v: unknown): v is string =>
  typeof v === 'string' && /^[A-Za-z0-9_-]{16,200}$/.test(v);

/** Device-proof challenges are base64url (the server's are 54 characters); no more than this. */
export const isProofChallenge = (v: unknown): v is string =>
  typeof v === 'string' && /^[A-Za-z0-9_-]{16,200}$/.test(v);

const DETECTION_ID = /^(custom\.)?[A-Za-z0-9_-]{1,64}$/;

/** At most 32 ids (built-in or `custom.<pattern id>`), each with a positive count. */
function isDetections(v: unknown): v is Record<string, number> {
  if (!isRecord(v)) return false;
  const entries = Object.entries(v);
  return (
    entries.length <= 32 &&
    entries.every(([k, n]) => DETECTION_ID.test(k) && Number.isSafeInteger(n) && (n as number) > 0)
  );
}

/** One guard per message type: unknown fields and wrong types are refused. */
export const REQUEST_GUARDS: { [K in BackgroundType]: (b: unknown) => b is RequestOf<K> } = {
  'policy.snapshot': isEmpty,
  'audit.record': (b): b is RecordRequest =>
    isRecord(b) &&
    hasOnlyKeys(b, ['action', 'outcome', 'pasteHash', 'detections', 'form']) &&
    ACTIONS.includes(b.action as string) &&
    OUTCOMES.includes(b.outcome as string) &&
    (b.pasteHash === undefined || (b.action === 'paste' && isTextHash(b.pasteHash))) &&
    (b.detections === undefined || isDetections(b.detections)) &&
    (b.form === undefined || (b.form === true && b.action === 'upload')),
  'clipboard.copied': (b): b is { hash: string } =>
    isRecord(b) && hasOnlyKeys(b, ['hash']) && isTextHash(b.hash),
  'clipboard.pasteTable': isEmpty,
  'blocked.info': isEmpty,
  'status.get': isEmpty,
  'sync.now': isEmpty,
  'bridge.hello': isEmpty,
  'bridge.claim': (b): b is { token: string } =>
    isRecord(b) && hasOnlyKeys(b, ['token']) && isClaimToken(b.token),
  'bridge.deviceProof': (b): b is { challenge: string } =>
    isRecord(b) && hasOnlyKeys(b, ['challenge']) && isProofChallenge(b.challenge),
  'pair.request': (b): b is { token: string; serverUrl: string } =>
    isRecord(b) &&
    hasOnlyKeys(b, ['token', 'serverUrl']) &&
    isNonEmptyString(b.token, 512) &&
    isNonEmptyString(b.serverUrl, 2048),
  'pair.pending': (b): b is { requestId: string } =>
    isRecord(b) && hasOnlyKeys(b, ['requestId']) && isRequestId(b.requestId),
  'pair.decide': (b): b is { requestId: string; accept: boolean } =>
    isRecord(b) &&
    hasOnlyKeys(b, ['requestId', 'accept']) &&
    isRequestId(b.requestId) &&
    typeof b.accept === 'boolean',
};

/** Parses `{ type, body }`; null when the type is unknown or the shape is wrong. */
export function parseBackgroundMessage(
  raw: unknown,
): { [K in BackgroundType]: { type: K; body: RequestOf<K> } }[BackgroundType] | null {
  if (!isRecord(raw) || !hasOnlyKeys(raw, ['type', 'body'])) return null;
  const type = raw.type;
  if (typeof type !== 'string' || !Object.hasOwn(REQUEST_GUARDS, type)) return null;
  const guard = REQUEST_GUARDS[type as BackgroundType] as (b: unknown) => boolean;
  return guard(raw.body) ? ({ type, body: raw.body } as never) : null;
}
