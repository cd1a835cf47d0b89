import { z } from 'zod';
import { contract, type ContractKey, type RouteContract } from './routes.ts';

/** Who may call a route, as server/auth/access.ts says (contract/ may not import it). */
export type AccessRule =
  | { kind: 'public'; why: string }
  | { kind: 'person'; roles: readonly string[] }
  | { kind: 'device'; anyStatus?: true };

type JsonSchema = Record<string, unknown>;

const errorBody: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {},
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // `$schema` names the dialect, which OpenAPI 3.1 already fixes.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

/** `/api/v1/devices/:id` → `/api/v1/devices/{id}`, and the names of its parameters. */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

function queryParameters(query: z.ZodType): JsonSchema[] {
  const schema = jsonSchema(query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: s,
  }));
}

function security(rule: AccessRule): { security: JsonSchema[]; extra: JsonSchema } {
  switch (rule.kind) {
    case 'public':
      return { security: [], extra: { 'x-public-because': rule.why } };
    case 'person':
      return { security: [{ session: [] }], extra: { 'x-roles': [...rule.roles] } };
    case 'device':
      return {
        security: [{ device: [] }],
        extra: rule.anyStatus ? { 'x-any-device-status': true } : {},
      };
  }
}

function operation(key: string, entry: RouteContract, rule: AccessRule): JsonSchema {
  const { params } = openApiPath(key.split(' ')[1]!);
  const parameters = [
    ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...(entry.query ? queryParameters(entry.query) : []),
  ];
  const status = String(entry.status ?? 200);
  const success: JsonSchema = entry.response
    ? {
        description: 'OK',
        content: Object.fromEntries(
          Object.entries({ 'application/json': entry.response, ...entry.alsoAnswers }).map(
            ([type, schema]) => [type, { schema: jsonSchema(schema, 'output') }],
          ),
        ),
      }
    : entry.raw && entry.raw.contentType !== 'none'
      ? { description: entry.raw.description, content: { [entry.raw.contentType]: {} } }
      : { description: entry.raw?.description ?? 'no content' };
  const { security: sec, extra } = security(rule);
  return {
    operationId: key,
    ...(parameters.length ? { parameters } : {}),
    ...(entry.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(entry.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [status]: success,
      ...(entry.conditional
        ? { '304': { description: 'Not Modified: the If-None-Match named the current ETag' } }
        : {}),
      '4XX': {
        description: 'what to fix, as { error: { code, message, details? } }',
        content: { 'application/json': { schema: errorBody } },
      },
    },
    security: sec,
    ...extra,
  };
}

/** The OpenAPI 3.1 document of the whole API, from the contract and the access table. */
export function openApiDocument(
  access: Record<ContractKey, AccessRule>,
  info: { version: string; serverUrl?: string },
): JsonSchema & { openapi: '3.1.0'; paths: Record<string, Record<string, JsonSchema>> } {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [key, entry] of Object.entries(contract) as [ContractKey, RouteContract][]) {
    const [method, rawPath] = key.split(' ') as [string, string];
    const { path } = openApiPath(rawPath);
    (paths[path] ??= {})[method.toLowerCase()] = operation(key, entry, access[key]);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Palisade HTTP API',
      version: info.version,
      description: 'Generated from contract/ (docs/api.md explains each route).',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'palisade_session',
          description:
            '__Host-palisade_session over https; state-changing requests also need the Origin header',
        },
        device: { type: 'http', scheme: 'bearer', description: 'the device credential' },
      },
    },
    paths,
  };
}
