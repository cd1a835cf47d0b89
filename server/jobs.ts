import type { Services } from './service/services.ts';

const SWEEP_MS = 10 * 60_000;
const PRUNE_MS = 60 * 60_000;
/** A signed audit head at least every minute while events arrive (a no-op otherwise). */
const HEAD_MS = 30_000;
/** Devices past `silentAfterMinutes` without a heartbeat are marked within a minute. */
const SILENCE_MS = 60_000;

/**
 * Background housekeeping: sweep expired challenges, sessions, pairing tokens and rate
 * windows; prune the audit trail past its retention; sign the audit chain's head; mark
 * silent the devices that stopped reporting their posture.
 * Returns a stop function.
 */
export function startJobs(services: Services): () => void {
  const { ctx } = services;
  const run = (name: string, job: () => Promise<unknown>) => () => {
    job().catch((err: unknown) => ctx.log.error('job failed', { job: name, error: String(err) }));
  };
  const sweep = run('sweep', () => ctx.store.deleteExpired(new Date(ctx.now()).toISOString()));
  const prune = run('audit-prune', async () => {
    const deleted = await services.audit.prune(ctx.config.auditRetentionDays);
    if (deleted > 0)
      ctx.log.info('audit pruned', { deleted, retentionDays: ctx.config.auditRetentionDays });
  });
  // A head that cannot be signed means the chain disagrees with an earlier one: verifying
  // records the break (`audit.chain_broken`), which the alert rules and destinations see.
  // Once per break, not every half minute: verifying walks the whole chain.
  let breakRecorded = false;
  const signHead = run('audit-head', async () => {
    const head = await services.audit.signer.signHead();
    if (head) breakRecorded = false;
    else if (!breakRecorded) {
      breakRecorded = true;
      await services.audit.verify();
    }
  });
  const silence = run('device-silence', () => services.posture.markSilent());
  sweep();
  prune();
  const timers = [
    setInterval(sweep, SWEEP_MS),
    setInterval(prune, PRUNE_MS),
    setInterval(signHead, HEAD_MS),
    setInterval(silence, SILENCE_MS),
  ];
  for (const t of timers) t.unref();
  return () => timers.forEach(clearInterval);
}
