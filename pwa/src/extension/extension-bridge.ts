/**
 * Talks to the Palisade extension's content script on this page through
 * `window.postMessage`, restricted to this origin both ways. Only messages from this
 * window, of this origin, tagged `palisade-extension` and of the expected shape count:
 * any other script on the page can post messages too.
 */
import {
  parseDevicePosture,
  type ReportedPosture,
} from '../../../core/policy/access/device-posture.ts';
import { parseDeviceProof, type DeviceProof } from '../../../core/policy/access/device-proof.ts';

export interface ExtensionHello {
  version: string;
  enrolled: boolean;
  /** Set up by the organisation (force-installed, managed storage): claimed, never paired. */
  managed: boolean;
  /** This browser's device record on the server, once enrolled (older extensions omit it). */
  deviceId?: string;
}

export interface PairResult {
  ok: boolean;
  message?: string;
}

/** The extension's answer to a claim: the person the server now names, or its refusal. */
export type ClaimResult =
  | { ok: true; user: { name: string; email: string } }
  | { ok: false; code: string; message: string };

/** The extension's answer to a device-proof request: a proof with its posture, or why not. */
export type DeviceProofAnswer =
  | { ok: true; proof: DeviceProof; posture: ReportedPosture }
  | { ok: false; code: string; message: string };

type Incoming =
  | ({ type: 'hello' } & ExtensionHello)
  | ({ type: 'device-proof-result' } & DeviceProofAnswer)
  | { type: 'pair-result'; ok: boolean; message?: string }
  | ({ type: 'claim-result' } & ClaimResult);

function parse(e: MessageEvent, win: Window): Incoming | null {
  if (e.source !== win || e.origin !== win.location.origin) return null;
  const d = e.data as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null || d.source !== 'palisade-extension') return null;
  if (d.type === 'hello' && typeof d.version === 'string' && typeof d.enrolled === 'boolean') {
    return {
      type: 'hello',
      version: d.version,
      enrolled: d.enrolled,
      managed: d.managed === true,
      ...(typeof d.deviceId === 'string' ? { deviceId: d.deviceId } : {}),
    };
  }
  if (d.type === 'claim-result' && d.ok === true) {
    const u = d.user as Record<string, unknown> | null;
    if (
      typeof u === 'object' &&
      u !== null &&
      typeof u.name === 'string' &&
      typeof u.email === 'string'
    )
      return { type: 'claim-result', ok: true, user: { name: u.name, email: u.email } };
  }
  if (d.type === 'claim-result' && d.ok === false) {
    return {
      type: 'claim-result',
      ok: false,
      code: typeof d.code === 'string' ? d.code : 'claim_failed',
      message: typeof d.message === 'string' ? d.message : 'The extension could not confirm.',
    };
  }
  if (d.type === 'device-proof-result' && d.ok === true) {
    const proof = parseDeviceProof(d.proof);
    const posture = parseDevicePosture(d.posture);
    return proof && posture ? { type: 'device-proof-result', ok: true, proof, posture } : null;
  }
  if (d.type === 'device-proof-result' && d.ok === false) {
    return {
      type: 'device-proof-result',
      ok: false,
      code: typeof d.code === 'string' ? d.code : 'proof_failed',
      message:
        typeof d.message === 'string' ? d.message : 'The extension could not prove this browser.',
    };
  }
  if (d.type === 'pair-result' && typeof d.ok === 'boolean') {
    return {
      type: 'pair-result',
      ok: d.ok,
      message: typeof d.message === 'string' ? d.message : undefined,
    };
  }
  return null;
}

/**
 * Posts `outgoing` (repeated every `repeatMs` while waiting, since the content script may
 * start after this page) and resolves with the first answer of type `want`, or null in time.
 */
export function exchange<T extends Incoming['type']>(
  win: Window,
  outgoing: Record<string, unknown>,
  want: T,
  timeoutMs: number,
  repeatMs = 0,
): Promise<Extract<Incoming, { type: T }> | null> {
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent) => {
      const msg = parse(e, win);
      if (msg?.type !== want) return;
      done(msg as Extract<Incoming, { type: T }>);
    };
    const post = () =>
      win.postMessage({ source: 'palisade-pwa', ...outgoing }, win.location.origin);
    const timer = setTimeout(() => done(null), timeoutMs);
    const again = repeatMs > 0 ? setInterval(post, repeatMs) : undefined;
    const done = (v: Extract<Incoming, { type: T }> | null) => {
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
 * Asks whether the extension is installed here; null when nothing answers in time. The
 * ping repeats because the content script may start after this page does.
 */
export async function detectExtension(
  win: Window = window,
  timeoutMs = 1500,
): Promise<ExtensionHello | null> {
  const hello = await exchange(win, { type: 'ping' }, 'hello', timeoutMs, 300);
  if (!hello) return null;
  const { type: _type, ...rest } = hello;
  return rest;
}

/**
 * Hands the extension a single-use pairing token; it asks the person to confirm on its own
 * page, then redeems the token with the server itself. The wait covers that confirmation
 * (the token is valid for 5 minutes).
 */
export async function pairExtension(
  token: string,
  win: Window = window,
  timeoutMs = 4 * 60_000,
): Promise<PairResult> {
  const result = await exchange(
    win,
    { type: 'pair', token, serverUrl: win.location.origin },
    'pair-result',
    timeoutMs,
  );
  return result
    ? { ok: result.ok, message: result.message }
    : {
        ok: false,
        message: 'The extension did not answer in time. Reload this page and try again.',
      };
}

/**
 * Hands the extension a single-use claim token (`POST /me/device-claims`); it presents the
 * token to the server with its own device credential, and this browser becomes the
 * signed-in person's. No confirmation page: the person clicked here, on the server the
 * extension belongs to, and the extension answers no other origin.
 */
export async function claimExtension(
  token: string,
  win: Window = window,
  timeoutMs = 30_000,
): Promise<ClaimResult> {
  const result = await exchange(win, { type: 'claim', token }, 'claim-result', timeoutMs);
  if (!result) {
    return {
      ok: false,
      code: 'no_answer',
      message: 'The extension did not answer in time. Reload this page and try again.',
    };
  }
  const { type: _type, ...rest } = result;
  return rest;
}
