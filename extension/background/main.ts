import { createBrowserPlatform, createPushSocket } from '../platform/browser.ts';
import { MemoryAuditQueue } from './audit-queue.ts';
import { IdbAuditQueue } from './idb-audit-queue.ts';
import { startBackground } from './start-background.ts';

/** The service worker entry (Chrome) / background script (Firefox). */
const platform = createBrowserPlatform();

startBackground({
  platform,
  fetch: (url, init) => fetch(url, init),
  createSocket: createPushSocket,
  subtle: crypto.subtle as never,
  // IndexedDB can be unavailable (e.g. some private-browsing modes): then keep events in
  // memory rather than lose the ability to record at all.
  openQueue: () => IdbAuditQueue.open().catch(() => new MemoryAuditQueue()),
  device: {
    extensionVersion: platform.runtime.version,
    platform: detectPlatform(),
    browser: /Firefox\//.test(navigator.userAgent) ? 'firefox' : 'chrome',
  },
  log: (message) => console.warn(`[palisade] ${message}`),
});

function detectPlatform(): string {
  const ua = navigator.userAgent;
  if (/CrOS/.test(ua)) return 'chromeos';
  if (/Windows/.test(ua)) return 'windows';
  if (/Mac OS X/.test(ua)) return 'macos';
  if (/Android/.test(ua)) return 'android';
  if (/Linux/.test(ua)) return 'linux';
  return 'unknown';
}
