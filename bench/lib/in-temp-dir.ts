import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Undoes something a bench started: stops a server, closes a browser. */
export type Cleanup = () => Promise<unknown> | void;

/**
 * Runs `body` in a fresh temporary folder. What it `defer`s is undone in reverse order, then
 * the folder removed, however the run ends: a failed bench leaves no server or browser behind.
 */
export async function inTempDir<T>(
  prefix: string,
  body: (dir: string, defer: (cleanup: Cleanup) => void) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanups: Cleanup[] = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    return await body(dir, (cleanup) => cleanups.push(cleanup));
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}
