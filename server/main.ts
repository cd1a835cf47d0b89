import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './server.ts';

/**
 * `node --import tsx server/main.ts` — reads the environment (PORT, HOST, DATA_DIR, ORIGIN,
 * RP_ID, DATABASE_URL, DATABASE_POOL_SIZE, AUDIT_RETENTION_DAYS, TRUST_PROXY; see
 * docs/scale-out.md for PostgreSQL), starts the server, prints the first-admin setup link
 * when there is no admin, and shuts down cleanly on SIGINT/SIGTERM.
 */
const log = createLogger({ level: process.env.LOG_LEVEL === 'debug' ? 'debug' : 'info' });

let running: Awaited<ReturnType<typeof startServer>>;
try {
  running = await startServer(loadConfig(), log);
} catch (err) {
  log.error('could not start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

if (running.setup) {
  // The link carries a one-time secret, so it is printed for the operator, not logged.
  process.stdout.write(
    `\nNo admin yet. Open this one-time link within 1 hour to register the first admin's passkey:\n\n` +
      `  ${running.setup.link}\n\n`,
  );
  log.info('setup link printed', { expiresAt: running.setup.expiresAt });
}
log.info('ready', { port: running.port });

let shuttingDown = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (shuttingDown) process.exit(1); // a second signal means "now"
    shuttingDown = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  });
}
