import type pg from 'pg';
import type { SigningKeyPair } from '../../../core/crypto/envelope.ts';
import { LOCKS, lockTransaction } from './advisory-locks.ts';
import { inTransaction } from './in-transaction.ts';
import { first } from './query-rows.ts';

/**
 * `Store.sharedSigningKey` on PostgreSQL: the key is read, or generated and stored, under
 * an advisory lock, so instances starting together agree on one key (the first wins and
 * the others read it). The private key is in the database: whoever can read the
 * `signing_key` table or a backup can sign policies.
 */
export function signingKeyQueries(pool: pg.Pool) {
  return {
    sharedSigningKey(generate: () => Promise<SigningKeyPair>): Promise<SigningKeyPair> {
      return inTransaction(pool, async (client) => {
        await lockTransaction(client, LOCKS.signingKey);
        const stored = await first<SigningKeyPair>(
          client,
          `SELECT key_id AS "keyId", private_jwk AS "privateJwk", public_jwk AS "publicJwk"
          FROM signing_key WHERE id = 1`,
        );
        if (stored) return stored;
        const pair = await generate();
        await client.query(
          `INSERT INTO signing_key (id, key_id, private_jwk, public_jwk, created_at) VALUES (1, $1, $2, $3, now())`,
          [pair.keyId, JSON.stringify(pair.privateJwk), JSON.stringify(pair.publicJwk)],
        );
        return pair;
      });
    },
  };
}
