import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { createApp } from '../../../server/app.ts';
import { buildServer } from '../../../server/build-server.ts';
import { loadConfig, type Config } from '../../../server/config.ts';
import { silentLogger } from '../../../server/log.ts';
import type { PushHub } from '../../../server/push/push-hub.ts';
import type { Services } from '../../../server/service/services.ts';
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
  let offset = 0;
  // What startServer listens on, built the same way.
  const { app, services, hub, setup } = await buildServer(config, store, silentLogger, {
    now: () => Date.now() + offset,
  });
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
