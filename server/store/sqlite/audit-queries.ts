import type { Statement } from 'better-sqlite3';
import { AUDIT_EVENT_BODY_FIELDS } from '../../../core/audit/types.ts';
import type { AuditStore } from '../store-slices.ts';
import {
  chainTip,
  type AuditCheckpointRow,
  type AuditFilter,
  type AuditHeadRow,
  type AuditRow,
  type ChainLink,
  type ChainTip,
  type NewAuditRow,
  type SignedStatementRow,
} from '../types.ts';
import { type SignedColumns, withSigned } from '../signed-columns.ts';
import { groupCommit } from './group-commit.ts';
import type { Db } from './open-database.ts';

/** Row fields and their columns, in the order the multi-row INSERT binds them. */
const INSERT_FIELDS = [
  'seq',
  'eventId',
  ...AUDIT_EVENT_BODY_FIELDS,
  'receivedAt',
  'deviceId',
  'userId',
  'userEmail',
  'claimedEmail',
  'actor',
  'adminAction',
  'target',
  'site',
  'hashVersion',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditRow)[];
const INSERT_COLUMNS = INSERT_FIELDS.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
/** Every column, aliased to its row field: what a read selects. */
const COLS = INSERT_FIELDS.map((f, i) =>
  f === INSERT_COLUMNS[i] ? f : `${INSERT_COLUMNS[i]} AS ${f}`,
).join(', ');
const ROW_PLACEHOLDERS = `(${INSERT_FIELDS.map(() => '?').join(', ')})`;
/** Rows per statement: 40 × 25 columns stays far below SQLite's 32,766 bound parameters. */
const CHUNK = 40;

const NONE: ReadonlySet<string> = new Set();

/** The unique index on event_id refused a row: the id is stored already. */
function isDuplicateEventId(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(e.message).includes('audit_events.event_id')
  );
}

function whereOf(filter: AuditFilter): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    sql.push(clause);
    params.push(...values);
  };
  if (filter.from) add('time >= ?', filter.from);
  if (filter.to) add('time < ?', filter.to);
  if (filter.userId) add('user_id = ?', filter.userId);
  if (filter.deviceId) add('device_id = ?', filter.deviceId);
  if (filter.kind) add('kind = ?', filter.kind);
  if (filter.ruleId) add('rule_id = ?', filter.ruleId);
  // instr(): the search text is matched literally (LIKE would treat % and _ as wildcards).
  if (filter.url)
    add('(instr(url, ?) > 0 OR instr(destination_url, ?) > 0)', filter.url, filter.url);
  return { sql, params };
}

