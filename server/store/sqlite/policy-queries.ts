import type { PolicyDocument } from '../../../core/policy/types.ts';
import type { PolicyStore } from '../store-slices.ts';
import {
  GROUP_DELTAS_KEPT,
  type GroupDeltaRow,
  type GroupEnvelopeRow,
  type LivePolicyRow,
  type PolicyRow,
  type PolicyVersionRow,
} from '../types.ts';
import type { Db } from './open-database.ts';

type Raw = Record<string, unknown>;

const POLICY_COLS = `id, name, document, created_by AS createdBy, created_at AS createdAt, updated_at AS updatedAt,
  live_version AS liveVersion, published_at AS publishedAt`;
const VERSION_COLS = `policy_id AS policyId, version, document, published_at AS publishedAt, published_by AS publishedBy`;
const ENVELOPE_COLS = `group_id AS groupId, version, envelope, etag, updated_at AS updatedAt`;
const DELTA_COLS = `group_id AS groupId, base_version AS baseVersion, base_etag AS baseEtag,
  version, delta, created_at AS createdAt`;

function withDocument<T extends { document: PolicyDocument }>(r: Raw | undefined): T | null {
  return r
    ? ({ ...r, document: JSON.parse(r.document as string) as PolicyDocument } as unknown as T)
    : null;
}

/** Policies, their immutable published versions and the per-group signed envelopes on SQLite. */
export function policyQueries(db: Db): PolicyStore {
  const q = {
    insert:
      db.prepare(`INSERT INTO policies (id, name, document, created_by, created_at, updated_at, live_version,
      published_at) VALUES (@id, @name, @document, @createdBy, @createdAt, @updatedAt, @liveVersion, @publishedAt)`),
    get: db.prepare(`SELECT ${POLICY_COLS} FROM policies WHERE id = ?`),
    list: db.prepare(
      `SELECT ${POLICY_COLS} FROM policies ORDER BY name COLLATE NOCASE, created_at`,
    ),
    updateDraft: db.prepare(
      `UPDATE policies SET name = ?, document = ?, updated_at = ? WHERE id = ?`,
    ),
    versions: db.prepare(
      `SELECT ${VERSION_COLS} FROM policy_versions WHERE policy_id = ? ORDER BY version DESC`,
    ),
    version: db.prepare(
      `SELECT ${VERSION_COLS} FROM policy_versions WHERE policy_id = ? AND version = ?`,
    ),
    live: db.prepare(`SELECT p.id AS policyId, p.name, v.version, v.document, p.created_at AS createdAt
      FROM policies p JOIN policy_versions v ON v.policy_id = p.id AND v.version = p.live_version
      ORDER BY p.created_at, p.id`),
    current: db.prepare(`SELECT value FROM counters WHERE name = 'policy_version'`),
    next: db.prepare(
      `UPDATE counters SET value = value + 1 WHERE name = 'policy_version' RETURNING value`,
    ),
    insertVersion:
      db.prepare(`INSERT INTO policy_versions (policy_id, version, document, published_at, published_by)
      VALUES (@policyId, @version, @document, @publishedAt, @publishedBy)`),
    setLive: db.prepare(`UPDATE policies SET live_version = ?, published_at = ? WHERE id = ?`),
    envelope: db.prepare(`SELECT ${ENVELOPE_COLS} FROM group_envelopes WHERE group_id = ?`),
    envelopes: db.prepare(`SELECT ${ENVELOPE_COLS} FROM group_envelopes`),
    putEnvelope:
      db.prepare(`INSERT INTO group_envelopes (group_id, version, envelope, etag, updated_at)
      VALUES (@groupId, @version, @envelope, @etag, @updatedAt)
      ON CONFLICT (group_id) DO UPDATE SET version = excluded.version, envelope = excluded.envelope,
        etag = excluded.etag, updated_at = excluded.updated_at
      WHERE excluded.version >= group_envelopes.version`),
    putDelta: db.prepare(`INSERT INTO group_deltas
      (group_id, version, base_version, base_etag, delta, created_at)
      VALUES (@groupId, @version, @baseVersion, @baseEtag, @delta, @createdAt)
      ON CONFLICT (group_id, version) DO NOTHING`),
    pruneDeltas: db.prepare(`DELETE FROM group_deltas WHERE group_id = ? AND version NOT IN
      (SELECT version FROM group_deltas WHERE group_id = ? ORDER BY version DESC LIMIT ?)`),
    deltas: db.prepare(
      `SELECT ${DELTA_COLS} FROM group_deltas WHERE group_id = ? ORDER BY version`,
    ),
  };
  const putDeltas = db.transaction((rows: GroupDeltaRow[]) => {
    for (const row of rows) {
      q.putDelta.run(row);
      q.pruneDeltas.run(row.groupId, row.groupId, GROUP_DELTAS_KEPT);
    }
  });
  const putEnvelopes = (rows: GroupEnvelopeRow[]) => {
    for (const row of rows) q.putEnvelope.run(row);
  };
  const publish = db.transaction((version: PolicyVersionRow, envelopes: GroupEnvelopeRow[]) => {
    q.insertVersion.run({ ...version, document: JSON.stringify(version.document) });
    q.setLive.run(version.version, version.publishedAt, version.policyId);
    putEnvelopes(envelopes);
  });

  return {
    async createPolicy(row) {
      q.insert.run({ ...row, document: JSON.stringify(row.document) });
    },
    async getPolicy(id) {
      return withDocument<PolicyRow>(q.get.get(id) as Raw | undefined);
    },
    async listPolicies() {
      return (q.list.all() as Raw[]).map((r) => withDocument<PolicyRow>(r)!);
    },
    async updatePolicyDraft(id, draft) {
      q.updateDraft.run(draft.name, JSON.stringify(draft.document), draft.updatedAt, id);
    },
    async listPolicyVersions(policyId) {
      return (q.versions.all(policyId) as Raw[]).map((r) => withDocument<PolicyVersionRow>(r)!);
    },
    async getPolicyVersion(policyId, version) {
      return withDocument<PolicyVersionRow>(q.version.get(policyId, version) as Raw | undefined);
    },
    async listLivePolicies() {
      return (q.live.all() as Raw[]).map((r) => withDocument<LivePolicyRow>(r)!);
    },
    async currentPolicyVersion() {
      return (q.current.get() as { value: number }).value;
    },
    async nextPolicyVersion() {
      return (q.next.get() as { value: number }).value;
    },
    async publishPolicy(version, envelopes) {
      publish(version, envelopes);
    },
    async getGroupEnvelope(groupId) {
      return (q.envelope.get(groupId) as GroupEnvelopeRow | undefined) ?? null;
    },
    async listGroupEnvelopes() {
      return q.envelopes.all() as GroupEnvelopeRow[];
    },
    async putGroupEnvelopes(rows) {
      db.transaction(putEnvelopes)(rows);
    },
    async putGroupDeltas(rows) {
      putDeltas(rows);
    },
    async listGroupDeltas(groupId) {
      return q.deltas.all(groupId) as GroupDeltaRow[];
    },
  };
}
