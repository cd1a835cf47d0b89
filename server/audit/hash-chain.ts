import type { AuditCheckpointRow, AuditRow } from '../store/types.ts';
import { GENESIS_HASH } from '../store/types.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { sha256Hex } from '../util/tokens.ts';
import { toStoredEvent } from './stored-event.ts';

/**
 * A row's hash: SHA-256 over the canonical JSON of its content, which includes its `seq`
 * and the previous row's hash. Editing, removing or reordering any row breaks every link
 * after it; pruning keeps verifiability by checkpointing the last pruned row's hash.
 */
export function chainHash(row: Omit<AuditRow, 'hash'>): string {
  const { hash: _ignored, ...content } = toStoredEvent(row);
  return sha256Hex(canonicalJson(content));
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

/**
 * Walks the chain in order, page by page (memory stays flat), and reports the first
 * broken link.
 */
export async function verifyChain(
  checkpoint: AuditCheckpointRow | null,
  pages: (afterSeq: number) => Promise<AuditRow[]>,
): Promise<ChainVerification> {
  let prevHash = checkpoint?.hash ?? GENESIS_HASH;
  let prevSeq = checkpoint?.seq ?? 0;
  let checked = 0;
  for (;;) {
    const rows = await pages(prevSeq);
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      if (row.seq !== prevSeq + 1) {
        return broken(
          checked,
          prevSeq + 1,
          `row ${prevSeq + 1} is missing (the chain jumps to ${row.seq})`,
        );
      }
      if (row.prevHash !== prevHash) {
        return broken(
          checked,
          row.seq,
          "prevHash does not match the previous row's hash (a row was removed or altered)",
        );
      }
      if (chainHash(row) !== row.hash) {
        return broken(
          checked,
          row.seq,
          'the row content does not match its hash (the row was edited)',
        );
      }
      prevHash = row.hash;
      prevSeq = row.seq;
      checked++;
    }
  }
}

function broken(checked: number, seq: number, reason: string): ChainVerification {
  return { ok: false, checked, firstBroken: { seq, reason } };
}
