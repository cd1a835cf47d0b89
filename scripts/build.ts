/**
 * `npm run build`: the extension into dist/extension and the PWA into dist/pwa.
 * The server runs from source through tsx and needs no build step.
 */
import { resolve } from 'node:path';
import { buildExtension } from '../extension/build.ts';
import { buildPwa } from '../pwa/build.ts';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
await buildExtension({ outDir: resolve(root, 'dist/extension') });
await buildPwa({ outDir: resolve(root, 'dist/pwa') });
console.log(
  `built dist/extension and dist/pwa in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
