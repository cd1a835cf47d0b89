import type { AuditRow, ChainLink } from '../store/types.ts';
import { chainHash } from './hash-chain.ts';

/**
 * The store's `ChainLink`, the same for SQLite and PostgreSQL: skips event ids already
 * stored and repeats within the batch (a retried upload adds nothing), gives each new row
 * the next seq and the previous row's hash, and hashes it.
 *
 * @example
 * store.appendAudit(rows, linkAuditRows);
 */
export const linkAuditRows: ChainLink = ({ rows, tip, stored }) => {
  const seen = new Set(stored);
  let { seq, hash: prevHash } = tip;
  const linked: AuditRow[] = [];
  for (const row of rows) {
    if (seen.has(row.eventId)) continue;
    seen.add(row.eventId);
    // One object per row, its hash filled in once known (chainHash reads every column
    // but `hash`): copying the row twice cost as much as canonicalising it.
    const link: AuditRow = { ...row, seq: ++seq, prevHash, hash: '' };
    link.hash = prevHash = chainHash(link);
    linked.push(link);
  }
  return linked;
};
