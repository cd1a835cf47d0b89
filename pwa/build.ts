import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { pwaConfig } from './vite.config.ts';

/**
 * Builds the PWA (app shell, web app manifest, Workbox service worker) into `outDir`.
 *
 * @example
 * await buildPwa({ outDir: 'dist/pwa' });
 */
export async function buildPwa(opts: { outDir: string }): Promise<void> {
  // Vite and its plugins read "production" from NODE_ENV, which is "test" when vitest's global
  // setup builds the PWA; left so, the bundle would use the JSX dev runtime and debug code.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    // configFile: false — the config comes from pwaConfig, not from a file lookup in cwd.
    await build({
      ...pwaConfig(resolve(opts.outDir)),
      configFile: false,
      mode: 'production',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

// Runnable alone: `node --import tsx pwa/build.ts dist/pwa`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = process.argv[2] ?? 'dist/pwa';
  await buildPwa({ outDir });
  console.log(`PWA built into ${resolve(outDir)}`);
}
