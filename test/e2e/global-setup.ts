import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Browser tests run against what `npm run build` produces, built once per run.
 * PALISADE_SKIP_BUILD=1 reuses the last build while iterating on a test.
 */
export default function setup(): void {
  if (process.env.PALISADE_SKIP_BUILD === '1') return;
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
}
