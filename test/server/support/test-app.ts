import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../../server/app.ts';
import { loadConfig, type Config } from '../../../server/config.ts';
import { silentLogger } from '../../../server/log.ts';
import { Metrics } from '../../../server/metrics.ts';
import { PushHub } from '../../../server/push/push-hub.ts';
import { createServices, type Services } from '../../../server/service/services.ts';
import { loadSigningKey } from '../../../server/signing-key.ts';
import { openSqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import { ApiClient } from '../../helpers/api-client.ts';

export const ORIGIN = 'http://localhost:8787';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  services: Services;
  store: ReturnType<typeof openSqliteStore>;
  hub: PushHub;
  config: Config;
  dataDir: string;
  setupLink: string;
  /** A client that calls `app.request` (no socket), with its own cookie jar. */
  client(opts?: { origin?: string | null; bearer?: string }): ApiClient;
  /** Moves the clock the services see. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** The real app on a real SQLite file in a fresh temp dir, called through `app.request`. */
export async function makeTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-unit-'));
  const config = loadConfig({
    PORT: '8787',
    DATA_DIR: dataDir,
    ORIGIN,
    PWA_DIR: path.join(dataDir, 'no-pwa'),
    RATE_LIMIT_LOGIN: '0',
    RATE_LIMIT_ENROLLMENT: '0',
    RATE_LIMIT_PAIRING: '0',
    ...env,
  });
  const store = openSqliteStore(dataDir);
  const signingKey = await loadSigningKey(dataDir);
  const metrics = new Metrics();
  const hub = new PushHub(metrics);
  let offset = 0;
  const services = createServices({
    config,
    store,
    signingKey,
    push: hub,
    metrics,
    log: silentLogger,
    now: () => Date.now() + offset,
  });
  await services.audit.anchor(); // as startServer does
  const app = createApp({ services });
  const setup = await services.invites.setupLinkIfNoAdmin();
  const fetchApp = async (url: string, init: RequestInit) => app.request(url, init);
  return {
    app,
    services,
    store,
    hub,
    config,
    dataDir,
    setupLink: setup!.link,
    client: (opts = {}) => new ApiClient(config.origin, { fetch: fetchApp, ...opts }),
    advance: (ms) => void (offset += ms),
    close: async () => {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
