import type { AuditEvent } from '../../../core/audit/types.ts';
import { MemoryAuditQueue, type AuditQueue } from '../../../extension/background/audit-queue.ts';
import type { Background } from '../../../extension/background/background.ts';
import { startBackground } from '../../../extension/background/start-background.ts';
import type { MessageSender } from '../../../extension/platform/types.ts';
import { FakePlatform } from './fake-platform.ts';
import { FakeServer, subtle } from './fake-server.ts';
import { FakeSocket } from './fake-socket.ts';
import { ManualTimers } from './manual-timers.ts';

export interface Harness {
  bg: Background;
  platform: FakePlatform;
  server: FakeServer;
  queue: AuditQueue;
  timers: ManualTimers;
  sockets: FakeSocket[];
  /** Sends a runtime message as the browser would deliver it to the background. */
  send(type: string, body: unknown, sender: MessageSender): Promise<unknown>;
}

export const CONTENT = (url: string): MessageSender => ({
  url,
  origin: new URL(url).origin,
  tabId: 7,
  frameId: 0,
});
export const POPUP: MessageSender = { url: 'chrome-extension://palisadetestid/pages/popup.html' };

/**
 * A background over fakes. Pass `restartOf` to start a fresh "worker" over the storage,
 * DNR rules and audit queue of an earlier one — what survives a service-worker restart.
 */
export async function startHarness(
  opts: {
    server?: FakeServer;
    restartOf?: Harness;
    managed?: Record<string, unknown>;
    /** The background's clock (default: the real one). */
    now?: () => Date;
  } = {},
): Promise<Harness> {
  const server = opts.server ?? opts.restartOf?.server ?? (await FakeServer.create());
  const platform = new FakePlatform(opts.restartOf?.platform);
  if (opts.managed) platform.managedValues = opts.managed;
  const queue = opts.restartOf?.queue ?? new MemoryAuditQueue();
  const timers = new ManualTimers();
  const sockets: FakeSocket[] = [];
  const bg = startBackground({
    platform,
    fetch: server.fetch,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    subtle,
    openQueue: async () => queue,
    device: { extensionVersion: '0.1.0', platform: 'linux', browser: 'chrome' },
    timers,
    random: () => 0.5,
    log: () => undefined,
    ...(opts.now ? { now: opts.now } : {}),
  });
  await bg.ready;
  return {
    bg,
    platform,
    server,
    queue,
    timers,
    sockets,
    send: (type, body, sender) => platform.send({ type, body }, sender),
  };
}

/** Enrolls a harness through managed storage and waits for its first policy. */
export async function enrolled(
  opts: { server?: FakeServer; version?: number; now?: () => Date } = {},
): Promise<Harness> {
  const server = opts.server ?? (await FakeServer.create());
  const h = await startHarness({
    server,
    now: opts.now,
    managed: { serverUrl: server.origin, enrollmentCode: 'ENROLL-CODE' },
  });
  await waitUntil(() => h.bg.state.active !== null || server.envelope === null);
  await waitUntil(async () => (await h.bg.store.enrollment()) !== null);
  return h;
}

/**
 * Enrolls a harness under `policy`, then takes the server down so that what the background
 * records stays in its queue for the assertions.
 */
export async function enrolledOffline(
  policy: Parameters<FakeServer['publish']>[0],
): Promise<Harness> {
  const server = await FakeServer.create();
  await server.publish(policy);
  const h = await enrolled({ server });
  server.down = true;
  return h;
}

/** Sends `audit.record` as the content script of a page at `url` does. */
export const recordFromPage = (h: Harness, url: string, body: unknown): Promise<unknown> =>
  h.send('audit.record', body, CONTENT(url));

/** The audit events a background recorded: still queued, or already uploaded to the server. */
export async function recorded(h: Harness): Promise<AuditEvent[]> {
  return [...(await h.queue.oldest(1000)), ...h.server.events.values()];
}

/** Polls an async condition until it holds (background work runs in un-awaited promises). */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 2_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end)
      throw new Error(`condition not met within ${timeoutMs} ms: ${cond.toString()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
