import { MemoryAuditQueue } from '../../../extension/background/audit-queue.ts';
import type { Background } from '../../../extension/background/background.ts';
import { startBackground } from '../../../extension/background/start-background.ts';
import { FakePlatform } from './fake-platform.ts';
import { subtle } from './fake-server.ts';
import { FakeSocket } from './fake-socket.ts';
import { ManualTimers } from './manual-timers.ts';

/**
 * The extension's background in Node over a fake browser whose managed storage names a real
 * server and its enrollment code, so it enrolls itself and syncs through `fetch`. Resolves
 * once the background is ready (not yet enrolled). `restartOf` keeps a platform's storage,
 * as a worker restart does.
 */
export async function startManagedBackground(opts: {
  serverUrl: string;
  enrollmentCode: string;
  fetch: typeof fetch;
  restartOf?: FakePlatform;
}): Promise<{ bg: Background; platform: FakePlatform }> {
  const platform = new FakePlatform(opts.restartOf);
  platform.managedValues = { serverUrl: opts.serverUrl, enrollmentCode: opts.enrollmentCode };
  const bg = startBackground({
    platform,
    fetch: (url, init) => opts.fetch(url, init),
    createSocket: (url) => new FakeSocket(url),
    subtle,
    openQueue: async () => new MemoryAuditQueue(),
    device: { extensionVersion: '0.1.0', platform: 'linux', browser: 'chrome' },
    timers: new ManualTimers(),
    random: () => 0.5,
    log: () => undefined,
  });
  await bg.ready;
  return { bg, platform };
}
