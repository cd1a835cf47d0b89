/**
 * The audit hot table keeps only indexes that a query uses, the equality ones partial
 * (rows without a user, a device or a rule skip them): the store's filter queries must
 * still find their rows through them rather than by scanning the table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/store/sqlite/open-database.ts';

describe('audit_events indexes (SQLite)', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // The shape listAudit writes: a filter, the seq cursor, newest first, a page.
  const plan = (where: string) =>
    (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM audit_events WHERE ${where} AND seq < ? ORDER BY seq DESC LIMIT ?`,
        )
        .all(...Array.from({ length: where.split('?').length + 1 }, () => 'x')) as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join('; ');

  it.each([
    ['user_id = ?', 'audit_user'],
    ['device_id = ?', 'audit_device'],
    ['rule_id = ?', 'audit_rule'],
    ["kind = 'admin'", 'audit_admin'],
  ])('%s is answered by %s, which is partial', (where, index) => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-audit-indexes-'));
    db = openDatabase(dir);
    expect(plan(where)).toContain(`USING INDEX ${index} `);
    const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(index);
    expect(sql).toMatch(/\) WHERE /);
  });

  it('a filter on user and device still reads rows that have both', () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-audit-indexes-'));
    db = openDatabase(dir);
    db.prepare(
      `INSERT INTO audit_events (seq, event_id, time, kind, received_at, device_id, user_id, prev_hash, hash)
       VALUES (1, 'a', 't', 'navigation', 't', 'd1', 'u1', 'p', 'h'), (2, 'b', 't', 'navigation', 't', 'd1', NULL, 'p', 'h')`,
    ).run();
    const seqs = (where: string, ...params: string[]) =>
      db
        .prepare(`SELECT seq FROM audit_events WHERE ${where} ORDER BY seq`)
        .pluck()
        .all(...params);
    expect(seqs('user_id = ? AND device_id = ?', 'u1', 'd1')).toEqual([1]);
    expect(seqs('device_id = ?', 'd1')).toEqual([1, 2]);
  });
});
