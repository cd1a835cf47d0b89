/**
 * What a benchmark in real Chromium starts from: the real server in this process (SQLite
 * in `dir`), an admin registered through the passkey flow, a group with an enrollment code,
 * a published policy, an employee with a device waiting to pair, and the built extension
 * loaded unpacked in a fresh profile and paired as the employee pairs it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { buildExtension } from '../../extension/build.ts';
import type { RunningServer } from '../../server/server.ts';
import { pairExtension } from '../../test/e2e/fixtures/pair-extension.ts';
import { withoutKey } from '../../test/e2e/fixtures/without-key.ts';
import { launchChromium, type ChromiumOptions } from '../../test/e2e/support/launch-chromium.ts';
import { ApiClient } from '../../test/helpers/api-client.ts';
import { enrollWithCode } from '../../test/helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../../test/helpers/soft-authenticator.ts';
import { startBenchServer } from './bench-server.ts';

export interface PairedBrowser {
  running: RunningServer;
  origin: string;
  admin: ApiClient;
  policyId: string;
  context: BrowserContext;
  /** The port the stand-in sites listen on. */
  sitesPort: number;
  /** Stops the browser, the sites and the server (in that order). */
  close(): Promise<void>;
}

export async function startPairedBrowser(opts: {
  dir: string;
  /** The policy published before the extension pairs. */
  policy: { name: string; urlBlocklist: string[] };
  /** Answers every site the browser opens (host names are mapped to loopback). */
  sites: http.RequestListener;
  /** `--host-resolver-rules` given the sites' port. */
  hostRules: (sitesPort: number) => string;
  /** Called once the browser is up, before it pairs (e.g. to watch the worker). */
  beforePairing?: (context: BrowserContext) => Promise<void> | void;
  chromium?: Pick<ChromiumOptions, 'args'>;
}): Promise<PairedBrowser> {
  const closers: (() => Promise<unknown> | void)[] = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn();
  };
  try {
    const sites = http.createServer(opts.sites);
    await new Promise<void>((r) => sites.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => sites.close(r)));
    const sitesPort = (sites.address() as AddressInfo).port;

    const { running, origin, admin, enrollmentCode, policyId } = await startBenchServer(
      opts.dir,
      opts.policy,
    );
    closers.push(() => running.stop());
    await admin.json('POST', `/api/v1/policies/${policyId}/publish`);

    const employee = new ApiClient(origin);
    await enrollWithCode(employee, enrollmentCode, new SoftAuthenticator(), {
      name: 'Bench Employee',
      email: 'employee@bench.test',
    });
    const { device } = await employee.json<{ device: { id: string } }>(
      'POST',
      '/api/v1/me/devices',
      { name: 'bench browser', platform: 'linux', browser: 'chromium' },
    );
    const { token } = await employee.json<{ token: string }>(
      'POST',
      `/api/v1/me/devices/${device.id}/pairing-token`,
    );

    const extensionDir = join(opts.dir, 'extension');
    await buildExtension({ outDir: extensionDir });
    withoutKey(extensionDir);
    const { context } = await launchChromium({
      profileDir: join(opts.dir, 'profile'),
      extensionDir,
      hostRules: opts.hostRules(sitesPort),
      ...(opts.chromium?.args ? { args: opts.chromium.args } : {}),
    });
    closers.push(() => context.close());
    await opts.beforePairing?.(context);
    await pairExtension({ context }, origin, token);
    return { running, origin, admin, policyId, context, sitesPort, close };
  } catch (err) {
    await close();
    throw err;
  }
}
