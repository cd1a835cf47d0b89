import type { DeviceProof } from '../../core/policy/access/device-proof.ts';
import type { ReportedPosture } from '../../core/policy/access/device-posture.ts';
import { isNonEmptyString, isRecord } from './guards.ts';
import { isClaimToken, isProofChallenge, type BridgeHello, type ProvenUser } from './messages.ts';

/**
 * The window.postMessage protocol between the PWA's page and the bridge content script.
 * Page → extension: `{ source: 'palisade-pwa', type: 'ping' }`,
 * `{ source: 'palisade-pwa', type: 'pair', token, serverUrl }` and
 * `{ source: 'palisade-pwa', type: 'claim', token }` and
 * `{ source: 'palisade-pwa', type: 'device-proof', challenge }`.
 * Extension → page: `{ source: 'palisade-extension', type: 'hello', version, enrolled,
 * managed, deviceId? }`, `{ source: 'palisade-extension', type: 'pair-result', ok, … }` and
 * `{ source: 'palisade-extension', type: 'claim-result', ok, user | code, message }` and
 * `{ source: 'palisade-extension', type: 'device-proof-result', ok, proof, posture | code, message }`.
 * `hello` is sent only to the origin of the server the browser is enrolled with or pinned
 * to by managed storage (to any origin while it has neither, so that its PWA can find it
 * to pair); a claim and a device proof are answered only on the enrolled server's origin.
 */
export type PwaMessage =
  | { type: 'ping' }
  | { type: 'pair'; token: string; serverUrl: string }
  | { type: 'claim'; token: string }
  /** The server's challenge (`services.deviceProof.issueChallenge`), to sign with the device key. */
  | { type: 'device-proof'; challenge: string };

export type ExtensionMessage =
  | ({ source: 'palisade-extension'; type: 'hello' } & BridgeHello)
  | ({ source: 'palisade-extension'; type: 'claim-result' } & (
      { ok: true; user: ProvenUser } | { ok: false; code: string; message: string }
    ))
  | ({ source: 'palisade-extension'; type: 'device-proof-result' } & DeviceProofResult)
  | {
      source: 'palisade-extension';
      type: 'pair-result';
      ok: boolean;
      user?: { name: string; email: string } | null;
      code?: string;
      message?: string;
    };

/** The extension's answer to `device-proof`: the signed proof and the posture it carries. */
export type DeviceProofResult =
  | { ok: true; proof: DeviceProof; posture: ReportedPosture }
  | { ok: false; code: string; message: string };

/** Parses a page message; null for anything that is not exactly a PWA request. */
export function parsePwaMessage(data: unknown): PwaMessage | null {
  if (!isRecord(data) || data.source !== 'palisade-pwa') return null;
  if (data.type === 'ping') return { type: 'ping' };
  if (
    data.type === 'pair' &&
    isNonEmptyString(data.token, 512) &&
    isNonEmptyString(data.serverUrl, 2048)
  ) {
    return { type: 'pair', token: data.token, serverUrl: data.serverUrl };
  }
  if (data.type === 'claim' && isClaimToken(data.token)) {
    return { type: 'claim', token: data.token };
  }
  if (data.type === 'device-proof' && isProofChallenge(data.challenge)) {
    return { type: 'device-proof', challenge: data.challenge };
  }
  return null;
}
