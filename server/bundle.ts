import { resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the server into one ES module, `dist/server.mjs`, that plain `node` runs (what
 * `npm start` starts). Running from source through tsx costs memory a server holds for
 * good: tsx's module hooks run in a second V8 isolate on a loader thread, and each
 * transformed module keeps its inline source map — about 50 MB of RSS on an idle server
 * (measured 171 MB under tsx, 116 MB bundled, same code). npm packages stay external
 * (loaded from node_modules as usual, and native better-sqlite3 cannot be bundled), so
 * `import()` of the lazily loaded ones still happens on first use.
 *
 * The file sits one directory below the repository root, as server/config.ts does, so the
 * paths config.ts derives from its own location (dist/pwa) are the same bundled or not.
 */
export async function bundleServer(opts: { root: string; outFile: string }): Promise<void> {
  await build({
    entryPoints: [resolve(opts.root, 'server/main.ts')],
    outfile: opts.outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Not minified and no source map (Node would keep it parsed in memory): stack traces
    // name the bundle's lines, which read as the source does.
    logLevel: 'warning',
  });
}

/**
 * The V8 flags `npm start` runs the bundle with (package.json's `start` uses the same: test/server/start-script.test.ts).
 * V8 lets the young generation grow to 16 MB per semi-space (32 MB resident) whenever
 * allocation runs fast — as when thousands of devices reconnect — and keeps it; capped at
 * 2 MB it stays small, for more frequent, shorter scavenges. `--optimize-for-size` makes
 * the old generation grow and the compilers spend in favour of memory. Measured at 10,000
 * push connections (bench/push, connect only, same build): 149–155 MB RSS without flags;
 * 120–135 MB with the semi-space cap alone; 119–120 MB with both.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2', '--optimize-for-size'];
