/**
 * Upgrading an installation whose audit trail was written before chain version 2: a SQLite
 * file at the first schema, with rows hashed the old way and a prune checkpoint, opened by
 * this version (the migration runs), anchored at start, and verified.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditService } from '../../server/audit/audit-service.ts';
import { legacyChainHash } from '../../server/audit/legacy-chain-hash.ts';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { PushHub } from '../../server/push/push-hub.ts';
import { loadSigningKey } from '../../server/signing-key.ts';
import { MIGRATIONS } from '../../server/store/sqlite/migrations.ts';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import { GENESIS_HASH } from '../../server/store/types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A data dir as the previous version left it: schema 1, rows 1–5 with rows 1–2 pruned. */
function oldInstallation(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-upgrade-'));
  dirs.push(dir);
  const db = new Database(path.join(dir, 'palisade.db'));
  db.exec(MIGRATIONS[0]!);
  db.pragma('user_version = 1');
  const insert = db.prepare(`INSERT INTO audit_events (seq, event_id, time, kind, level, outcome,
    url, rule_id, detail, received_at, site, prev_hash, hash)
    VALUES (@seq, @id, @time, 'navigation', 'BLOCK', 'blocked', @url, 'example.com', @detail,
    @receivedAt, 'example.com', @prevHash, @hash)`);
  let prevHash = GENESIS_HASH;
  const hashes: string[] = [];
  for (let seq = 1; seq <= 5; seq++) {
    // What the previous version's toStoredEvent returned (no site, no hashVersion).
    const e = {
      seq,
      id: `event-${seq}-0000`,
      time: '2026-11-28T10:00:00.000Z',
      kind: 'navigation',
      receivedAt: '2026-11-28T10:00:01.000Z',
      prevHash,
      level: 'BLOCK',
      outcome: 'blocked',
      url: 'https://example.com/',
      ruleId: 'example.com',
      detail: { reason: 'listed', n: seq },
    };
    const hash = legacyChainHash(e as never);
    insert.run({ ...e, detail: JSON.stringify(e.detail), hash });
    hashes.push(hash);
    prevHash = hash;
  }
  db.prepare(`DELETE FROM audit_events WHERE seq <= 2`).run();
  db.prepare(
    `INSERT INTO audit_checkpoint (id, seq, hash, pruned_at) VALUES (1, 2, ?, '2026-11-29T00:00:00.000Z')`,
  ).run(hashes[1]);
  db.close();
  return dir;
}

async function open(dir: string) {
  const store = openSqliteStore(dir);
  const metrics = new Metrics();
  const ctx = {
    config: loadConfig({ DATA_DIR: dir }),
    store,
    signingKey: await loadSigningKey(dir),
    push: new PushHub(metrics),
    metrics,
    log: silentLogger,
    now: Date.now,
  };
  return { store, audit: new AuditService(ctx) };
}

describe('upgrading a chain of version 1', () => {
  it('keeps the old rows verifying, signs the old checkpoint once, and goes on in version 2', async () => {
    const dir = oldInstallation();
    const { store, audit } = await open(dir);
    try {
      expect((await store.getAuditCheckpoint())!.signed).toBeNull();
      await audit.anchor();
      expect((await store.getAuditCheckpoint())!.signed).not.toBeNull();
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 3, unsignedRows: 0 });
      await audit.record('system', 'test.after-upgrade', null, { n: 1 });
      await audit.signer.signHead();
      expect(await audit.verify()).toMatchObject({ ok: true, checked: 4 });
      const versions = store.db
        .prepare(`SELECT hash_version AS v FROM audit_events ORDER BY seq`)
        .all();
      expect(versions).toEqual([{ v: 1 }, { v: 1 }, { v: 1 }, { v: 2 }]);
    } finally {
      await store.close();
    }
  });

  it('does not sign an unsigned checkpoint once heads exist (it was rewritten)', async () => {
    const dir = oldInstallation();
    const first = await open(dir);
    await first.audit.anchor();
    first.store.db.exec(
      'UPDATE audit_checkpoint SET key_id = NULL, payload = NULL, signature = NULL',
    );
    await first.store.close();
    const again = await open(dir);
    try {
      await again.audit.anchor();
      expect((await again.store.getAuditCheckpoint())!.signed).toBeNull();
      expect(await again.audit.verify()).toMatchObject({
        ok: false,
        firstBroken: { seq: 2, reason: expect.stringMatching(/checkpoint: it is not signed/) },
      });
    } finally {
      await again.store.close();
    }
  });
});
