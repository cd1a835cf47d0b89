import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { freePort } from '../../test/helpers/start-server.ts';
import { setUpBenchAdmin, type BenchAdmin } from './bench-admin.ts';

export interface BenchServer extends BenchAdmin {
  running: RunningServer;
  origin: string;
}

/**
 * The real server in this process (SQLite in `dir`), with an admin, a group, its enrollment
 * code and a draft policy: where the in-process benchmarks start. The caller stops
 * `running`; if setting up fails, it is stopped here.
 */
export async function startBenchServer(
  dir: string,
  draft: { name: string; urlBlocklist: string[] },
): Promise<BenchServer> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    ORIGIN: origin,
  });
  const running = await startServer(config, silentLogger);
  try {
    return { running, origin, ...(await setUpBenchAdmin(origin, running.setup!.link, draft)) };
  } catch (err) {
    await running.stop();
    throw err;
  }
}
