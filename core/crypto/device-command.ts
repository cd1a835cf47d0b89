import { signEnvelope, verifyEnvelope, type SignedEnvelope } from './envelope.ts';
import type { JsonWebKey, Subtle } from './webcrypto.ts';
import { COMMAND_MAX_AGE_MS, COMMAND_MAX_SKEW_MS, nonceSeen, type NonceLog } from './nonce-log.ts';

/**
 * An order from the server to one device, signed with the same pinned ES256 key as the
 * policy. Only a signed command may make a device drop its policy (wipe), stop syncing
 * (revoke) or follow its user to another group (move): an unsigned `wipe` frame or a bare
 * HTTP 410 from a TLS-intercepting proxy is a hint at most. See docs/device-trust.md.
 *
 * `typ` keeps a command from ever parsing as a policy payload and the reverse, although
 * both are signed with one key.
 */
export interface DeviceCommand {
  v: 1;
  typ: typeof COMMAND_TYP;
  command: CommandKind;
  /** The one device this command is for. */
  deviceId: string;
  /** Server time the command was signed (ISO 8601). */
  issuedAt: string;
  /** Random, once per signed command: a device acts on each nonce at most once. */
  nonce: string;
  /** Set when the command answers the device's own `GET /device/commands?challenge=…`. */
  challenge?: string;
  /** `move`: the group the device belongs to now. */
  groupId?: string;
  /** `move`: the version of that group's envelope signed for the move; the device accepts no lower. */
  version?: number;
}

export type CommandKind = 'wipe' | 'revoke' | 'move';
export const COMMAND_TYP = 'palisade.device-command';

export type CommandFields = Omit<DeviceCommand, 'v' | 'typ'>;

/** Signs a command; the caller picks the nonce (16 random bytes, base64url) and the time. */
export function signDeviceCommand(
  subtle: Subtle,
  fields: CommandFields,
  key: { keyId: string; privateJwk: JsonWebKey },
): Promise<SignedEnvelope> {
  const command: DeviceCommand = { v: 1, typ: COMMAND_TYP, ...fields };
  return signEnvelope(subtle, JSON.stringify(command), key.keyId, key.privateJwk);
}

export type CommandRefusal =
  'malformed' | 'wrong_key' | 'bad_signature' | 'wrong_device' | 'stale' | 'replayed';

export type CommandCheck =
  | { ok: true; command: DeviceCommand; issuedAtMs: number }
  | { ok: false; code: CommandRefusal; message: string };

export interface CommandExpectation {
  pinned: { keyId: string; jwk: JsonWebKey };
  deviceId: string;
  /** The device's clock, ms since the epoch. */
  now: number;
  /** Nonces already acted on. */
  seen: NonceLog;
  /**
   * The challenge the device sent in the request this answers. A challenge-bound command
   * is fresh by construction, so its issue time is not judged by the device's clock.
   */
  challenge?: string;
}

/**
 * Verifies a signed command for this device: pinned key, this device id, fresh (issued
 * within COMMAND_MAX_AGE_MS, or bound to the device's own challenge), and a nonce the
 * device has not acted on. Accepts `unknown`: it arrives from the network.
 *
 * @example
 * const check = await verifyDeviceCommand(subtle, frame.command, { pinned, deviceId, now, seen });
 * if (check.ok) seen = rememberNonce(seen, check.command.nonce, check.issuedAtMs, now);
 */
export async function verifyDeviceCommand(
  subtle: Subtle,
  signed: unknown,
  expect: CommandExpectation,
): Promise<CommandCheck> {
  const verified = await verifyEnvelope(subtle, signed, expect.pinned);
  if (!verified.ok) return verified;
  const command = parseDeviceCommand(verified.payload);
  if (!command) return refuse('malformed', 'signed payload is not a device command');
  if (command.deviceId !== expect.deviceId) {
    return refuse('wrong_device', `command is for device ${command.deviceId}, not this one`);
  }
  const issuedAtMs = Date.parse(command.issuedAt);
  if (expect.challenge !== undefined) {
    if (command.challenge !== expect.challenge) {
      return refuse('stale', 'command does not answer this device’s challenge');
    }
  } else {
    const age = expect.now - issuedAtMs;
    if (age > COMMAND_MAX_AGE_MS || age < -COMMAND_MAX_SKEW_MS) {
      return refuse(
        'stale',
        `command issued at ${command.issuedAt} is outside the accepted window`,
      );
    }
  }
  const seen = nonceSeen(expect.seen, command.nonce, issuedAtMs);
  // Below the floor only matters for pushed commands; a challenge answer cannot be a replay.
  if (seen === 'seen' || (seen === 'below_floor' && expect.challenge === undefined)) {
    return refuse('replayed', 'this command was already received');
  }
  return { ok: true, command, issuedAtMs };
}

const KINDS: readonly string[] = ['wipe', 'revoke', 'move'];
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** Parses a verified payload; null unless it is exactly a well-formed device command. */
export function parseDeviceCommand(text: string): DeviceCommand | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const c = value as Record<string, unknown>;
  const str = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;
  if (c.v !== 1 || c.typ !== COMMAND_TYP || !KINDS.includes(c.command as string)) return null;
  if (!str(c.deviceId) || !str(c.issuedAt) || Number.isNaN(Date.parse(c.issuedAt as string)))
    return null;
  if (typeof c.nonce !== 'string' || !NONCE.test(c.nonce)) return null;
  if (c.challenge !== undefined && (typeof c.challenge !== 'string' || !NONCE.test(c.challenge)))
    return null;
  if (c.command === 'move') {
    if (!str(c.groupId) || !Number.isSafeInteger(c.version) || (c.version as number) < 0)
      return null;
  }
  return c as unknown as DeviceCommand;
}

function refuse(code: CommandRefusal, message: string): CommandCheck {
  return { ok: false, code, message };
}
