import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { AuditRow } from '../store/types.ts';
import { GENESIS_HASH } from '../store/types.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { sha256Hex } from '../util/tokens.ts';
import { legacyChainHash } from './legacy-chain-hash.ts';
import { toStoredEvent } from './stored-event.ts';

/** The hashing scheme of every row appended now (see `AuditRow.hashVersion`). */
export const CHAIN_VERSION = 2;

/**
 * An event's hash: SHA-256 over the RFC 8785 canonical JSON of everything the export
 * holds for it but `hash` — every column, its `seq`, its `hashVersion` and the previous
 * row's hash. Editing, removing or reordering any row breaks every link after it. Rows of
 * version 1 (stored before this scheme) keep their original hash function.
 */
export function eventHash(e: StoredAuditEvent | Omit<StoredAuditEvent, 'hash'>): string {
  const { hash: _ignored, ...content } = e as StoredAuditEvent;
  if (content.hashVersion === 1) return legacyChainHash(content);
  return sha256Hex(canonicalJson(content));
}

/** The hash of a row about to be appended (the store's `ChainLink`). */
export function chainHash(row: Omit<AuditRow, 'hash'>): string {
  return eventHash(toStoredEvent(row));
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Checks a chain one event at a time, in seq order, from a starting link (the genesis or
 * a prune checkpoint): the same walk for `/audit/verify` on the database and for
 * `palisade audit verify` on an export, so both say the same about the same rows.
 *
 * @example
 * const walk = new ChainWalker(checkpoint ?? undefined);
 * for (const e of events) { const broken = walk.next(e); if (broken) return broken; }
 */
export class ChainWalker {
  seq: number;
  hash: string;
  checked = 0;
  private sawCurrentVersion = false;

  constructor(start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }) {
    this.seq = start.seq;
    this.hash = start.hash;
  }

  /**
   * Checks the next event and advances past it; returns where and why the chain breaks,
   * or null. `storedDetail` is the database's text of `detail`, when the event was read
   * from the database: from version 2 on it must be exactly the canonical form that was
   * hashed, so no byte of what is stored escapes the hash.
   */
  next(e: StoredAuditEvent, storedDetail?: string | null): ChainBreak | null {
    const expected = this.seq + 1;
    if (e.seq !== expected) {
      return { seq: expected, reason: `row ${expected} is missing (the chain jumps to ${e.seq})` };
    }
    if (e.prevHash !== this.hash) {
      return {
        seq: e.seq,
        reason: "prevHash does not match the previous row's hash (a row was removed or altered)",
      };
    }
    if (e.hashVersion !== 1 && e.hashVersion !== CHAIN_VERSION) {
      return { seq: e.seq, reason: `unknown hashVersion ${String(e.hashVersion)}` };
    }
    if (e.hashVersion === 1 && this.sawCurrentVersion) {
      return {
        seq: e.seq,
        reason: 'a version 1 row follows version 2 rows (its hashVersion was rewritten)',
      };
    }
    if (e.hashVersion === CHAIN_VERSION) {
      this.sawCurrentVersion = true;
      if (typeof storedDetail === 'string' && !isCanonical(storedDetail)) {
        return { seq: e.seq, reason: 'the stored detail is not the text that was hashed (edited)' };
      }
    }
    if (safeHash(e) !== e.hash) {
      return { seq: e.seq, reason: 'the row content does not match its hash (the row was edited)' };
    }
    this.seq = e.seq;
    this.hash = e.hash;
    this.checked++;
    return null;
  }
}

function isCanonical(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

function safeHash(e: StoredAuditEvent): string | null {
  try {
    return eventHash(e);
  } catch {
    return null; // not hashable (e.g. text edited into a lone surrogate): not the row that was
  }
}
