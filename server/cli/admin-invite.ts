import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { Metrics } from '../metrics.ts';
import type { PushNotifier } from '../push/push-notifier.ts';
import { createServices } from '../service/services.ts';
import { loadSigningKeyFor } from '../signing-key.ts';
import { openStore } from '../store/open-store.ts';

/** The CLI runs beside the server; it has no sockets to notify. */
const noPush: PushNotifier = {
  policy() {},
  revoked() {},
  wipe() {},
  moved() {},
  exceptions() {},
};

/** CLI invites live as long as the first-start setup link. */
const CLI_INVITE_TTL_MS = 3_600_000;

/**
 * `palisade admin invite --role admin|auditor EMAIL`: writes a one-time invite straight
 * into the database — the data directory's, or PostgreSQL's when DATABASE_URL is set
 * (the server need not run) — and returns its link.
 * The invite is recorded in the audit trail with the actor `system`.
 *
 * @example
 * const { link } = await adminInvite({ dataDir: './data', origin: 'http://localhost:8787', email: 'a@b.c', role: 'admin' });
 */
export async function adminInvite(opts: {
  dataDir: string;
  origin: string;
  email: string;
  role: 'admin' | 'auditor';
}): Promise<{ link: string; expiresAt: string }> {
  const config = loadConfig({ ...process.env, DATA_DIR: opts.dataDir, ORIGIN: opts.origin });
  const store = await openStore(config);
  try {
    const services = createServices({
      config,
      store,
      signingKey: await loadSigningKeyFor(store, config.dataDir),
      push: noPush,
      metrics: new Metrics(),
      log: silentLogger,
    });
    return await services.invites.invite(
      { email: opts.email, role: opts.role },
      'system',
      CLI_INVITE_TTL_MS,
    );
  } finally {
    await store.close();
  }
}
