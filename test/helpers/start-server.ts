import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SETUP_LINK = /(https?:\/\/[^\s]+\/setup#[A-Za-z0-9_-]+)/;

export interface TestServer {
  /** Base URL, e.g. `http://localhost:41234`. */
  url: string;
  origin: string;
  port: number;
  dataDir: string;
  /** The first-admin setup link the server printed, or null (an admin exists). */
  setupLink: string | null;
  stop(): Promise<void>;
  /** Stops and starts again on the same port and data directory. */
  restart(): Promise<void>;
  /** Kills the process with SIGKILL (no shutdown at all: a crash or a power cut). */
  crash(): Promise<void>;
  /** Everything the process wrote so far (stdout and stderr). */
  logs(): string;
  /** The running process's id (undefined once stopped). */
  pid(): number | undefined;
}

/**
 * Starts the real server (`node --import tsx server/main.ts`) as a child process on
 * 127.0.0.1 with a free port, a fresh temporary DATA_DIR and ORIGIN
 * `http://localhost:<port>` (an IP cannot be a WebAuthn RP ID), waits for /healthz and
 * picks the setup link out of its output.
 *
 * @example
 * const server = await startServer();
 * try { … fetch(server.url + '/healthz') … } finally { await server.stop(); }
 */
export async function startServer(
  opts: {
    dataDir?: string;
    port?: number;
    env?: Record<string, string>;
    /** What node runs: by default the server from source (`--import tsx server/main.ts`). */
    nodeArgs?: string[];
  } = {},
): Promise<TestServer> {
  const nodeArgs = opts.nodeArgs ?? ['--import', 'tsx', 'server/main.ts'];
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-test-'));
  const origin = `http://localhost:${port}`;
  let output = '';
  let child: ChildProcess | null = null;

  const state: TestServer = {
    url: origin,
    origin,
    port,
    dataDir,
    setupLink: null,
    logs: () => output,
    pid: () => child?.pid,
    stop: async () => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    restart: async () => {
      await state.stop();
      await launch();
    },
    crash: async () => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGKILL');
      await exited;
    },
  };

  const launch = async () => {
    const startedAt = output.length;
    const c = spawn(process.execPath, nodeArgs, {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        ORIGIN: origin,
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    c.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitForHealth(origin, c, () => output.slice(startedAt));
    state.setupLink = SETUP_LINK.exec(output.slice(startedAt))?.[1] ?? null;
  };

  await launch();
  return state;
}

async function waitForHealth(
  origin: string,
  child: ChildProcess,
  logs: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${logs()}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      // main.ts logs "ready" after printing the setup link, so the link is in the output by then.
      if (res.ok && logs().includes('"msg":"ready"')) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy in 30 s:\n${logs()}`);
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
