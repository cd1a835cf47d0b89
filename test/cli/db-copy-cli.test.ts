import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.ts';
import { registerWithLink } from '../helpers/passkey-flows.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';

const bin = resolve(import.meta.dirname, '../../bin/palisade');
const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('palisade db copy', () => {
  let pg: TestPostgres;
  let server: TestServer;

  beforeAll(async () => {
    pg = await startPostgres();
    server = await startServer();
    const admin = new ApiClient(server.url);
    await registerWithLink(admin, server.setupLink!, new SoftAuthenticator(), {
      name: 'A',
      email: 'a@corp.test',
    });
    await admin.json('POST', '/api/v1/groups', { name: 'staff' });
    await server.stop();
  });

  afterAll(async () => {
    await server?.stop();
    await pg?.stop();
  });

  it('moves a SQLite installation to PostgreSQL and prints the verification', async () => {
    const to = await pg.createDatabase();
    const r = run(['db', 'copy', '--from', server.dataDir, '--to', to]);
    expect(r.stderr).toContain('copying');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok +users +1 → 1/);
    expect(r.stdout).toMatch(/audit chain on the target: verified \(\d+ rows\)/);
  });

  it('says how to call it when arguments are missing', () => {
    const r = run(['db', 'copy', '--from', server.dataDir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'palisade: usage: palisade db copy --from <sqlite DATA_DIR> --to postgres://…\n',
    );
  });
});
