import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Browser tests run against what `npm run build` produces, built once per run. */
export default function setup(): void {
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: root, stdio: 'inherit' });
}
