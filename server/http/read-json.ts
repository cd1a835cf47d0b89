import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors.ts';
import { formatPath, illFormedPath } from './well-formed-json.ts';

/**
 * Reads and validates a JSON body. Malformed JSON, a wrong content type and a wrong
 * shape all become 4xx errors that say what to fix — never a 500. An empty body counts
 * as `{}` so `POST …/options` works without one.
 *
 * Before the schema sees it, every string and member name must be well-formed Unicode
 * and no member may be named `__proto__` (see `illFormedPath`): checked here, once, so
 * no route can store text that the database would rewrite or the audit chain would hash
 * differently from what it stores.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type');
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError(
      'unsupported_media_type',
      `Send JSON (Content-Type: application/json), not ${type}.`,
    );
  }
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new ApiError(
        'invalid_json',
        `The request body is not valid JSON: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  const bad = illFormedPath(value);
  if (bad) {
    throw new ApiError('validation_failed', `${bad.path || 'body'}: ${bad.problem}.`, {
      details: { issues: [{ path: bad.path, message: bad.problem }] },
    });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: formatPath(i.path),
      message: i.message,
    }));
    const first = issues[0]!;
    throw new ApiError('validation_failed', `${first.path || 'body'}: ${first.message}`, {
      details: { issues },
    });
  }
  return result.data;
}
