import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
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

/** What an enterprise force-install needs on: fetching the CRX (docs/development.md, "Force-install"). */
const FORCE_INSTALL_NEEDS = ['--disable-background-networking', '--disable-component-update'];

export interface ChromiumOptions {
  /** An unpacked extension to load. */
  extensionDir?: string;
  /** Installing by policy (ExtensionInstallForcelist): background networking stays on. */
  forceInstall?: boolean;
  /** `*.test` mapped to loopback (the default), or a whole `--host-resolver-rules` value. */
  hostRules?: boolean | string;
  /** The port the `*.test` sites listen on (URLs keep the default port). */
  sitesPort?: number;
  /** Origins to treat as secure (the async Clipboard API needs a secure context). */
  secureOrigins?: string[];
  /** More flags, for what only one caller needs. */
  args?: string[];
}

/** The launch options every Chromium of the tests and benchmarks starts with. */
function launchOptions(opts: ChromiumOptions) {
  const args = opts.forceInstall
    ? CHROMIUM_ARGS.filter((a) => !FORCE_INSTALL_NEEDS.includes(a))
    : [...CHROMIUM_ARGS];
  if (typeof opts.hostRules === 'string') args.push(`--host-resolver-rules=${opts.hostRules}`);
  else if (opts.hostRules !== false) {
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
  args.push(...(opts.args ?? []));
  return {
    executablePath: CHROMIUM_PATH,
    headless: true,
    ignoreDefaultArgs: opts.forceInstall
      ? ['--disable-extensions', '--disable-background-networking']
      : ['--disable-extensions'],
    args,
  };
}

export interface LaunchedChromium {
  context: BrowserContext;
  profileDir: string;
  /** Closes the browser; keeps the profile unless `removeProfile`. */
  close(opts?: { removeProfile?: boolean }): Promise<void>;
}

/**
 * Debian's Chromium with a fresh (or given) profile — the one launcher of the end-to-end
 * tests and benchmarks — optionally with an unpacked extension loaded, and `*.test` host
 * names mapped to loopback.
 */
export async function launchChromium(
  opts: ChromiumOptions & { profileDir?: string } = {},
): Promise<LaunchedChromium> {
  const profileDir = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'palisade-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    ...launchOptions(opts),
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

/**
 * The same Chromium without a profile of its own, for people who only use the PWA: each
 * `newContext()` is a separate person, with the same flags.
 */
export async function launchChromiumForPeople(opts: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch(launchOptions({ hostRules: false, ...opts }));
}

/** The extension's service worker, waiting for it if it has not started yet. */
export async function extensionWorker(context: BrowserContext) {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  return existing ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
}
