/**
 * Migration 2 hashes the enrollment codes stored in plaintext before it with a SQL
 * function the SQLite store defines itself: it must be the hash the services look codes
 * up by, or an upgraded installation's codes would stop working.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/sqlite/open-database.ts';
import { hashToken } from '../../server/util/tokens.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-token-hash-'));
const db = openDatabase(dir);
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it.each(['ABCD-EFGH', 'plain code', 'ünïcödé', ''])('hashes %j as hashToken does', (code) => {
  const row = db.prepare('SELECT palisade_token_hash(?) AS h').get(code) as { h: string };
  expect(row.h).toBe(hashToken(code));
});
