import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type * as SimpleWebAuthn from '@simplewebauthn/server';
import { ApiError } from '../errors.ts';
import type { PasskeyRow } from '../store/types.ts';
import type { ChallengePurpose, Challenges } from './challenges.ts';
import type { ServiceContext } from './context.ts';

/**
 * @simplewebauthn/server (with its ASN.1 and COSE parsers) is imported on the first passkey
 * ceremony, not at startup: loaded, it holds about 10 MB of a server's memory (measured:
 * 102 → 92 MB RSS idle without it), and devices — nearly all of a server's traffic — never
 * use it.
 */
let library: Promise<typeof SimpleWebAuthn> | null = null;
const simpleWebAuthn = () => (library ??= import('@simplewebauthn/server'));

/** EdDSA, ES256, RS256: what platform authenticators use. */
const ALGORITHMS = [-8, -7, -257];

export interface NewCredential {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
}

/**
 * The passkey ceremonies, with the server's policy fixed in one place: user verification
 * required (the biometric or device PIN), discoverable credentials (login needs no
 * username), attestation `none`, expected origin and RP ID from the configuration.
 */
export class WebAuthn {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly challenges: Challenges,
  ) {}

  async creationOptions(
    purpose: ChallengePurpose,
    user: { handle: string; email: string; name: string },
    exclude: PasskeyRow[],
    context: object,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const challenge = await this.challenges.issue(purpose, context);
    return (await simpleWebAuthn()).generateRegistrationOptions({
      rpName: this.ctx.config.rpName,
      rpID: this.ctx.config.rpId,
      userName: user.email,
      userDisplayName: user.name,
      userID: Buffer.from(user.handle, 'base64url'),
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: 300_000,
      attestationType: 'none',
      excludeCredentials: exclude.map((p) => ({ id: p.id, transports: p.transports })),
      authenticatorSelection: {
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'required',
      },
      supportedAlgorithmIDs: ALGORITHMS,
    });
  }

  /** Verifies a registration; returns the ceremony's context and the new credential. */
  async verifyCreation<T>(
    purpose: ChallengePurpose,
    response: RegistrationResponseJSON,
  ): Promise<{ context: T; credential: NewCredential }> {
    const { challenge, context } = await this.challenges.consume<T>(
      purpose,
      response.response.clientDataJSON,
    );
    const { verifyRegistrationResponse } = await simpleWebAuthn();
    let result;
    try {
      result = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.ctx.config.origin,
        expectedRPID: this.ctx.config.rpId,
        requireUserVerification: true,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch (cause) {
      throw failed(cause);
    }
    if (!result.verified)
      throw new ApiError('webauthn_failed', 'The passkey could not be verified.');
    const info = result.registrationInfo;
    return {
      context,
      credential: {
        id: info.credential.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
      },
    };
  }

  async requestOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const challenge = await this.challenges.issue('login', {});
    return (await simpleWebAuthn()).generateAuthenticationOptions({
      rpID: this.ctx.config.rpId,
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: 300_000,
      userVerification: 'required',
      allowCredentials: [],
    });
  }

  /** Verifies a discoverable login; returns the passkey used and its new counter. */
  async verifyAssertion(
    response: AuthenticationResponseJSON,
  ): Promise<{ passkey: PasskeyRow; counter: number; backedUp: boolean }> {
    const { challenge } = await this.challenges.consume('login', response.response.clientDataJSON);
    const passkey = await this.ctx.store.getPasskey(response.id);
    if (!passkey) {
      throw new ApiError(
        'webauthn_failed',
        'This passkey is not registered here (it may have been removed).',
      );
    }
    const { verifyAuthenticationResponse } = await simpleWebAuthn();
    let result;
    try {
      result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.ctx.config.origin,
        expectedRPID: this.ctx.config.rpId,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: passkey.counter,
          transports: passkey.transports,
        },
        requireUserVerification: true,
      });
    } catch (cause) {
      throw failed(cause);
    }
    if (!result.verified)
      throw new ApiError('webauthn_failed', 'The passkey signature could not be verified.');
    return {
      passkey,
      counter: result.authenticationInfo.newCounter,
      backedUp: result.authenticationInfo.credentialBackedUp,
    };
  }
}

function failed(cause: unknown): ApiError {
  // SimpleWebAuthn's messages name the check that failed (origin, RP ID, UV, counter…)
  // and carry no secrets, so they are passed on to help whoever debugs the client.
  const message = cause instanceof Error ? cause.message : 'verification failed';
  return new ApiError('webauthn_failed', `The passkey could not be verified: ${message}`, {
    cause,
  });
}
