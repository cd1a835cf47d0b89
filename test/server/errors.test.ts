import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteKey } from '../../server/auth/access.ts';
import { makeWorld, type World } from './support/world.ts';
import { makeTestApp } from './support/test-app.ts';

const MALFORMED = [
  '{bad',
  '[',
  '"just a string',
  '{"a":1}}',
  '\u0000',
  'null',
  '[]',
  '42',
  '{"document": {"urlBlocklist": "x"}}',
];

describe('malformed requests never get a 500', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  // Logout reads no body (and would end the admin's session for the rest of the table).
  const writes = (Object.keys(ROUTES) as RouteKey[]).filter(
    (k) => !k.startsWith('GET') && !k.startsWith('DELETE') && k !== 'POST /api/v1/auth/logout',
  );

  it.each(writes)('%s', async (key) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const path = pattern.replace(':id', key.includes('policies') ? w.policyId : w.device.id);
    for (const caller of [w.admin.api, w.t.client({ bearer: w.device.credential })]) {
      for (const body of MALFORMED) {
        const res = await caller.request(method, path, body);
        const text = await res.text();
        expect(res.status, `${key} with ${JSON.stringify(body)}: ${text}`).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.parse(text)).toHaveProperty('error.code');
      }
    }
  });

  it('says which JSON is bad and which field is wrong', async () => {
    const bad = await w.admin.api.post('/api/v1/groups', '{bad');
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const wrong = await w.admin.api.post('/api/v1/groups', { name: 42 });
    expect(await wrong.json()).toMatchObject({
      error: { code: 'validation_failed', message: expect.stringMatching(/^name: /) },
    });
  });

  it('refuses other content types with 415', async () => {
    const res = await w.admin.api.request('POST', '/api/v1/groups', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
  });

  it('returns every policy diagnostic with 422', async () => {
    const res = await w.admin.api.post('/api/v1/policies', {
      document: { urlBlocklist: ['htp:/x', 42], urlBlockList: [], auditUrlDetail: 'everything' },
    });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as {
      error: { code: string; details: { diagnostics: { path: string }[] } };
    };
    expect(error.code).toBe('invalid_policy');
    expect(error.details.diagnostics.length).toBeGreaterThanOrEqual(3);
    expect(error.details.diagnostics.map((d) => d.path)).toEqual(
      expect.arrayContaining(['urlBlocklist[1]', 'auditUrlDetail']),
    );
    const validate = await w.admin.api.json<{ diagnostics: unknown[] }>(
      'POST',
      '/api/v1/policies/validate',
      {
        document: { urlBlocklist: [42] },
      },
    );
    expect(validate.diagnostics).toHaveLength(1);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await w.admin.api.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('simulates a URL and a copy against a group', async () => {
    const out = await w.admin.api.json<{
      url: { verdict: string; filter: string };
      data: { level: string | null };
    }>('POST', '/api/v1/policies/simulate', {
      groupId: w.group.id,
      url: 'https://www.example.com/page',
      data: {
        action: 'copy',
        source: { url: 'https://example.com/' },
        destination: { os_clipboard: true },
      },
    });
    expect(out.url).toMatchObject({ verdict: 'block', filter: 'example.com' });
    expect(out.data.level).toBeNull();
    const allowed = await w.admin.api.json<{ url: { verdict: string } }>(
      'POST',
      '/api/v1/policies/simulate',
      {
        groupId: w.group.id,
        url: 'https://good.example.com/',
      },
    );
    expect(allowed.url.verdict).toBe('allow');
  });
});

describe('rate limits', () => {
  it('limits login attempts per client with 429 and Retry-After', async () => {
    const t = await makeTestApp({ RATE_LIMIT_LOGIN: '3' });
    try {
      const api = t.client();
      for (let i = 0; i < 3; i++)
        expect((await api.post('/api/v1/auth/login/options')).status).toBe(200);
      const res = await api.post('/api/v1/auth/login/options');
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      t.advance(61_000);
      expect((await api.post('/api/v1/auth/login/options')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
