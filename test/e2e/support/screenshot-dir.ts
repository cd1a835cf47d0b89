import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Where browser tests save their screenshots: `test-results/screenshots/` on every run, or
 * `docs/` (the README's pictures) when run with UPDATE_SCREENSHOTS=1, so an ordinary test
 * run never rewrites tracked files.
 */
export const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs')
    : join(ROOT, 'test-results/screenshots');
mkdirSync(SCREENSHOT_DIR, { recursive: true });
