import type { StoredAuditEvent } from '../../core/audit/types.ts';
import { keyIdOf } from '../../core/crypto/envelope.ts';
import type { JsonWebKey } from '../../core/crypto/webcrypto.ts';
import { ChainWalker, type ChainBreak } from '../audit/hash-chain.ts';
import {
  openStatement,
  type HeadStatement,
  type PublicKeyInfo,
} from '../audit/signed-statement.ts';
import { subtle } from '../signing-key.ts';
import type { SignedStatementRow } from '../store/types.ts';

export interface ExportVerification {
  ok: boolean;
  /** Event lines whose links and hashes were checked. */
  checked: number;
  /** The link the export starts from: the signed checkpoint's, or the genesis (seq 0). */
  startsAfter: number;
  /** The signed head the export ends on, when it is valid. */
  head: HeadStatement | null;
  firstBroken?: ChainBreak & { line: number };
}

/**
 * Verifies a whole-trail NDJSON export (`GET /api/v1/audit/export?format=ndjson`) with
 * no server: the signed checkpoint it starts from (if any), every event's link and hash
 * (the same `ChainWalker` the server uses), and the signed head it must end on — so rows
 * removed, edited, reordered or cut off the end are all found. Reads line by line, so
 * memory stays flat however large the export is.
 *
 * @example
 * const result = await verifyExport(readline.createInterface({ input }), await readPublicKey(json));
 */
export async function verifyExport(
  lines: AsyncIterable<string>,
  key: PublicKeyInfo,
): Promise<ExportVerification> {
  let walk = new ChainWalker();
  let startsAfter = 0;
  let head: HeadStatement | null = null;
  let n = 0;
  let events = 0;
  const fail = (seq: number, reason: string): ExportVerification => ({
    ok: false,
    checked: walk.checked,
    startsAfter,
    head,
    firstBroken: { seq, reason, line: n },
  });
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return fail(walk.seq + 1, `line ${n} is not JSON`);
    }
    if (head) return fail(walk.seq + 1, `line ${n} follows the signed head`);
    if ('signedCheckpoint' in value) {
      if (events > 0 || startsAfter > 0) {
        return fail(walk.seq + 1, `line ${n}: a checkpoint can only be the first line`);
      }
      const opened = await openStatement(
        envelope(value.signedCheckpoint),
        'palisade.audit.checkpoint',
        key,
      );
      if (!opened.ok) return fail(walk.seq + 1, `the checkpoint on line ${n}: ${opened.reason}`);
      walk = new ChainWalker(opened.statement);
      startsAfter = opened.statement.seq;
      continue;
    }
    if ('signedHead' in value) {
      const opened = await openStatement(envelope(value.signedHead), 'palisade.audit.head', key);
      if (!opened.ok) return fail(walk.seq, `the head on line ${n}: ${opened.reason}`);
      head = opened.statement;
      continue;
    }
    events++;
    const broken = walk.next(value as unknown as StoredAuditEvent);
    if (broken) return fail(broken.seq, broken.reason);
  }
  if (!head) {
    return fail(
      walk.seq + 1,
      'the export does not end on a signed head (cut short, or a filtered export?)',
    );
  }
  if (head.seq !== walk.seq || head.hash !== walk.hash) {
    return fail(
      walk.seq < head.seq ? walk.seq + 1 : head.seq,
      `the rows end at seq ${walk.seq}, but the signed head is seq ${head.seq} with another hash`,
    );
  }
  return { ok: true, checked: walk.checked, startsAfter, head };
}

function envelope(value: unknown): SignedStatementRow | null {
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  if (e.alg !== 'ES256') return null;
  const { keyId, payload, signature } = e;
  if (typeof keyId !== 'string' || typeof payload !== 'string' || typeof signature !== 'string')
    return null;
  return { keyId, payload, signature };
}

/**
 * The server's public key from the JSON of `GET /api/v1/public-key` (`{ keyId, alg, jwk }`)
 * or from a bare P-256 JWK (its key id is then derived the way the server derives it).
 */
export async function readPublicKey(json: unknown): Promise<PublicKeyInfo> {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const jwk = (typeof o.jwk === 'object' && o.jwk !== null ? o.jwk : o) as JsonWebKey;
  if (
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string'
  ) {
    throw new Error('the key must be the JSON of GET /api/v1/public-key, or a P-256 JWK');
  }
  const keyId = typeof o.keyId === 'string' ? o.keyId : await keyIdOf(subtle, jwk);
  return { keyId, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
}
