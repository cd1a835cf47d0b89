import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { cborEncode, type CborValue } from './cbor.ts';

/**
 * A software WebAuthn authenticator for tests: real ES256 keys (node:crypto), CBOR
 * attestation objects with `fmt: "none"`, authenticator data with the UP/UV/BE/BS flags
 * and a signature counter. It keeps discoverable credentials per RP ID, like a platform
 * authenticator, so `get()` with no allowCredentials finds the user's passkey.
 *
 * Knobs let a test produce the responses an attacker or a broken client would: another
 * origin or RP ID, no user verification, a counter that goes backwards, a stale challenge.
 *
 * @example
 * const auth = new SoftAuthenticator();
 * const options = await (await api.post('/api/v1/auth/register/options', { token, name, email })).json();
 * const response = auth.create(options, 'http://localhost:8787');
 */
export interface Knobs {
  /** Origin written into clientDataJSON (default: the origin passed in). */
  origin?: string;
  /** RP ID whose hash goes into authenticator data (default: the options' rp.id / rpId). */
  rpId?: string;
  /** User verified flag (default true). */
  userVerified?: boolean;
  /** User present flag (default true). */
  userPresent?: boolean;
  /** Force the signature counter to this value (e.g. lower than before). */
  counter?: number;
  /** Use this challenge instead of the options' one. */
  challenge?: string;
  /** clientDataJSON type (default webauthn.create / webauthn.get). */
  type?: string;
  /** For get(): which credential to use (default: the newest for the RP ID). */
  credentialId?: string;
}

export interface SoftCredential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  counter: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  private readonly aaguid = new Uint8Array(16);

  constructor(private readonly opts: { backupEligible?: boolean; backedUp?: boolean } = {}) {}

  create(
    options: PublicKeyCredentialCreationOptionsJSON,
    origin: string,
    knobs: Knobs = {},
  ): RegistrationResponseJSON {
    const rpId = knobs.rpId ?? options.rp.id ?? new URL(origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const id = randomBytes(16);
    const cose = cborEncode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const counter = knobs.counter ?? 0;
    const authData = Buffer.concat([
      this.authDataHead(rpId, FLAG_AT, knobs, counter),
      this.aaguid,
      Buffer.from([id.length >> 8, id.length & 0xff]),
      id,
      cose,
    ]);
    const attestationObject = cborEncode(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, CborValue>()],
        ['authData', authData],
      ]),
    );
    const clientData = this.clientData('webauthn.create', options.challenge, origin, knobs);
    const credentialId = id.toString('base64url');
    this.credentials.push({
      id: credentialId,
      rpId,
      userHandle: options.user.id,
      privateKey,
      counter,
    });
    return {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  get(
    options: PublicKeyCredentialRequestOptionsJSON,
    origin: string,
    knobs: Knobs = {},
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const candidates = this.credentials.filter(
      (c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(c.id)),
    );
    const cred = knobs.credentialId
      ? this.credentials.find((c) => c.id === knobs.credentialId)
      : candidates[candidates.length - 1];
    if (!cred) throw new Error(`no credential for RP ID ${rpId}`);
    cred.counter = knobs.counter ?? cred.counter + 1;
    const authData = this.authDataHead(knobs.rpId ?? rpId, 0, knobs, cred.counter);
    const clientData = this.clientData('webauthn.get', options.challenge, origin, knobs);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
    const signature = sign('sha256', signed, cred.privateKey); // DER, as WebAuthn's ES256 expects
    return {
      id: cred.id,
      rawId: cred.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: cred.userHandle,
      },
    };
  }

  private authDataHead(rpId: string, extraFlags: number, knobs: Knobs, counter: number): Buffer {
    let flags = extraFlags;
    if (knobs.userPresent ?? true) flags |= FLAG_UP;
    if (knobs.userVerified ?? true) flags |= FLAG_UV;
    const eligible = this.opts.backupEligible ?? true;
    if (eligible) flags |= FLAG_BE;
    if (eligible && (this.opts.backedUp ?? true)) flags |= FLAG_BS;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter >>> 0);
    return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count]);
  }

  private clientData(type: string, challenge: string, origin: string, knobs: Knobs): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: knobs.type ?? type,
        challenge: knobs.challenge ?? challenge,
        origin: knobs.origin ?? origin,
        crossOrigin: false,
      }),
    );
  }
}
