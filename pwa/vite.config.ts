import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
const THEME = '#1d4e89';

/**
 * The PWA's Vite config for a given output folder. `pwa/build.ts` passes its own outDir;
 * `vite build --config pwa/vite.config.ts` uses the default below (dist/pwa at the repo root).
 */
export function pwaConfig(outDir: string): UserConfig {
  return {
    root,
    base: '/',
    logLevel: 'warn',
    publicDir: 'public',
    plugins: [
      preact(),
      VitePWA({
        strategies: 'generateSW',
        // Registered by src/sw/register-sw.ts through workbox-window: the injected
        // registration script would be inline, which the server's CSP forbids.
        injectRegister: false,
        registerType: 'prompt',
        // globPatterns below already precaches every icon; listing them again duplicates entries.
        includeManifestIcons: false,
        manifest: {
          name: 'Palisade',
          short_name: 'Palisade',
          description:
            'Sign in with a passkey, see what is enforced on this browser and what is recorded.',
          id: '/',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          background_color: '#ffffff',
          theme_color: THEME,
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            {
              src: '/icons/maskable-512.png',
              sizes: '512x512',
              type: 'image/png',
              purpose: 'maskable',
            },
          ],
        },
        workbox: {
          globPatterns: ['**/*.{js,css,html,png,svg}'], // the plugin adds the manifest itself
          navigateFallback: '/index.html',
          // The server answers these itself; the app shell must never stand in for them.
          navigateFallbackDenylist: [/^\/api\//, /^\/oidc(\/|$)/, /^\/healthz/, /^\/metrics/],
          // Prompt first ("a new version is ready"), then skip waiting on the user's word.
          skipWaiting: false,
          clientsClaim: true,
          cleanupOutdatedCaches: true,
        },
      }),
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
    },
  };
}

export default pwaConfig(fileURLToPath(new URL('../dist/pwa', import.meta.url)));
