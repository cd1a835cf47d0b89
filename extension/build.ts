import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { iconPng } from './build/icons.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/** Entry points → output files (relative to outDir). */
const ENTRIES: Record<string, string> = {
  background: 'background/main.ts',
  'content/enforcers': 'content/main.ts',
  'content/main-world': 'content/main-world.ts',
  'content/bridge': 'content/bridge.ts',
  'pages/blocked': 'pages/blocked/blocked.ts',
  'pages/pair': 'pages/pair/pair.ts',
  'pages/popup': 'pages/popup/popup.tsx',
};

const STATIC: [from: string, to: string][] = [
  ['pages/blocked/blocked.html', 'pages/blocked.html'],
  ['pages/pair/pair.html', 'pages/pair.html'],
  ['pages/popup/popup.html', 'pages/popup.html'],
  ['pages/popup/popup.css', 'pages/popup.css'],
  ['pages/shared/page.css', 'pages/page.css'],
  ['managed-schema.json', 'managed_schema.json'],
];

/**
 * Builds the loadable extension into `outDir`: one IIFE bundle per entry (classic scripts
 * work as Chrome's `service_worker` and Firefox's background `scripts`, and as content
 * scripts in both), the pages, the manifest, the managed-storage schema and the icons.
 *
 * @example
 * await buildExtension({ outDir: 'dist/extension' });
 */
export async function buildExtension(opts: { outDir: string }): Promise<void> {
  const outDir = resolve(opts.outDir);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'pages'), { recursive: true });
  await mkdir(join(outDir, 'icons'), { recursive: true });
  await build({
    entryPoints: Object.fromEntries(
      Object.entries(ENTRIES).map(([out, src]) => [out, join(here, src)]),
    ),
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome121', 'firefox140'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
    // Readable output: reviewers (and Firefox's add-on review) can read what runs.
    minify: false,
  });
  await Promise.all(STATIC.map(([from, to]) => copyFile(join(here, from), join(outDir, to))));
  await copyFile(join(root, 'manifest.json'), join(outDir, 'manifest.json'));
  await Promise.all(
    [16, 32, 48, 128].map((size) =>
      writeFile(join(outDir, 'icons', `icon-${size}.png`), iconPng(size)),
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = process.argv[2] ?? 'dist/extension';
  buildExtension({ outDir }).then(
    () => console.log(`extension built in ${outDir}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
