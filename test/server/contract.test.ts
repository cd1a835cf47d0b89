import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, type RouteContract } from '../../contract/routes.ts';
import { ROUTES } from '../../server/auth/access.ts';

describe('the API contract', () => {
  it('has exactly the routes of the access table', () => {
    expect(Object.keys(contract).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('says what every route answers: a JSON schema or what else it sends', () => {
    for (const [key, entry] of Object.entries(contract) as [string, RouteContract][]) {
      expect(entry.response ?? entry.raw, key).toBeDefined();
    }
  });

  it('gives every route a JSON body schema exactly when its method carries a body', () => {
    for (const [key, entry] of Object.entries(contract) as [string, RouteContract][]) {
      const method = key.split(' ')[0]!;
      const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
      // Logout reads no body: the session cookie is the whole request.
      if (key === 'POST /api/v1/auth/logout') continue;
      expect(entry.body !== undefined, key).toBe(hasBody);
    }
  });

  it('turns every schema into JSON Schema', () => {
    for (const entry of Object.values(contract) as RouteContract[]) {
      for (const schema of [entry.body, entry.query, entry.response]) {
        if (!schema) continue;
        const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
        expect(typeof json).toBe('object');
      }
    }
  });
});
