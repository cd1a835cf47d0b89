import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './start-server.ts';

export interface TestPostgres {
  /** `postgres://palisade@127.0.0.1:<port>/postgres` — the maintenance database. */
  url: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Runs one statement on the maintenance database (e.g. `pg_terminate_backend`). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
  ): Promise<T[]>;
  stop(): Promise<void>;
}

const SUPERUSER = 'palisade';
let counter = 0;

/**
 * Starts a throwaway PostgreSQL cluster from Debian's binaries (`apt-get install
 * postgresql`): `initdb` in a temp dir, then `pg_ctl start` on 127.0.0.1 with a free port
 * and the unix socket in the same dir. `fsync=off` — the data is thrown away. PostgreSQL
 * refuses to run as root, so as root (tests here and in CI) the binaries run as the
 * `postgres` user the Debian package creates. Stop it in `afterAll`.
 *
 * @example
 * const pg = await startPostgres();
 * const url = await pg.createDatabase();
 * …
 * await pg.stop();
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const run = (file: string, args: string[]) => {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args]]
      : [path.join(bin, file), args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) {
      const logText = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      throw new Error(`${file} failed (${r.status}): ${r.stderr}${r.stdout}\n${logText}`);
    }
  };

  run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-locale', '-N']);
  const port = await freePort();
  const options = [
    `-c listen_addresses=127.0.0.1`,
    `-p ${port}`,
    `-k ${dir}`,
    `-c fsync=off`,
    `-c full_page_writes=off`,
    `-c shared_buffers=32MB`,
    `-c max_connections=100`,
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start']);
  const watchdog = startWatchdog(asRoot, bin, data, dir);
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    watchdog.kill();
    // Immediate: nothing here needs a clean shutdown, and it takes milliseconds.
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stopNow);

  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => undefined);
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      await admin.query(`CREATE DATABASE "${name}"`);
      return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    },
    async query(sql, params) {
      return (await admin.query(sql, params)).rows;
    },
    async stop() {
      await admin.end().catch(() => undefined);
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

/**
 * `pg_ctl start` daemonises the server, so it would outlive a test worker that is killed
 * (an interrupted run, a timeout) — 'exit' handlers do not run then. A detached shell
 * polls the worker's pid and stops the cluster and removes its directory once it is gone.
 */
function startWatchdog(asRoot: boolean, bin: string, data: string, dir: string): ChildProcess {
  const pgCtl = `${asRoot ? 'runuser -u postgres -- ' : ''}'${path.join(bin, 'pg_ctl')}'`;
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
    ${pgCtl} -D '${data}' -m immediate -w stop >/dev/null 2>&1; rm -rf '${dir}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

/** The newest installed PostgreSQL's bin dir, or an error that says how to install it. */
function findBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: these tests start their own ' +
        'throwaway cluster from them. Install them with `apt-get install postgresql` (.ci/run does).',
    );
  }
  return path.join(root, versions[0]!, 'bin');
}
