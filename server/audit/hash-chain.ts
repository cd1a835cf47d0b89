/// <reference lib="es2024.string" />
import { hash as digest } from 'node:crypto';
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

/** The hash of a row about to be appended, once its seq and prevHash are known. */
export function chainHash(row: Omit<AuditRow, 'hash'>): string {
  const text = row.hashVersion === CHAIN_VERSION ? canonicalRowText(row) : null;
  // The one-shot digest: no Hash object per row (sha256Hex's bytes, a third of its cost).
  return text === null ? eventHash(toStoredEvent(row)) : digest('sha256', text, 'hex');
}

/**
 * The export's name of every hashed column (`toStoredEvent`'s mapping); typed over
 * `AuditRow`, so a new column cannot be left out of the hash.
 */
const MEMBER_OF: { [K in Exclude<keyof AuditRow, 'hash'>]: string } = {
  seq: 'seq',
  eventId: 'id',
  time: 'time',
  kind: 'kind',
  level: 'level',
  outcome: 'outcome',
  url: 'url',
  destinationUrl: 'destinationUrl',
  ruleId: 'ruleId',
  ruleName: 'ruleName',
  action: 'action',
  policyVersion: 'policyVersion',
  detail: 'detail',
  receivedAt: 'receivedAt',
  deviceId: 'deviceId',
  userId: 'userId',
  userEmail: 'userEmail',
  claimedEmail: 'claimedEmail',
  actor: 'actor',
  adminAction: 'adminAction',
  target: 'target',
  site: 'site',
  hashVersion: 'hashVersion',
  prevHash: 'prevHash',
};

/** Columns in RFC 8785 member order (UTF-16 code units, what `sort()` compares). */
const MEMBERS = (Object.entries(MEMBER_OF) as [keyof typeof MEMBER_OF, string][]).sort(
  ([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0),
);
// Parallel arrays, walked once per row: each column, its `"name":` prefix (with the comma
// that separates it from the member before, for all but the first member written), and
// whether `toStoredEvent` always writes it, even when null.
const COLUMNS = MEMBERS.map(([column]) => column);
const FIRST_PREFIX = MEMBERS.map(([, name]) => `${JSON.stringify(name)}:`);
const NEXT_PREFIX = FIRST_PREFIX.map((p) => `,${p}`);
const REQUIRED = COLUMNS.map((c) =>
  ['seq', 'eventId', 'time', 'kind', 'receivedAt', 'hashVersion', 'prevHash'].includes(c),
);

/**
 * `canonicalJson(toStoredEvent(row))` written directly for a flat row: the same bytes
 * (the hash-chain tests compare the two), without building the event object and sorting
 * its keys for every row — the generic form cost most of the ingest's CPU. Returns null
 * for anything outside the common shape (a lone surrogate, a non-finite number, a value
 * of another type), which the generic path then hashes or refuses as before.
 */
function canonicalRowText(row: Omit<AuditRow, 'hash'>): string | null {
  let text = '{';
  let first = true;
  for (let i = 0; i < COLUMNS.length; i++) {
    const column = COLUMNS[i]!;
    const value: unknown = row[column];
    if (value === null || value === undefined) {
      if (REQUIRED[i]) return null; // the generic form keeps a null here
      continue;
    }
    let json: string;
    if (typeof value === 'string') {
      if (column === 'detail') json = canonicalJson(JSON.parse(value));
      // A lone surrogate has no UTF-8 form: the generic form refuses it.
      else if (!value.isWellFormed()) return null;
      else json = JSON.stringify(value);
    } else if (typeof value === 'number' && Number.isFinite(value) && column !== 'detail') {
      json = JSON.stringify(value);
    } else {
      return null;
    }
    text += (first ? FIRST_PREFIX[i]! : NEXT_PREFIX[i]!) + json;
    first = false;
  }
  return `${text}}`;
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
