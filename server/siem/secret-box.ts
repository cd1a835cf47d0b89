import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED = 'aes256gcm:';
const PLAIN = 'plain:';

/**
 * Keeps the webhook signing secrets the server must read back to sign with. With a
 * `SECRETS_KEY` (32 random bytes, base64) they are sealed with AES-256-GCM, so a copy of
 * the database alone does not reveal them; without one they are stored as they are, and
 * the console says so (`sealed: false`).
 */
export class SecretBox {
  constructor(private readonly key: Buffer | null) {}

  /** Whether secrets are encrypted at rest. */
  get sealing(): boolean {
    return this.key !== null;
  }

  seal(secret: string): string {
    if (!this.key) return PLAIN + secret;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([
      cipher.update(secret, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${SEALED}${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  open(stored: string): string {
    if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
    if (!stored.startsWith(SEALED)) throw new Error('the stored secret is in an unknown form');
    if (!this.key) throw new Error('the secret is sealed but SECRETS_KEY is not set');
    const [iv, body] = stored.slice(SEALED.length).split('.') as [string, string];
    const raw = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([
      decipher.update(raw.subarray(0, raw.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** SECRETS_KEY: 32 bytes in base64 or base64url (`openssl rand -base64 32`). */
export function parseSecretsKey(value: string | undefined): Buffer | null {
  if (!value) return null;
  const key = Buffer.from(
    value,
    value.includes('-') || value.includes('_') ? 'base64url' : 'base64',
  );
  if (key.length !== 32) {
    throw new Error(
      'SECRETS_KEY must be 32 random bytes in base64, e.g. `openssl rand -base64 32`',
    );
  }
  return key;
}
