import type pg from 'pg';
import type { PolicyStore } from '../store-slices.ts';
import {
  GROUP_DELTAS_KEPT,
  type GroupDeltaRow,
  type GroupEnvelopeRow,
  type LivePolicyRow,
  type PolicyRow,
  type PolicyVersionRow,
} from '../types.ts';
import { inTransaction } from './in-transaction.ts';
import { all, first, type Queryable } from './query-rows.ts';

const POLICY_COLS = `id, name, document, created_by AS "createdBy", created_at AS "createdAt",
  updated_at AS "updatedAt", live_version AS "liveVersion", published_at AS "publishedAt"`;
const VERSION_COLS = `policy_id AS "policyId", version, document, published_at AS "publishedAt",
  published_by AS "publishedBy"`;
const ENVELOPE_COLS = `group_id AS "groupId", version, envelope, etag, updated_at AS "updatedAt"`;
const DELTA_COLS = `group_id AS "groupId", base_version AS "baseVersion", base_etag AS "baseEtag",
  version, delta, created_at AS "createdAt"`;

/**
 * Upserts envelopes, never replacing a newer version with an older one. Rows go in group
 * order, so two transactions writing overlapping groups lock them in the same order and
 * cannot deadlock. Each write fires the `group_envelopes_announce` trigger.
 */
async function putEnvelopes(db: Queryable, rows: GroupEnvelopeRow[]): Promise<void> {
  const sorted = [...rows].sort((a, b) =>
    a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0,
  );
  for (const row of sorted) {
    await db.query(
      `INSERT INTO group_envelopes (group_id, version, envelope, etag, updated_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (group_id) DO UPDATE SET version = excluded.version, envelope = excluded.envelope,
        etag = excluded.etag, updated_at = excluded.updated_at
      WHERE excluded.version >= group_envelopes.version`,
      [row.groupId, row.version, row.envelope, row.etag, row.updatedAt],
    );
  }
}

/** Policies, their immutable published versions and the per-group signed envelopes on PostgreSQL. */
export function policyQueries(pool: pg.Pool): PolicyStore {
  return {
    async createPolicy(row) {
      // Documents go in as JSON text: pg would turn a top-level array into a PostgreSQL array.
      await pool.query(
        `INSERT INTO policies (id, name, document, created_by, created_at, updated_at, live_version, published_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          row.id,
          row.name,
          JSON.stringify(row.document),
          row.createdBy,
          row.createdAt,
          row.updatedAt,
          row.liveVersion,
          row.publishedAt,
        ],
      );
    },
    getPolicy: (id) =>
      first<PolicyRow>(pool, `SELECT ${POLICY_COLS} FROM policies WHERE id = $1`, [id]),
    listPolicies: () =>
      all<PolicyRow>(pool, `SELECT ${POLICY_COLS} FROM policies ORDER BY lower(name), created_at`),
    async updatePolicyDraft(id, draft) {
      await pool.query(
        `UPDATE policies SET name = $1, document = $2, updated_at = $3 WHERE id = $4`,
        [draft.name, JSON.stringify(draft.document), draft.updatedAt, id],
      );
    },
    listPolicyVersions: (policyId) =>
      all<PolicyVersionRow>(
        pool,
        `SELECT ${VERSION_COLS} FROM policy_versions WHERE policy_id = $1 ORDER BY version DESC`,
        [policyId],
      ),
    getPolicyVersion: (policyId, version) =>
      first<PolicyVersionRow>(
        pool,
        `SELECT ${VERSION_COLS} FROM policy_versions WHERE policy_id = $1 AND version = $2`,
        [policyId, version],
      ),
    listLivePolicies: () =>
      all<LivePolicyRow>(
        pool,
        `SELECT p.id AS "policyId", p.name, v.version, v.document, p.created_at AS "createdAt"
        FROM policies p JOIN policy_versions v ON v.policy_id = p.id AND v.version = p.live_version
        ORDER BY p.created_at, p.id`,
      ),
    async currentPolicyVersion() {
      const r = await first<{ value: number }>(
        pool,
        `SELECT value FROM counters WHERE name = 'policy_version'`,
      );
      return r!.value;
    },
    async nextPolicyVersion() {
      // The row lock of the UPDATE makes concurrent callers (any instance) take turns.
      const r = await first<{ value: number }>(
        pool,
        `UPDATE counters SET value = value + 1 WHERE name = 'policy_version' RETURNING value`,
      );
      return r!.value;
    },
    async publishPolicy(version, envelopes) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO policy_versions (policy_id, version, document, published_at, published_by)
          VALUES ($1, $2, $3, $4, $5)`,
          [
            version.policyId,
            version.version,
            JSON.stringify(version.document),
            version.publishedAt,
            version.publishedBy,
          ],
        );
        await client.query(
          `UPDATE policies SET live_version = $1, published_at = $2 WHERE id = $3`,
          [version.version, version.publishedAt, version.policyId],
        );
        await putEnvelopes(client, envelopes);
      });
    },
    getGroupEnvelope: (groupId) =>
      first<GroupEnvelopeRow>(
        pool,
        `SELECT ${ENVELOPE_COLS} FROM group_envelopes WHERE group_id = $1`,
        [groupId],
      ),
    listGroupEnvelopes: () =>
      all<GroupEnvelopeRow>(pool, `SELECT ${ENVELOPE_COLS} FROM group_envelopes`),
    async putGroupEnvelopes(rows) {
      await inTransaction(pool, (client) => putEnvelopes(client, rows));
    },
    async putGroupDeltas(rows) {
      await inTransaction(pool, async (client) => {
        for (const row of rows) {
          await client.query(
            `INSERT INTO group_deltas (group_id, version, base_version, base_etag, delta, created_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (group_id, version) DO NOTHING`,
            [row.groupId, row.version, row.baseVersion, row.baseEtag, row.delta, row.createdAt],
          );
          await client.query(
            `DELETE FROM group_deltas WHERE group_id = $1 AND version NOT IN
              (SELECT version FROM group_deltas WHERE group_id = $1 ORDER BY version DESC LIMIT $2)`,
            [row.groupId, GROUP_DELTAS_KEPT],
          );
        }
      });
    },
    listGroupDeltas: (groupId) =>
      all<GroupDeltaRow>(
        pool,
        `SELECT ${DELTA_COLS} FROM group_deltas WHERE group_id = $1 ORDER BY version`,
        [groupId],
      ),
  };
}
