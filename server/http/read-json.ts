import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors.ts';

/**
 * Reads and validates a JSON body. Malformed JSON, a wrong content type and a wrong
 * shape all become 4xx errors that say what to fix — never a 500. An empty body counts
 * as `{}` so `POST …/options` works without one.
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
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
    const first = issues[0]!;
    throw new ApiError('validation_failed', `${first.path || 'body'}: ${first.message}`, {
      details: { issues },
    });
  }
  return result.data;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