/** The hash-chained audit trail on SQLite. */
export function auditQueries(db: Db): AuditStore {
  const cache = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare<unknown[]>(sql)));
    return stmt;
  };
  const q = {
    head: db.prepare(`SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`),
    checkpoint: db.prepare(
      `SELECT seq, hash, pruned_at AS prunedAt, key_id AS keyId, payload, signature
      FROM audit_checkpoint WHERE id = 1`,
    ),
    seqBefore: db.prepare(`SELECT CASE WHEN newer IS NULL THEN (SELECT max(seq) FROM audit_events)
      ELSE (SELECT max(seq) FROM audit_events WHERE seq < newer) END AS seq
      FROM (SELECT (SELECT seq FROM audit_events WHERE received_at >= ? ORDER BY seq LIMIT 1) AS newer)`),
    hashAt: db.prepare(`SELECT hash FROM audit_events WHERE seq = ?`),
    putCheckpoint:
      db.prepare(`INSERT INTO audit_checkpoint (id, seq, hash, pruned_at, key_id, payload,
      signature) VALUES (1, @seq, @hash, @prunedAt, @keyId, @payload, @signature)
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned_at = excluded.pruned_at,
      key_id = excluded.key_id, payload = excluded.payload, signature = excluded.signature`),
    signCheckpoint: db.prepare(`UPDATE audit_checkpoint SET key_id = @keyId, payload = @payload,
      signature = @signature WHERE id = 1 AND seq = @seq AND hash = @hash`),
    prune: db.prepare(`DELETE FROM audit_events WHERE seq <= ?`),
    pruneHeads: db.prepare(`DELETE FROM audit_heads WHERE seq < ?`),
    putHead: db.prepare(`INSERT INTO audit_heads (seq, hash, signed_at, key_id, payload, signature)
      VALUES (@seq, @hash, @signedAt, @keyId, @payload, @signature) ON CONFLICT (seq) DO NOTHING`),
    latestHead:
      db.prepare(`SELECT seq, hash, signed_at AS signedAt, key_id AS keyId, payload, signature
      FROM audit_heads ORDER BY seq DESC LIMIT 1`),
  };

  const insertMany = (n: number) =>
    prepared(
      `INSERT INTO audit_events (${INSERT_COLUMNS.join(', ')}) VALUES ${Array.from(
        { length: n },
        () => ROW_PLACEHOLDERS,
      ).join(', ')}`,
    );
  const known = (ids: string[]) =>
    prepared(
      `SELECT event_id AS id FROM audit_events WHERE event_id IN (${ids.map(() => '?').join(', ')})`,
    )
      .pluck()
      .all(...ids) as string[];
  // Rows CHUNK at a time: one statement per chunk rather than per row is most of what a
  // batch costs below the commit. The values are copied into one flat array per chunk.
  const insert = (linked: AuditRow[]) => {
    for (let i = 0; i < linked.length; i += CHUNK) {
      const n = Math.min(CHUNK, linked.length - i);
      const params = new Array<unknown>(n * INSERT_FIELDS.length);
      let k = 0;
      for (let r = i; r < i + n; r++) {
        const row = linked[r]!;
        for (const field of INSERT_FIELDS) params[k++] = row[field];
      }
      insertMany(n).run(params);
    }
  };
  const tipOf = () =>
    chainTip(q.head.get() as ChainTip | undefined, q.checkpoint.get() as ChainTip | undefined);
  // A savepoint of its own: a duplicate id undoes what the attempt wrote, and only that.
  const insertUnlessKnown = db.transaction((linked: AuditRow[]) => insert(linked));

  // One transaction: the batch is all written or not at all, and the chain head cannot
  // move under us (SQLite has one writer; PostgreSQL takes an advisory lock instead).
  // A batch is first linked as if none of its ids were stored — retries are rare, and the
  // unique index on event_id checks every insert anyway, so looking the ids up first
  // would search that index twice. A known id fails the insert; the attempt is rolled
  // back, and the batch linked again without the ids the store holds.
  const append = groupCommit(db, ({ rows, link }: { rows: NewAuditRow[]; link: ChainLink }) => {
    let linked = link({ rows, tip: tipOf(), stored: NONE });
    try {
      insertUnlessKnown(linked);
    } catch (err) {
      if (!isDuplicateEventId(err)) throw err;
      const stored = new Set<string>();
      for (let i = 0; i < rows.length; i += CHUNK) {
        for (const id of known(rows.slice(i, i + CHUNK).map((r) => r.eventId))) stored.add(id);
      }
      linked = link({ rows, tip: tipOf(), stored });
      insert(linked);
    }
    return { accepted: linked.length, duplicates: rows.length - linked.length };
  });
  const prune = db.transaction((cp: AuditCheckpointRow & { signed: SignedStatementRow }) => {
    const at = q.hashAt.get(cp.seq) as { hash: string } | undefined;
    if (at?.hash !== cp.hash) return 0;
    q.putCheckpoint.run({ seq: cp.seq, hash: cp.hash, prunedAt: cp.prunedAt, ...cp.signed });
    q.pruneHeads.run(cp.seq);
    return q.prune.run(cp.seq).changes;
  });

  return {
    appendAudit(rows, link) {
      return append({ rows, link });
    },
    async listAudit(filter, page) {
      const { sql, params } = whereOf(filter);
      if (page.cursor !== undefined) {
        sql.push(page.order === 'asc' ? 'seq > ?' : 'seq < ?');
        params.push(page.cursor);
      }
      const where = sql.length ? `WHERE ${sql.join(' AND ')}` : '';
      const stmt = prepared(
        `SELECT ${COLS} FROM audit_events ${where} ORDER BY seq ${page.order} LIMIT ?`,
      );
      return stmt.all(...params, page.limit) as AuditRow[];
    },
    async auditStats({ from, to, bucket }) {
      const bucketExpr =
        bucket === 'hour'
          ? `substr(time, 1, 13) || ':00:00.000Z'`
          : `substr(time, 1, 10) || 'T00:00:00.000Z'`;
      const range = `kind != 'admin' AND time >= ? AND time < ?`;
      const overTime = prepared(
        `SELECT ${bucketExpr} AS bucket, count(*) AS count FROM audit_events WHERE ${range} GROUP BY 1 ORDER BY 1`,
      ).all(from, to) as { bucket: string; count: number }[];
      const topRules = prepared(
        `SELECT rule_id AS ruleId, count(*) AS count FROM audit_events WHERE ${range} AND rule_id IS NOT NULL
         GROUP BY rule_id ORDER BY count DESC, rule_id LIMIT 10`,
      ).all(from, to) as { ruleId: string; count: number }[];
      const topSites = prepared(
        `SELECT site, count(*) AS count FROM audit_events WHERE ${range} AND site IS NOT NULL
         GROUP BY site ORDER BY count DESC, site LIMIT 10`,
      ).all(from, to) as { site: string; count: number }[];
      return { overTime, topRules, topSites };
    },
    async getAuditCheckpoint() {
      type Row = Omit<AuditCheckpointRow, 'signed'> & SignedColumns;
      return withSigned(q.checkpoint.get() as Row | undefined);
    },
    async lastAuditSeqBefore(time) {
      return (q.seqBefore.get(time) as { seq: number | null }).seq;
    },
    async pruneAudit(checkpoint) {
      return prune(checkpoint);
    },
    async signAuditCheckpoint(seq, hash, signed) {
      q.signCheckpoint.run({ seq, hash, ...signed });
    },
    async putAuditHead(head) {
      q.putHead.run({ seq: head.seq, hash: head.hash, signedAt: head.signedAt, ...head.signed });
    },
    async latestAuditHead() {
      type Row = Omit<AuditHeadRow, 'signed'> & SignedColumns;
      return withSigned(q.latestHead.get() as Row | undefined) as AuditHeadRow | null;
    },
  };
}
