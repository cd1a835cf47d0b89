import { resolve } from 'node:path';
import { bundleServer, SERVER_NODE_FLAGS } from '../../server/bundle.ts';
import { startFleet, type Fleet } from '../lib/fleet.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** The server bundle the push benches run, as `npm start` does. */
export const BUNDLE = resolve(ROOT, 'dist/server.mjs');

/**
 * The fleet of the push benches: the server as `npm start` runs it (the bundle, built here,
 * with the V8 flags of server/bundle.ts) and `devices` devices enrolled, 32 at a time;
 * `run` gets their credentials and the enrollment's seconds. The server stops after it.
 */
export async function withPushFleet<T>(
  devices: number,
  run: (fleet: Fleet, credentials: string[], enrollSeconds: number) => Promise<T>,
): Promise<T> {
  await bundleServer({ root: ROOT, outFile: BUNDLE });
  const fleet = await startFleet({ nodeArgs: [...SERVER_NODE_FLAGS, BUNDLE] });
  try {
    const started = performance.now();
    const credentials = await fleet.enroll(devices, 32);
    return await run(fleet, credentials, (performance.now() - started) / 1000);
  } finally {
    await fleet.server.stop();
  }
}
