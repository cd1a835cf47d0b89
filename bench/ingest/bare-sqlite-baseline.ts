import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../../core/audit/types.ts';

/**
 * The floor under durable ingest: the same rows, in the same batch sizes, inserted with
 * bare better-sqlite3 (WAL, synchronous=FULL like the server) and no HTTP, validation,
 * dedupe or hash chain. Returns rows per second.
 */
export function bareSqliteRowsPerSecond(batches: AuditEvent[][]): number {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bare-'));
  const db = new Database(join(dir, 'bare.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, time TEXT, kind TEXT,
      level TEXT, outcome TEXT, url TEXT, rule_id TEXT, rule_name TEXT, action TEXT, policy_version INTEGER)`);
    const insert = db.prepare(
      'INSERT INTO events (event_id, time, kind, level, outcome, url, rule_id, rule_name, action, policy_version) VALUES (?,?,?,?,?,?,?,?,?,?)',
    );
    const write = db.transaction((batch: AuditEvent[]) => {
      for (const e of batch) {
        insert.run(
          e.id,
          e.time,
          e.kind,
          e.level,
          e.outcome,
          e.url,
          e.ruleId,
          e.ruleName,
          e.action,
          e.policyVersion,
        );
      }
    });
    const started = performance.now();
    let rows = 0;
    for (const batch of batches) {
      write(batch);
      rows += batch.length;
    }
    return rows / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
