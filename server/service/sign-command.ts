import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import { signDeviceCommand, type CommandKind } from '../../core/crypto/device-command.ts';
import { subtle } from '../signing-key.ts';
import { randomToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';

/**
 * Signs a command for one device with the policy key the device pinned at enrollment, now,
 * with a fresh nonce (docs/device-trust.md). Commands are signed when they are sent, never
 * stored: a device that was offline asks `GET /device/commands` and gets a fresh one.
 */
export function signCommand(
  ctx: Pick<ServiceContext, 'signingKey' | 'now'>,
  deviceId: string,
  command: CommandKind,
  extra: { challenge?: string; groupId?: string; version?: number } = {},
): Promise<SignedEnvelope> {
  return signDeviceCommand(
    subtle,
    { command, deviceId, issuedAt: isoNow(ctx), nonce: randomToken(16), ...extra },
    ctx.signingKey,
  );
}
