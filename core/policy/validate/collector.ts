import type { Diagnostic } from '../types.ts';

/** Collects every problem of a document in one pass, so an admin fixes them all at once. */
export class Collector {
  readonly diagnostics: Diagnostic[] = [];

  error(path: string, message: string): void {
    this.diagnostics.push({ path, severity: 'error', message });
  }

  warning(path: string, message: string): void {
    this.diagnostics.push({ path, severity: 'warning', message });
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Describes a JSON value's type for messages ("got a number"). */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Flags keys outside `known`, suggesting the closest known name for typos. */
export function checkKnownKeys(
  c: Collector,
  path: string,
  value: Json,
  known: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    const hint = suggestion ? ` — did you mean "${suggestion}"?` : '';
    c.error(
      join(path, key),
      `unknown field "${key}"${hint} Known fields here: ${known.join(', ')}.`,
    );
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function expectString(
  c: Collector,
  path: string,
  v: unknown,
  opts: { required?: boolean; max?: number } = {},
): v is string {
  if (v === undefined) {
    if (opts.required) c.error(path, 'is required: give a non-empty string.');
    return false;
  }
  if (typeof v !== 'string') {
    c.error(path, `must be a string, got ${typeName(v)}.`);
    return false;
  }
  if (opts.required && v.trim() === '') {
    c.error(path, 'must not be empty.');
    return false;
  }
  const max = opts.max ?? 10_000;
  if (v.length > max) {
    c.error(path, `is ${v.length} characters long; the limit is ${max}.`);
    return false;
  }
  return true;
}

export function expectBoolean(c: Collector, path: string, v: unknown): v is boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') {
    c.error(path, `must be true or false, got ${typeName(v)}.`);
    return false;
  }
  return true;
}

export function expectArray(c: Collector, path: string, v: unknown): v is unknown[] {
  if (v === undefined) return false;
  if (!Array.isArray(v)) {
    c.error(path, `must be a list (JSON array), got ${typeName(v)}.`);
    return false;
  }
  return true;
}

export function expectEnum<T extends string>(
  c: Collector,
  path: string,
  v: unknown,
  allowed: readonly T[],
): v is T {
  if (v === undefined) return false;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    c.error(
      path,
      `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(v)}.`,
    );
    return false;
  }
  return true;
}

export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
