import type { Diagnostic } from '../../../core/policy/types.ts';

/** A policy document as the editor holds it: any JSON object (it may not be valid yet). */
export type Doc = Record<string, unknown>;

/** A copy of `obj` with `key` set, or removed when `value` is undefined. */
export function withField<T extends Record<string, unknown>>(
  obj: T,
  key: string,
  value: unknown,
): T {
  const next: Record<string, unknown> = { ...obj };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as T;
}

/** A copy of `list` with item `i` replaced (or removed when `value` is undefined). */
export function withItem<T>(list: T[], i: number, value: T | undefined): T[] {
  const next = [...list];
  if (value === undefined) next.splice(i, 1);
  else next[i] = value;
  return next;
}

/**
 * Binds the editors of a record's fields: `bind(key)` is the `value`, `onChange` and
 * `diagnostics` props of the editor of `record[key]`, its changes written back by `set`.
 *
 * @example
 * const bind = fieldBinder(doc, set, diagnostics);
 * <LinesField path="urlBlocklist" label="Blocked sites" {...bind('urlBlocklist')} />
 */
export function fieldBinder(
  record: Record<string, unknown>,
  set: (key: string, value: unknown) => void,
  diagnostics: Diagnostic[],
) {
  return (key: string) => ({
    value: record[key],
    onChange: (value: unknown) => set(key, value),
    diagnostics,
  });
}

/** `''` reads as "not set" for optional text fields. */
export function optionalText(v: string): string | undefined {
  return v.trim() === '' ? undefined : v;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
