import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbCopy } from '../../../server/cli/db-copy.ts';
import { loadConfig } from '../../../server/config.ts';
import { silentLogger } from '../../../server/log.ts';
import { startServer, type RunningServer } from '../../../server/server.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { login } from '../../helpers/passkey-flows.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { freePort } from '../../helpers/start-server.ts';
import { ORIGIN } from '../support/test-app.ts';
import { makeWorld, type World } from '../support/world.ts';

const event = (time: string) => ({
  id: randomUUID(),
  time,
  kind: 'navigation',
  level: 'BLOCK',
  outcome: 'blocked',
  url: 'https://example.com/a?b=1',
  ruleId: 'example.com',
  action: 'navigate',
  policyVersion: 1,
  detail: { tab: 3, note: 'ünïcödé' },
});

/**
 * A populated SQLite installation (people, passkeys, groups, codes, devices, a published
 * policy, an audit trail pruned once, so it starts at a checkpoint) copied to PostgreSQL,
 * then served from there: the same people sign in, the same devices sync, the chain verifies.
 */
describe('palisade db copy', () => {
  let pg: TestPostgres;
  let w: World;
  let url: string;
  let before: { etag: string; keyId: string; audit: number };
  let server: RunningServer | null = null;

  beforeAll(async () => {
    pg = await startPostgres();
    url = await pg.createDatabase();
    w = await makeWorld();
    const device = w.device.api;
    await device.json('POST', '/api/v1/device/audit', { events: [event('2026-01-01T00:00:00Z')] });
    w.t.advance(3 * 86_400_000);
    expect(await w.t.services.audit.prune(1)).toBeGreaterThan(0);
    await device.json('POST', '/api/v1/device/audit', {
      events: Array.from({ length: 30 }, () => event('2026-01-04T12:30:00.123+02:00')),
    });
    const policy = await device.get('/api/v1/device/policy');
    const key = await w.t.client().json<{ keyId: string }>('GET', '/api/v1/public-key');
    const verified = await w.t.services.audit.verify();
    before = { etag: policy.headers.get('etag')!, keyId: key.keyId, audit: verified.checked };
    await w.t.store.close(); // the server is stopped before a copy
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await pg?.stop();
    fs.rmSync(w.t.dataDir, { recursive: true, force: true });
  });

  it('copies every row, keeps the chain intact and reports its progress', async () => {
    const progress: [number, number, string][] = [];
    const result = await dbCopy({
      from: w.t.dataDir,
      to: url,
      onProgress: (done, total, table) => progress.push([done, total, table]),
    });
    for (const [table, { from, to }] of Object.entries(result.counts)) {
      expect({ table, to }).toEqual({ table, to: from });
    }
    expect(result.counts).toMatchObject({
      users: { from: 4 },
      passkeys: { from: 4 },
      devices: { from: 2 },
      device_credentials: { from: 2 },
      policy_versions: { from: 1 },
      audit_checkpoint: { from: 1 },
      signing_key: { from: 1 },
    });
    expect(result.chain).toEqual({ ok: true, checked: before.audit });
    const last = progress.at(-1)!;
    expect(last[0]).toBe(last[1]);
    expect(progress.map(([, , t]) => t)).toContain('audit_events');
  });

  it('refuses to copy into a database that already holds data', async () => {
    await expect(dbCopy({ from: w.t.dataDir, to: url })).rejects.toThrow(/already holds/);
  });

  it('serves the copied installation from PostgreSQL: same people, devices, key and chain', async () => {
    const port = await freePort();
    const config = loadConfig({
      PORT: String(port),
      DATA_DIR: w.t.dataDir + '-unused', // nothing may come from the SQLite directory now
      ORIGIN,
      DATABASE_URL: url,
      RATE_LIMIT_LOGIN: '0',
    });
    server = await startServer(config, silentLogger);
    expect(server.setup).toBeNull(); // an admin exists
    const base = `http://127.0.0.1:${port}`;
    const admin = new ApiClient(base, { origin: ORIGIN });
    expect((await login(admin, w.admin.auth)).email).toBe('ada@example.com');
    const verified = await admin.json<{ ok: boolean; checked: number }>(
      'GET',
      '/api/v1/audit/verify',
    );
    expect(verified.ok).toBe(true);
    expect(verified.checked).toBeGreaterThan(before.audit); // plus the login just now
    const device = new ApiClient(base, { bearer: w.device.credential });
    const res = await device.get('/api/v1/device/policy', { 'if-none-match': before.etag });
    expect(res.status).toBe(304); // the same signed envelope
    const key = await device.json<{ keyId: string }>('GET', '/api/v1/public-key');
    expect(key.keyId).toBe(before.keyId);
    const revoked = new ApiClient(base, { bearer: w.revokedDevice.credential });
    const refused = (await (await revoked.get('/api/v1/device/policy')).json()) as {
      error: { code: string };
    };
    expect(refused.error.code).toBe('device_revoked'); // still revoked
  });
});
