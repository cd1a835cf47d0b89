import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupCommit } from '../../server/store/sqlite/group-commit.ts';
import { openDatabase, type Db } from '../../server/store/sqlite/open-database.ts';

describe('groupCommit', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function setUp() {
    dir = mkdtempSync(join(tmpdir(), 'palisade-group-commit-'));
    db = openDatabase(dir);
    db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    return {
      write: groupCommit(db, (values: number[]) => {
        for (const v of values) {
          if (v < 0) throw new Error(`bad value ${v}`);
          insert.run(v);
        }
        return values.length;
      }),
      rows: () =>
        (db.prepare('SELECT v FROM t ORDER BY rowid').all() as { v: number }[]).map((r) => r.v),
    };
  }

  it('writes calls made together in one transaction, each atomically', async () => {
    const { write, rows } = setUp();
    const results = await Promise.allSettled([write([1, 2]), write([3, -1]), write([4])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The failing call left nothing behind (not even its 3); the others are all there.
    expect(rows()).toEqual([1, 2, 4]);
  });

  it('resolves only after the data is committed and readable by another connection', async () => {
    const { write } = setUp();
    await write([7]);
    const other = openDatabase(dir);
    try {
      expect(other.prepare('SELECT v FROM t').all()).toEqual([{ v: 7 }]);
    } finally {
      other.close();
    }
  });
});
