import { fileURLToPath } from 'node:url';

/** `--name 123` from the command line, or the default. */
export function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}

/** `--name value` from the command line, or undefined. */
export function argString(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Each option of `defaults` from the command line as `--kebab-case N` (`verifyEvery` is
 * `--verify-every`), else its default: a benchmark's options are named once.
 */
export function numberArgs<T extends Record<string, number>>(defaults: T): T {
  const out: Record<string, number> = {};
  for (const [key, fallback] of Object.entries(defaults))
    out[key] = argNumber(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, fallback);
  return out as T;
}

/** True when the module is the script node was started with (not imported by run-all). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}
