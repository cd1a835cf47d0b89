import { ApiError } from '../errors.ts';
import { randomToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';

/** WebAuthn challenges live 5 minutes and are used once. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

export type ChallengePurpose = 'register' | 'enroll' | 'login' | 'add_passkey';

/**
 * Issues and consumes WebAuthn challenges, kept in the store (so any instance can
 * verify) together with what the ceremony was for. The challenge is read back from the
 * response's clientDataJSON and deleted in the same statement, so a replayed response
 * finds nothing.
 */
export class Challenges {
  constructor(private readonly ctx: ServiceContext) {}

  async issue(purpose: ChallengePurpose, context: object): Promise<string> {
    const challenge = randomToken(32);
    await this.ctx.store.putChallenge({
      challenge,
      purpose,
      context: JSON.stringify(context),
      expiresAt: isoNow(this.ctx, CHALLENGE_TTL_MS),
    });
    return challenge;
  }

  /** Consumes the challenge a WebAuthn response answers; returns it and its context. */
  async consume<T>(
    purpose: ChallengePurpose,
    clientDataJSON: string,
  ): Promise<{ challenge: string; context: T }> {
    const challenge = challengeOf(clientDataJSON);
    const row = challenge ? await this.ctx.store.takeChallenge(challenge) : null;
    if (!challenge || !row || row.purpose !== purpose) {
      throw new ApiError(
        'challenge_invalid',
        'This sign-in request is unknown or was already used. Start again to get a new one.',
      );
    }
    if (row.expiresAt <= isoNow(this.ctx)) {
      throw new ApiError(
        'challenge_invalid',
        'This sign-in request expired (after 5 minutes). Start again.',
      );
    }
    return { challenge, context: JSON.parse(row.context) as T };
  }
}

function challengeOf(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof data.challenge === 'string' && data.challenge.length <= 128
      ? data.challenge
      : null;
  } catch {
    return null;
  }
}
