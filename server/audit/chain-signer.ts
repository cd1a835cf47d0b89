import type { ServiceContext } from '../service/context.ts';
import { isoNow } from '../service/context.ts';
import { publicKeyInfo } from '../signing-key.ts';
import { GENESIS_HASH, type AuditHeadRow, type AuditRow } from '../store/types.ts';
import {
  openStatement,
  signStatement,
  type HeadStatement,
  type PublicKeyInfo,
} from './signed-statement.ts';

/**
 * Signs the chain's head with the server's key, so that deleting the newest rows, or
 * rewriting the chain and its hashes, is detected: the verifier requires the row at the
 * newest signed head's seq to carry the signed hash. Heads are signed at start, every
 * half minute while rows arrive (`jobs.ts`), after a prune, before an export and at
 * shutdown, and stored in the database (`audit_heads`).
 *
 * A head is signed only over a chain that still agrees with the previous head (the one
 * in the database and the last one this process signed): a chain rewritten behind the
 * server's back is never blessed by the next signature.
 */
export class ChainSigner {
  /** The last head this process signed: a database that lost it was truncated. */
  lastSigned: HeadStatement | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  get publicKey(): PublicKeyInfo {
    return publicKeyInfo(this.ctx.signingKey);
  }

  /**
   * Signs the current tip unless the newest head already covers it. Returns the newest
   * signed head, or null (logged) when the chain no longer agrees with an earlier head.
   */
  async signHead(): Promise<AuditHeadRow | null> {
    const { store } = this.ctx;
    // The newest head first, then the tip: rows only grow, so a head another instance signs
    // meanwhile is never ahead of the tip read after it.
    const latest = await store.latestAuditHead();
    const [last] = await store.listAudit({}, { order: 'desc', limit: 1 });
    const checkpoint = await store.getAuditCheckpoint();
    const tip = last ?? checkpoint ?? { seq: 0, hash: GENESIS_HASH };
    for (const earlier of [latest, this.lastSigned]) {
      if (earlier && !(await this.agrees(earlier, tip, checkpoint))) {
        this.ctx.log.error('audit chain disagrees with a signed head; not signing', {
          seq: earlier.seq,
        });
        return null;
      }
    }
    if (latest && latest.seq >= tip.seq) return latest;
    const statement: HeadStatement = {
      type: 'palisade.audit.head',
      seq: tip.seq,
      hash: tip.hash,
      signedAt: isoNow(this.ctx),
    };
    const head: AuditHeadRow = {
      seq: statement.seq,
      hash: statement.hash,
      signedAt: statement.signedAt,
      signed: await signStatement(this.ctx.signingKey, statement),
    };
    await store.putAuditHead(head);
    this.lastSigned = statement;
    return head;
  }

  /** Opens a stored head: what the signature says, or why it cannot be trusted. */
  async open(
    head: AuditHeadRow,
  ): Promise<{ ok: true; head: HeadStatement } | { ok: false; reason: string }> {
    const opened = await openStatement(head.signed, 'palisade.audit.head', this.publicKey);
    if (!opened.ok) return opened;
    if (opened.statement.seq !== head.seq || opened.statement.hash !== head.hash) {
      return { ok: false, reason: 'its columns differ from what was signed (it was rewritten)' };
    }
    return { ok: true, head: opened.statement };
  }

  /** Whether the chain still holds the earlier head's row with the hash that was signed. */
  private async agrees(
    earlier: { seq: number; hash: string },
    tip: { seq: number; hash: string },
    checkpoint: { seq: number; hash: string } | null,
  ): Promise<boolean> {
    if (earlier.seq > tip.seq) return false;
    if (checkpoint && earlier.seq < checkpoint.seq) return true; // pruned away since
    if (earlier.seq === tip.seq) return earlier.hash === tip.hash;
    if (checkpoint && earlier.seq === checkpoint.seq) return earlier.hash === checkpoint.hash;
    if (earlier.seq === 0) return earlier.hash === GENESIS_HASH;
    const [row]: AuditRow[] = await this.ctx.store.listAudit(
      {},
      { order: 'asc', cursor: earlier.seq - 1, limit: 1 },
    );
    return row?.seq === earlier.seq && row.hash === earlier.hash;
  }
}
