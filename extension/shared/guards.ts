/**
 * Small type guards for values that cross a trust boundary (runtime messages, page
 * messages, managed storage, stored state, server replies). Hand-written rather than a
 * schema library to keep content scripts, which load in every frame, small.
 */
export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isString(v: unknown, max = 4096): v is string {
  return typeof v === 'string' && v.length <= max;
}

export function isNonEmptyString(v: unknown, max = 4096): v is string {
  return isString(v, max) && v.length > 0;
}

export function isOptional<T>(v: unknown, guard: (x: unknown) => x is T): v is T | undefined {
  return v === undefined || guard(v);
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** An absolute http(s) URL; returns its origin, or null. */
export function httpOrigin(v: unknown): string | null {
  if (!isNonEmptyString(v, 2048)) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** True when `obj` has no keys beyond `allowed`: unknown fields are refused, not ignored. */
export function hasOnlyKeys(obj: Json, allowed: readonly string[]): boolean {
  return Object.keys(obj).every((k) => allowed.includes(k));
}
