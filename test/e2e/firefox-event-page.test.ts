/**
 * Firefox runs the MV3 background as an event page and suspends it 30 s after the last
 * extension event, open WebSocket or not (Chrome keeps a worker whose socket has traffic).
 * Palisade's push channel must survive that: after longer than the idle timeout with no
 * browser activity at all, a published policy still reaches the browser by push within
 * seconds — not at the next one-minute alarm. Slow by nature (it waits out the timeout),
 * so it has its own file; the story is firefox-story.test.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import type { TestServer } from '../helpers/start-server.ts';
import {
  FIREFOX_EXTENSION_BASE,
  FIREFOX_EXTENSION_ID,
  launchFirefox,
  type FirefoxBrowser,
} from './fixtures/launch-firefox.ts';
import type { PalisadeAdmin } from './fixtures/palisade-admin.ts';
import { startPalisade, type PalisadeSetup } from './fixtures/start-palisade.ts';
import type { TestSites } from './fixtures/test-sites.ts';

/** Firefox's default `extensions.background.idle.timeout`, in ms. */
const IDLE_TIMEOUT = 30_000;
const V1: PolicyDocument = { name: 'Staff', urlBlocklist: ['blocked.test'] };
const V2: PolicyDocument = { name: 'Staff', urlBlocklist: ['news.test'] };

let palisade: PalisadeSetup;
let server: TestServer;
let sites: TestSites;
let admin: PalisadeAdmin;
let firefox: FirefoxBrowser;

beforeAll(async () => {
  palisade = await startPalisade({ policy: V1 });
  ({ sites, server, admin } = palisade);
  firefox = await launchFirefox({
    sitesPort: sites.port,
    extensionDir: join(import.meta.dirname, '../../dist/extension'),
    // Managed settings apply to a temporary add-on too; no force-install needed here.
    policies: {
      policies: {
        '3rdparty': {
          Extensions: {
            [FIREFOX_EXTENSION_ID]: {
              serverUrl: server.url,
              enrollmentCode: admin.enrollmentCode,
              deviceName: 'e2e-idle',
            },
          },
        },
      },
    },
    prefs: { 'extensions.background.idle.timeout': IDLE_TIMEOUT },
  });
});

afterAll(async () => {
  await firefox?.close();
  await palisade?.close();
});

describe('the Firefox event page and the push channel', () => {
  it('a policy published after the idle timeout arrives by push, with no browser activity', async () => {
    const applied = async () => (await admin.devices())[0]?.appliedVersion;
    await expect.poll(applied, { timeout: 30_000 }).toBe(1);
    // Nothing happens in the browser for longer than Firefox's idle timeout.
    await new Promise((r) => setTimeout(r, IDLE_TIMEOUT + 15_000));

    const publishedAt = performance.now();
    await admin.publish(V2);
    // The device acknowledges the version it applied: the server's own record, polled
    // without touching the browser (a navigation would wake a suspended page by itself).
    await expect.poll(applied, { timeout: 5_000, interval: 100 }).toBe(2);
    console.log(
      `firefox after ${(IDLE_TIMEOUT + 15_000) / 1000} s idle: publish → applied in ` +
        `${((performance.now() - publishedAt) / 1000).toFixed(2)} s`,
    );
    expect((await firefox.landing(sites.url('news.test'))).split('#')[0]).toBe(
      `${FIREFOX_EXTENSION_BASE}pages/blocked.html`,
    );
  }, 120_000);
});
