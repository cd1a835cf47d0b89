import path from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { PushHub } from '../../server/push/push-hub.ts';
import { createServices, type Services } from '../../server/service/services.ts';
import { loadSigningKey } from '../../server/signing-key.ts';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../server/store/store.ts';

/**
 * The server's services over a SQLite store in `dataDir`, without HTTP: for benchmarks that
 * time one service's work. `env` adds to the configuration. The caller closes `store`.
 */
export async function benchServices(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ config: Config; store: Store; services: Services }> {
  const config = loadConfig({ DATA_DIR: dataDir, PWA_DIR: path.join(dataDir, 'none'), ...env });
  const store = openSqliteStore(dataDir);
  const metrics = new Metrics();
  const services = createServices({
    config,
    store,
    signingKey: await loadSigningKey(dataDir),
    push: new PushHub(metrics),
    metrics,
    log: silentLogger,
  });
  return { config, store, services };
}
