import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../contract/routes.ts';
import { ROUTES } from '../../server/auth/access.ts';
import { makeTestApp, type TestApp } from './support/test-app.ts';

const API_MD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/api.md');

/** `METHOD /path` for every row of docs/api.md's route tables (`GET/POST` names two). */
function documentedRoutes(markdown: string): Set<string> {
  const routes = new Set<string>();
  for (const line of markdown.split('\n')) {
    const row = /^\|\s*([A-Z][A-Z/]*)(?:\s*\(WS\))?\s*\|\s*`(\/[^`]*)`\s*\|/.exec(line);
    if (!row) continue;
    for (const method of row[1]!.split('/')) routes.add(`${method} ${row[2]}`);
  }
  return routes;
}

type Operation = {
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  'x-roles'?: string[];
  'x-public-because'?: string;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('GET /api/v1/openapi.json', () => {
  let t: TestApp;
  let doc: Document;
  beforeAll(async () => {
    t = await makeTestApp();
    const res = await t.client().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Document;
  });
  afterAll(() => t.close());

  it('is OpenAPI 3.1 with one operation per route, :param written {param}', () => {
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(operations.sort()).toEqual(Object.keys(ROUTES).sort());
    const revoke = doc.paths['/api/v1/devices/{id}/revoke']!.post!;
    expect(revoke.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    );
  });

  it('states the access rule of each route as its security', () => {
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
    expect(doc.paths['/healthz']!.get!['x-public-because']).toMatch(/liveness/);
    expect(doc.paths['/api/v1/groups']!.post!.security).toEqual([{ session: [] }]);
    expect(doc.paths['/api/v1/groups']!.post!['x-roles']).toEqual(['admin']);
    expect(doc.paths['/api/v1/device/ack']!.post!.security).toEqual([{ device: [] }]);
  });

  it('carries request bodies, query parameters and responses as JSON Schema', () => {
    const invite = doc.paths['/api/v1/users/invite']!.post!;
    const body = invite.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties!)).toEqual(['email', 'role', 'name', 'groupId']);
    const audit = doc.paths['/api/v1/audit']!.get!;
    expect(audit.parameters!.map((p) => p.name)).toContain('cursor');
    const me = doc.paths['/api/v1/auth/me']!.get!.responses['200']!.content!['application/json']!;
    expect(me.schema).toMatchObject({ properties: { user: { type: 'object' } } });
  });
});

describe('docs/api.md', () => {
  it('names every route of the contract and no other', () => {
    const documented = [...documentedRoutes(fs.readFileSync(API_MD, 'utf8'))].sort();
    expect(documented).toEqual(Object.keys(contract).sort());
  });
});
