import type { ReportedPosture } from '../../../core/policy/access/device-posture.ts';
import type { DeviceProof } from '../../../core/policy/access/device-proof.ts';
import { exchange, type DeviceProofAnswer } from './extension-bridge.ts';

export type { DeviceProofAnswer };

/**
 * Asks the extension in this browser to sign `challenge` (from the server) with its device
 * key, bound to this page's origin. Resolves with the extension's answer, or null when no
 * extension answers in time — another browser, another profile, or a private window the
 * extension may not run in; the extension also stays silent to any origin but its own
 * server's. The request repeats while waiting, since the content script may start after
 * this page; the first answer wins.
 */
export async function requestDeviceProofAnswer(
  challenge: string,
  timeoutMs = 3000,
  win: Window = window,
): Promise<DeviceProofAnswer | null> {
  const answer = await exchange(
    win,
    { type: 'device-proof', challenge },
    'device-proof-result',
    timeoutMs,
    500,
  );
  if (!answer) return null;
  const { type: _type, ...rest } = answer;
  return rest;
}

/**
 * The proof and posture, or null when there is none: no extension answered, or it
 * answered that it cannot prove this browser (revoked, no device key).
 *
 * @example
 * const { challenge } = await api.post('/…/device-challenge');
 * const answer = await requestDeviceProof(challenge);
 * await api.post('/…/device-proof', { proof: answer?.proof ?? null });
 */
export async function requestDeviceProof(
  challenge: string,
  timeoutMs = 3000,
): Promise<{ proof: DeviceProof; posture: ReportedPosture } | null> {
  const answer = await requestDeviceProofAnswer(challenge, timeoutMs);
  return answer?.ok ? { proof: answer.proof, posture: answer.posture } : null;
}
