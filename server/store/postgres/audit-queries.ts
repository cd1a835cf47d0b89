import type pg from 'pg';
import type { AuditStore } from '../store-slices.ts';
import {
  chainTip,
  type AuditCheckpointRow,
  type AuditFilter,
  type AuditHeadRow,
  type AuditRow,
  type ChainLink,
  type ChainTip,
} from '../types.ts';
import { type SignedColumns, withSigned } from '../signed-columns.ts';
import { Mutex } from '../mutex.ts';
import { LOCKS, lockTransaction } from './advisory-locks.ts';
import { inTransaction } from './in-transaction.ts';
import { all, first, type Queryable } from './query-rows.ts';

/** Column, row field and array type, in table order: what the insert unnests. */
const FIELDS = [
  ['seq', 'seq', 'bigint'],
  ['event_id', 'eventId', 'text'],
  ['time', 'time', 'text'],
  ['kind', 'kind', 'text'],
  ['level', 'level', 'text'],
  ['outcome', 'outcome', 'text'],
  ['url', 'url', 'text'],
  ['destination_url', 'destinationUrl', 'text'],
  ['rule_id', 'ruleId', 'text'],
  ['rule_name', 'ruleName', 'text'],
  ['action', 'action', 'text'],
  ['policy_version', 'policyVersion', 'bigint'],
  ['detail', 'detail', 'text'],
  ['received_at', 'receivedAt', 'text'],
  ['device_id', 'deviceId', 'text'],
  ['user_id', 'userId', 'text'],
  ['user_email', 'userEmail', 'text'],
  ['claimed_email', 'claimedEmail', 'text'],
  ['actor', 'actor', 'text'],
  ['admin_action', 'adminAction', 'text'],
  ['target', 'target', 'text'],
  ['site', 'site', 'text'],
  ['hash_version', 'hashVersion', 'integer'],
  ['prev_hash', 'prevHash', 'text'],
  ['hash', 'hash', 'text'],
] as const satisfies readonly (readonly [string, keyof AuditRow, string])[];

const COLS = FIELDS.map(([col, field]) => (col === field ? col : `${col} AS "${field}"`)).join(
  ', ',
);
// One statement for the whole batch (up to 1,000 rows): one array parameter per column.
const INSERT = `INSERT INTO audit_events (${FIELDS.map(([c]) => c).join(', ')})
  SELECT * FROM unnest(${FIELDS.map(([, , t], i) => `$${i + 1}::${t}[]`).join(', ')})
  ON CONFLICT (event_id) DO NOTHING`;
const CHECKPOINT = `SELECT seq, hash, pruned_at AS "prunedAt", key_id AS "keyId", payload, signature
  FROM audit_checkpoint WHERE id = 1`;
const LATEST_HEAD = `SELECT seq, hash, signed_at AS "signedAt", key_id AS "keyId", payload, signature
  FROM audit_heads ORDER BY seq DESC LIMIT 1`;

function whereOf(filter: AuditFilter, params: unknown[]): string[] {
  const sql: string[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    sql.push(clause(`$${params.length}`));
  };
  if (filter.from) add((p) => `time >= ${p}`, filter.from);
  if (filter.to) add((p) => `time < ${p}`, filter.to);
  if (filter.userId) add((p) => `user_id = ${p}`, filter.userId);
  if (filter.deviceId) add((p) => `device_id = ${p}`, filter.deviceId);
  if (filter.kind) add((p) => `kind = ${p}`, filter.kind);
  if (filter.ruleId) add((p) => `rule_id = ${p}`, filter.ruleId);
  // strpos(): the search text is matched literally (LIKE would treat % and _ as wildcards).
  if (filter.url)
    add((p) => `(strpos(url, ${p}) > 0 OR strpos(destination_url, ${p}) > 0)`, filter.url);
  return sql;
}

/**
 * The chain head: the last row, or the checkpoint when everything was pruned. Read under
 * the chain lock, in a fresh snapshot (READ COMMITTED), so it includes every append that
 * committed before the lock was granted.
 */
async function tip(db: Queryable): Promise<ChainTip> {
  const last = await first<ChainTip>(
    db,
    `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`,
  );
  // The checkpoint is read only when no row is left after it (a fully pruned trail).
  return chainTip(last, last ? null : await first<ChainTip>(db, CHECKPOINT));
}

