/**
 * An error from the server (its `{ error: { code, message, details } }` body) or from
 * getting there. Views show `message` beside the control that caused it and branch only
 * on `code`, never on message text.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The server's snake_case code, or `network` (offline / unreachable) or `bad_response`. */
    readonly code: string,
    message: string,
    readonly status = 0,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when the request never reached the server: the caller may fall back to its cache. */
  get offline(): boolean {
    return this.code === 'network';
  }
}

/** Turns anything thrown into a `{ code, message }` pair to show. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof Error)
    return new ApiError('unexpected', err.message, 0, undefined, { cause: err });
  return new ApiError('unexpected', String(err));
}
