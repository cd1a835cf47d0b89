/**
 * `npm run build`: the extension into dist/extension, the PWA into dist/pwa and the server
 * into dist/server.mjs (what `npm start` runs; see server/bundle.ts). Tests and the CLI run
 * the server from source through tsx.
 */
import { resolve } from 'node:path';
import { buildExtension } from '../extension/build.ts';
import { buildPwa } from '../pwa/build.ts';
import { bundleServer } from '../server/bundle.ts';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
await buildExtension({ outDir: resolve(root, 'dist/extension') });
await buildPwa({ outDir: resolve(root, 'dist/pwa') });
await bundleServer({ root, outFile: resolve(root, 'dist/server.mjs') });
console.log(
  `built dist/extension, dist/pwa and dist/server.mjs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
