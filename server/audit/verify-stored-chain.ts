import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { AuditStore } from '../store/store-slices.ts';
import type { AuditRow } from '../store/types.ts';
import { ChainWalker, type ChainBreak } from './hash-chain.ts';
import { openStatement, type HeadStatement, type PublicKeyInfo } from './signed-statement.ts';
import { toStoredEvent } from './stored-event.ts';

const PAGE = 500;

export interface ChainVerification {
  ok: boolean;
  /** Rows whose links and hashes were checked. */
  checked: number;
  firstBroken?: ChainBreak;
  /** The newest signed head the chain was checked against. */
  signedHead: { seq: number; hash: string; signedAt: string } | null;
  /** Rows after the signed head (appended since it was signed, at most about a minute). */
  unsignedRows: number;
}

/**
 * Verifies the chain in the database: the prune checkpoint it starts from must carry the
 * server's signature; every row must link to the one before and match its hash (see
 * `ChainWalker`); and the chain must reach the newest signed head with the signed hash —
 * and the last head this process signed (`lastSigned`), should the newest ones have been
 * deleted too. Rows are read a page at a time, so memory stays flat.
 */
export async function verifyStoredChain(
  store: Pick<AuditStore, 'getAuditCheckpoint' | 'latestAuditHead' | 'listAudit'>,
  key: PublicKeyInfo,
  lastSigned: HeadStatement | null = null,
): Promise<ChainVerification> {
  let signedHead: ChainVerification['signedHead'] = null;
  const fail = (seq: number, reason: string, checked = 0): ChainVerification => ({
    ok: false,
    checked,
    firstBroken: { seq, reason },
    signedHead,
    unsignedRows: 0,
  });

  const checkpoint = await store.getAuditCheckpoint();
  if (checkpoint) {
    const opened = await openStatement(checkpoint.signed, 'palisade.audit.checkpoint', key);
    if (!opened.ok) return fail(checkpoint.seq, `the prune checkpoint: ${opened.reason}`);
    const s = opened.statement;
    if (s.seq !== checkpoint.seq || s.hash !== checkpoint.hash) {
      return fail(checkpoint.seq, 'the prune checkpoint differs from what was signed (rewritten)');
    }
  }
  const head = await store.latestAuditHead();
  if (head) {
    const opened = await openStatement(head.signed, 'palisade.audit.head', key);
    if (!opened.ok) return fail(head.seq, `the newest signed head: ${opened.reason}`);
    const s = opened.statement;
    if (s.seq !== head.seq || s.hash !== head.hash) {
      return fail(head.seq, 'the newest signed head differs from what was signed (rewritten)');
    }
    signedHead = { seq: s.seq, hash: s.hash, signedAt: s.signedAt };
  }
  if (lastSigned && (!signedHead || signedHead.seq < lastSigned.seq)) {
    return fail(
      lastSigned.seq,
      `the head signed at ${lastSigned.signedAt} (seq ${lastSigned.seq}) is gone from the database`,
    );
  }
  const walk = new ChainWalker(checkpoint ?? undefined);
  // Without a head an empty chain is fine (nothing to vouch for yet); rows are not: the
  // server signs a head at every start, so heads missing means heads deleted.
  if (!signedHead) {
    const [any] = await store.listAudit({}, { order: 'asc', limit: 1 });
    if (any || checkpoint)
      return fail(walk.seq + 1, 'no signed head covers the chain (heads were deleted)');
    return { ok: true, checked: 0, signedHead, unsignedRows: 0 };
  }
  const expectHead = signedHead;
  if (expectHead.seq < walk.seq) {
    return fail(expectHead.seq, 'the newest signed head is older than the prune checkpoint');
  }
  // The chain must pass through the newest signed head and the last head this process
  // signed, each with the hash that was signed.
  const matchesHead = () =>
    (walk.seq !== expectHead.seq || walk.hash === expectHead.hash) &&
    (!lastSigned || walk.seq !== lastSigned.seq || walk.hash === lastSigned.hash);
  if (!matchesHead()) return fail(walk.seq, 'the prune checkpoint does not match the signed head');

  for (;;) {
    const rows = await store.listAudit({}, { order: 'asc', cursor: walk.seq, limit: PAGE });
    if (rows.length === 0) break;
    for (const row of rows) {
      const e = readable(row);
      const broken = e
        ? walk.next(e, row.detail)
        : { seq: row.seq, reason: 'unreadable row (edited)' };
      if (broken) return fail(broken.seq, broken.reason, walk.checked);
      if (!matchesHead()) {
        return fail(
          walk.seq,
          'the row differs from the signed head (the chain was rewritten)',
          walk.checked,
        );
      }
    }
  }
  if (walk.seq < expectHead.seq) {
    return fail(
      walk.seq + 1,
      `the chain ends at seq ${walk.seq}, before its signed head at seq ${expectHead.seq} (rows were deleted)`,
      walk.checked,
    );
  }
  return { ok: true, checked: walk.checked, signedHead, unsignedRows: walk.seq - expectHead.seq };
}

function readable(row: AuditRow): StoredAuditEvent | null {
  try {
    return toStoredEvent(row);
  } catch {
    return null; // `detail` is not JSON any more
  }
}
