import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error the API can answer, with its HTTP status. The code is what clients branch
 * on (never the message text); the message says what to fix.
 */
const STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  challenge_invalid: 400,
  webauthn_failed: 400,
  email_mismatch: 400,
  unauthenticated: 401,
  code_invalid: 401,
  token_invalid: 401,
  device_revoked: 401,
  bad_origin: 403,
  forbidden: 403,
  user_disabled: 403,
  email_domain: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  last_passkey: 409,
  no_group: 409,
  device_limit: 409,
  version_not_issued: 409,
  code_expired: 410,
  code_used_up: 410,
  code_revoked: 410,
  token_expired: 410,
  device_wiped: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upgrade_required: 426,
  invalid_policy: 422,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS;

/** An error meant for the caller. Anything else that is thrown becomes a logged 500. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details: unknown;
  /** Extra response headers, e.g. `Retry-After` on 429. */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: unknown; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = STATUS[code];
    this.details = opts.details;
    this.headers = opts.headers ?? {};
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** The JSON body of an error response. */
export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Writes an ApiError as the response. */
export function errorResponse(c: Context, err: ApiError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(errorBody(err.code, err.message, err.details), err.status);
}
