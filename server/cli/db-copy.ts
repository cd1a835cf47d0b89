import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { SigningKeyPair } from '../../core/crypto/envelope.ts';
import { verifyStoredChain } from '../audit/verify-stored-chain.ts';
import { isPostgresUrl } from '../store/is-postgres-url.ts';
import { inTransaction } from '../store/postgres/in-transaction.ts';
import { openPostgresStore, redacted } from '../store/postgres/postgres-store.ts';
import { openDatabase, type Db } from '../store/sqlite/open-database.ts';

export interface DbCopyOptions {
  /** The SQLite installation's DATA_DIR (holds `palisade.db` and `signing-key.json`). */
  from: string;
  /** A `postgres://` URL; its database must hold no Palisade data yet. */
  to: string;
  onProgress?: (done: number, total: number, table: string) => void;
}

export interface DbCopyResult {
  counts: Record<string, { from: number; to: number }>;
  chain: { ok: boolean; checked: number };
}

/**
 * The tables that are copied, parents before children. Both schemas use the same table
 * and column names; PostgreSQL converts SQLite's text times, 0/1 booleans and JSON text
 * on input. Challenges, pairing tokens and rate-limit windows live minutes: not copied;
 * nor are group deltas, which only save bandwidth: a device gets the full envelope once.
 */
const TABLES = [
  'groups',
  'users',
  'passkeys',
  'sessions',
  'invites',
  'enrollment_codes',
  'devices',
  'device_credentials',
  'policies',
  'policy_versions',
  'counters',
  'group_envelopes',
  'audit_events',
  'audit_checkpoint',
  'audit_heads',
  'device_trust',
  'integrations',
  'audit_consumers',
  'alert_rules',
  'alerts',
  'oidc_clients',
  'oidc_keys',
  'oidc_signins',
  'oidc_models',
  'access_requests',
] as const;
/** Rows the PostgreSQL migrations seed, overwritten rather than inserted. */
const SEEDED: Partial<Record<(typeof TABLES)[number], string>> = {
  counters: 'ON CONFLICT (name) DO UPDATE SET value = excluded.value',
};
const BATCH = 500;

/**
 * `palisade db copy --from ./data --to postgres://…`: moves a SQLite installation to
 * PostgreSQL — people, passkeys, sessions, groups, codes, devices and their credentials,
 * policies and their versions, signed envelopes, the audit trail with the same seq, hash
 * and prevHash (and its checkpoint), and the signing key devices have pinned. One
 * PostgreSQL transaction: all or nothing. Reads one consistent SQLite snapshot; stop the
 * server first so nothing written after the snapshot is left behind. Then verifies row
 * counts and the audit chain on the target.
 *
 * @example
 * const { counts, chain } = await dbCopy({ from: './data', to: 'postgres://palisade@db/palisade' });
 */
export async function dbCopy(opts: DbCopyOptions): Promise<DbCopyResult> {
  if (!isPostgresUrl(opts.to)) throw new Error('--to must be a postgres:// or postgresql:// URL');
  const file = path.join(opts.from, 'palisade.db');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: --from must be the DATA_DIR`);
  const key = readSigningKey(opts.from);
  const db = openDatabase(opts.from);
  try {
    const store = await openPostgresStore(opts.to);
    try {
      return await copyAndVerify(db, store, key, opts);
    } finally {
      await store.close();
    }
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

async function copyAndVerify(
  db: Db,
  store: Awaited<ReturnType<typeof openPostgresStore>>,
  key: SigningKeyPair | null,
  opts: DbCopyOptions,
): Promise<DbCopyResult> {
  db.exec('BEGIN'); // one snapshot for every read below (WAL)
  const source = Object.fromEntries(TABLES.map((t) => [t, countRows(db, t)]));
  const total = Object.values(source).reduce((a, b) => a + b, 0);
  let done = 0;
  await inTransaction(store.pool, async (client) => {
    await requireEmpty(client, opts.to);
    for (const table of TABLES) {
      for (const rows of batches(db, table)) {
        await insert(client, table, rows);
        done += rows.length;
        opts.onProgress?.(done, total, table);
      }
    }
    if (key) await putSigningKey(client, key);
  });
  db.exec('COMMIT');

  const count = async (table: string) =>
    (await store.pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n;
  const counts: DbCopyResult['counts'] = {};
  for (const table of TABLES) counts[table] = { from: source[table]!, to: await count(table) };
  counts.signing_key = { from: key ? 1 : 0, to: await count('signing_key') };
  // Checked with the copied key: the target's chain, checkpoint and heads must verify
  // exactly as they did on SQLite.
  const verified = key
    ? await verifyStoredChain(store, { keyId: key.keyId, jwk: key.publicJwk })
    : { ok: false, checked: 0 };
  return { counts, chain: { ok: verified.ok, checked: verified.checked } };
}

function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** The table's rows in rowid order, `BATCH` at a time (keyset paging: no OFFSET rescans). */
function* batches(db: Db, table: string): Generator<Record<string, unknown>[]> {
  const page = db.prepare(
    `SELECT rowid AS _rowid, * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`,
  );
  let after = Number.MIN_SAFE_INTEGER; // audit_heads' seq is its rowid, and starts at 0
  for (;;) {
    const rows = page.all(after) as Record<string, unknown>[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!._rowid as number;
    yield rows.map(({ _rowid: _, ...row }) => row);
  }
}

async function insert(
  client: pg.PoolClient,
  table: (typeof TABLES)[number],
  rows: Record<string, unknown>[],
) {
  const columns = Object.keys(rows[0]!);
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const slots = columns.map((c) => {
      params.push(row[c]);
      return `$${params.length}`;
    });
    return `(${slots.join(', ')})`;
  });
  await client.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${SEEDED[table] ?? ''}`,
    params,
  );
}

/** Refuses to merge into a database that is in use: the copy is for a fresh one. */
async function requireEmpty(client: pg.PoolClient, url: string) {
  const { rows } = await client.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM groups) + (SELECT count(*) FROM devices)
      + (SELECT count(*) FROM policies) + (SELECT count(*) FROM audit_events) AS n`,
  );
  if (rows[0]!.n > 0) {
    throw new Error(
      `${redacted(url)} already holds Palisade data; db copy only fills an empty database`,
    );
  }
  // A server started on the empty database may have printed a setup link; the copy's
  // admins replace it.
  await client.query(`DELETE FROM invites`);
}

function readSigningKey(dataDir: string): SigningKeyPair | null {
  const file = path.join(dataDir, 'signing-key.json');
  if (!fs.existsSync(file)) return null;
  const key = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SigningKeyPair>;
  if (!key.keyId || !key.privateJwk?.d || !key.publicJwk?.x) {
    throw new Error(`${file} is not a Palisade signing key`);
  }
  return key as SigningKeyPair;
}

/** Devices pinned this key at enrollment: keeping it spares them re-enrolling. */
async function putSigningKey(client: pg.PoolClient, key: SigningKeyPair) {
  await client.query(
    `INSERT INTO signing_key (id, key_id, private_jwk, public_jwk, created_at) VALUES (1, $1, $2, $3, now())
    ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, private_jwk = excluded.private_jwk,
      public_jwk = excluded.public_jwk, created_at = excluded.created_at`,
    [key.keyId, JSON.stringify(key.privateJwk), JSON.stringify(key.publicJwk)],
  );
}
