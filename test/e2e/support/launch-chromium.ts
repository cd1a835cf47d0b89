import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH } from '../fixtures/browser-paths.ts';

/** The flags Chromium needs on these machines (docs/development.md, "Launch flags"). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedChromium {
  context: BrowserContext;
  profileDir: string;
  /** Closes the browser; keeps the profile unless `removeProfile`. */
  close(opts?: { removeProfile?: boolean }): Promise<void>;
}

/**
 * Debian's Chromium with a fresh (or given) profile, optionally with an unpacked
 * extension loaded, and `*.test` host names mapped to loopback.
 */
export async function launchChromium(
  opts: {
    extensionDir?: string;
    profileDir?: string;
    hostRules?: boolean;
    /** The port the `*.test` sites listen on (URLs keep the default port). */
    sitesPort?: number;
    /** Origins to treat as secure (the async Clipboard API needs a secure context). */
    secureOrigins?: string[];
  } = {},
): Promise<LaunchedChromium> {
  const profileDir = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'palisade-chromium-'));
  const args = [...CHROMIUM_ARGS];
  if (opts.hostRules !== false) {
    const target = opts.sitesPort ? `127.0.0.1:${opts.sitesPort}` : '127.0.0.1';
    args.push(`--host-resolver-rules=MAP *.test ${target}`);
  }
  if (opts.secureOrigins?.length) {
    args.push(`--unsafely-treat-insecure-origin-as-secure=${opts.secureOrigins.join(',')}`);
  }
  if (opts.extensionDir) {
    args.push(
      `--disable-extensions-except=${opts.extensionDir}`,
      `--load-extension=${opts.extensionDir}`,
    );
  }
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args,
    env: { ...process.env, XDG_CONFIG_HOME: join(profileDir, 'xdg') },
  });
  return {
    context,
    profileDir,
    async close({ removeProfile = false } = {}) {
      await context.close().catch(() => undefined);
      if (removeProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** The extension's service worker, waiting for it if it has not started yet. */
export async function extensionWorker(context: BrowserContext) {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  return existing ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
}
