/**
 * Why a request failed; a closed set so callers branch on codes, never on message text.
 * The last group are the server's own refusals of a device claim, passed on as they are.
 */
export type ErrorCode =
  | 'bad_request'
  | 'forbidden'
  | 'not_enrolled'
  | 'not_found'
  | 'refused'
  | 'revoked'
  | 'network'
  | 'server'
  | 'internal'
  | 'conflict'
  | 'device_limit'
  | 'token_invalid'
  | 'user_disabled'
  /** The device key is gone (revoked, wiped, or enrolled before device keys): enroll again. */
  | 'no_device_key';

/** Every reply between extension parts has this shape. */
export type Reply<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export function ok<T>(value: T): Reply<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Reply<T> {
  return { ok: false, code, message };
}

/** An error that carries a code through async layers to the one place that replies. */
export class ExtensionError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExtensionError';
  }
}

/** Checks an untrusted value is a reply; anything else becomes an `internal` failure. */
export function asReply<T>(value: unknown): Reply<T> {
  if (typeof value === 'object' && value !== null && 'ok' in value) {
    const r = value as { ok: unknown; code?: unknown; message?: unknown };
    if (r.ok === true && 'value' in value) return value as Reply<T>;
    if (r.ok === false && typeof r.code === 'string' && typeof r.message === 'string') {
      return value as Reply<T>;
    }
  }
  return fail('internal', 'no valid reply');
}