/** The hash-chained audit trail on PostgreSQL. */
export function auditQueries(pool: pg.Pool): AuditStore {
  // Appends are serialised across instances anyway; queueing them here first means at
  // most one of this instance's pooled connections waits on the chain lock, and the
  // rest stay free for reads (a burst of uploads does not starve device syncs).
  const chain = new Mutex();
  return {
    /**
     * Serialised across instances by a transaction-scoped advisory lock: the head read,
     * the links and the insert happen with no other append in between, so seqs stay
     * gapless and each prevHash is its predecessor's hash. Event ids already stored are
     * skipped; the unique constraint backs that up, and if it ever skipped a row here
     * the transaction rolls back rather than commit a chain with a hole.
     */
    appendAudit(rows, link: ChainLink) {
      return chain.run(() =>
        inTransaction(pool, async (client) => {
          await lockTransaction(client, LOCKS.auditChain);
          const ids = [...new Set(rows.map((r) => r.eventId))];
          const stored = await all<{ id: string }>(
            client,
            `SELECT event_id AS id FROM audit_events WHERE event_id = ANY($1::text[])`,
            [ids],
          );
          const linked = link({
            rows,
            tip: await tip(client),
            stored: new Set(stored.map((r) => r.id)),
          });
          if (linked.length > 0) {
            const params = FIELDS.map(([, field]) => linked.map((r) => r[field]));
            const { rowCount } = await client.query(INSERT, params);
            if (rowCount !== linked.length) {
              throw new Error(
                `audit append stored ${rowCount} of ${linked.length} rows; rolled back`,
              );
            }
          }
          return { accepted: linked.length, duplicates: rows.length - linked.length };
        }),
      );
    },
    listAudit(filter, page) {
      const params: unknown[] = [];
      const sql = whereOf(filter, params);
      if (page.cursor !== undefined) {
        params.push(page.cursor);
        sql.push(`seq ${page.order === 'asc' ? '>' : '<'} $${params.length}`);
      }
      params.push(page.limit);
      const where = sql.length ? `WHERE ${sql.join(' AND ')}` : '';
      const order = page.order === 'asc' ? 'ASC' : 'DESC';
      return all<AuditRow>(
        pool,
        `SELECT ${COLS} FROM audit_events ${where} ORDER BY seq ${order} LIMIT $${params.length}`,
        params,
      );
    },
    async auditStats({ from, to, bucket }) {
      // Same buckets as SQLite: times are ISO text, so the bucket is a prefix of it.
      const bucketExpr =
        bucket === 'hour'
          ? `substr(time, 1, 13) || ':00:00.000Z'`
          : `substr(time, 1, 10) || 'T00:00:00.000Z'`;
      const range = `kind <> 'admin' AND time >= $1 AND time < $2`;
      const [overTime, topRules, topSites] = await Promise.all([
        all<{ bucket: string; count: number }>(
          pool,
          `SELECT ${bucketExpr} AS bucket, count(*) AS count FROM audit_events WHERE ${range}
          GROUP BY 1 ORDER BY 1`,
          [from, to],
        ),
        all<{ ruleId: string; count: number }>(
          pool,
          `SELECT rule_id AS "ruleId", count(*) AS count FROM audit_events WHERE ${range}
          AND rule_id IS NOT NULL GROUP BY rule_id ORDER BY count DESC, rule_id LIMIT 10`,
          [from, to],
        ),
        all<{ site: string; count: number }>(
          pool,
          `SELECT site, count(*) AS count FROM audit_events WHERE ${range}
          AND site IS NOT NULL GROUP BY site ORDER BY count DESC, site LIMIT 10`,
          [from, to],
        ),
      ]);
      return { overTime, topRules, topSites };
    },
    async getAuditCheckpoint() {
      type Row = Omit<AuditCheckpointRow, 'signed'> & SignedColumns;
      return withSigned(await first<Row>(pool, CHECKPOINT));
    },
    async lastAuditSeqBefore(time) {
      const r = await first<{ seq: number | null }>(
        pool,
        `SELECT CASE WHEN newer IS NULL THEN (SELECT max(seq) FROM audit_events)
          ELSE (SELECT max(seq) FROM audit_events WHERE seq < newer) END AS seq
          FROM (SELECT (SELECT seq FROM audit_events WHERE received_at >= $1 ORDER BY seq LIMIT 1) AS newer) AS n`,
        [time],
      );
      return r?.seq ?? null;
    },
    pruneAudit(cp) {
      // Under the chain lock too: an append must not read the head while rows go.
      return chain.run(() =>
        inTransaction(pool, async (client) => {
          await lockTransaction(client, LOCKS.auditChain);
          const at = await first<{ hash: string }>(
            client,
            `SELECT hash FROM audit_events WHERE seq = $1`,
            [cp.seq],
          );
          if (at?.hash !== cp.hash) return 0;
          await client.query(
            `INSERT INTO audit_checkpoint (id, seq, hash, pruned_at, key_id, payload, signature)
            VALUES (1, $1, $2, $3, $4, $5, $6)
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
              pruned_at = excluded.pruned_at, key_id = excluded.key_id, payload = excluded.payload,
              signature = excluded.signature`,
            [cp.seq, cp.hash, cp.prunedAt, cp.signed.keyId, cp.signed.payload, cp.signed.signature],
          );
          await client.query(`DELETE FROM audit_heads WHERE seq < $1`, [cp.seq]);
          return (
            (await client.query(`DELETE FROM audit_events WHERE seq <= $1`, [cp.seq])).rowCount ?? 0
          );
        }),
      );
    },
    async signAuditCheckpoint(seq, hash, signed) {
      await pool.query(
        `UPDATE audit_checkpoint SET key_id = $3, payload = $4, signature = $5
        WHERE id = 1 AND seq = $1 AND hash = $2`,
        [seq, hash, signed.keyId, signed.payload, signed.signature],
      );
    },
    async putAuditHead(head) {
      await pool.query(
        `INSERT INTO audit_heads (seq, hash, signed_at, key_id, payload, signature)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (seq) DO NOTHING`,
        [
          head.seq,
          head.hash,
          head.signedAt,
          head.signed.keyId,
          head.signed.payload,
          head.signed.signature,
        ],
      );
    },
    async latestAuditHead() {
      type Row = Omit<AuditHeadRow, 'signed'> & SignedColumns;
      return withSigned(await first<Row>(pool, LATEST_HEAD)) as AuditHeadRow | null;
    },
  };
}
