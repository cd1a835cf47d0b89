import {
  parseDevicePosture,
  type ReportedPosture,
} from '../../../core/policy/access/device-posture.ts';
import { parseDeviceProof, type DeviceProof } from '../../../core/policy/access/device-proof.ts';

/** The extension's answer: a proof with its posture, or why it could not give one. */
export type DeviceProofAnswer =
  | { ok: true; proof: DeviceProof; posture: ReportedPosture }
  | { ok: false; code: string; message: string };

/**
 * Asks the extension in this browser to sign `challenge` (from the server) with its device
 * key, bound to this page's origin. Resolves with the extension's answer, or null when no
 * extension answers in time — another browser, another profile, or a private window the
 * extension may not run in; the extension also stays silent to any origin but its own
 * server's. The request repeats while waiting, since the content script may start after
 * this page; the first answer wins.
 */
export function requestDeviceProofAnswer(
  challenge: string,
  timeoutMs = 3000,
  win: Window = window,
): Promise<DeviceProofAnswer | null> {
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent) => {
      const answer = parseAnswer(e, win);
      if (answer) done(answer);
    };
    const post = () =>
      win.postMessage(
        { source: 'palisade-pwa', type: 'device-proof', challenge },
        win.location.origin,
      );
    const timer = setTimeout(() => done(null), timeoutMs);
    const again = setInterval(post, 500);
    const done = (v: DeviceProofAnswer | null) => {
      clearTimeout(timer);
      clearInterval(again);
      win.removeEventListener('message', onMessage);
      resolve(v);
    };
    win.addEventListener('message', onMessage);
    post();
  });
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

/** Only this window, this origin, tagged by the extension and of the expected shape. */
function parseAnswer(e: MessageEvent, win: Window): DeviceProofAnswer | null {
  if (e.source !== win || e.origin !== win.location.origin) return null;
  const d = e.data as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null || d.source !== 'palisade-extension') return null;
  if (d.type !== 'device-proof-result') return null;
  if (d.ok === true) {
    const proof = parseDeviceProof(d.proof);
    const posture = parseDevicePosture(d.posture);
    return proof && posture ? { ok: true, proof, posture } : null;
  }
  if (d.ok === false) {
    return {
      ok: false,
      code: typeof d.code === 'string' ? d.code : 'proof_failed',
      message:
        typeof d.message === 'string' ? d.message : 'The extension could not prove this browser.',
    };
  }
  return null;
}
