/// <reference lib="es2024.string" />
/**
 * Issue 17: text that is not well-formed Unicode (a lone UTF-16 surrogate, JSON
 * `"\ud800"`) used to be hashed as a JavaScript string and stored as UTF-8 with U+FFFD,
 * so `/audit/verify` failed at that row for everyone. Such text is now refused where
 * JSON bodies are read, for every route that writes; whatever is accepted reads back
 * identical and the chain verifies.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredAuditEvent } from '../../core/audit/types.ts';
import { makeWorld, type World } from './support/world.ts';
import { blockedNavigation as event } from './support/audit-events.ts';

const LONE = ['\ud800', 'rule \udfff', 'a\udbff', '\udc00\ud800', 'x\ud83d'];

type Verify = { ok: boolean; checked: number; firstBroken?: unknown };

describe('well-formed Unicode at the JSON boundary', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  const verify = () => w.auditor.api.json<Verify>('GET', '/api/v1/audit/verify');
  const upload = (events: unknown[]) => w.device.api.post('/api/v1/device/audit', { events });

  it.each(['url', 'destinationUrl', 'ruleId', 'ruleName'])(
    'refuses a lone surrogate in %s, naming the field and its index',
    async (field) => {
      for (const text of LONE) {
        const batch = [event(), event(), event(), event({ [field]: text })];
        const res = await upload(batch);
        expect(res.status).toBe(400);
        const { error } = (await res.json()) as { error: { code: string; message: string } };
        expect(error.code).toBe('validation_failed');
        expect(error.message).toMatch(new RegExp(`^events\\[3\\]\\.${field}: .*well-formed`));
        // Nothing of the batch was stored.
        const found = await w.auditor.api.json<{ events: unknown[] }>(
          'GET',
          `/api/v1/audit?url=${encodeURIComponent(batch[0]!.url)}&limit=1000`,
        );
        expect(found.events.some((e) => (e as { id: string }).id === batch[0]!.id)).toBe(false);
      }
    },
  );

  it('refuses lone surrogates in detail values and member names', async () => {
    const value = await upload([event({ detail: { note: '\ud800' } })]);
    expect(((await value.json()) as { error: { message: string } }).error.message).toMatch(
      /^events\[0\]\.detail\.note: /,
    );
    const key = await upload([event({ detail: { ['k\udfff']: 1 } })]);
    expect(key.status).toBe(400);
    expect(((await key.json()) as { error: { message: string } }).error.message).toMatch(
      /^events\[0\]\.detail\[".*"\]: .*member name/,
    );
  });

  it('refuses U+0000, which PostgreSQL cannot store (SQLite could: the stores would differ)', async () => {
    const res = await upload([event(), event({ ruleName: 'a\u0000b' })]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^events\[1\]\.ruleName: holds a NUL character/,
    );
  });

  it('refuses a member named __proto__, which the chain would otherwise not see', async () => {
    const res = await w.device.api.post(
      '/api/v1/device/audit',
      `{"events":[${JSON.stringify(event()).slice(0, -1)},"detail":{"__proto__":{"x":1}}}]}`,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^events\[0\]\.detail\.__proto__: /,
    );
  });

  it('refuses ill-formed text on other routes that write (names, policy documents)', async () => {
    const group = await w.admin.api.post('/api/v1/groups', { name: 'Staff \ud800' });
    expect(group.status).toBe(400);
    expect(((await group.json()) as { error: { message: string } }).error.message).toMatch(
      /^name: /,
    );
    const policy = await w.admin.api.post('/api/v1/policies', {
      document: { name: 'P', urlBlocklist: ['ok.test', 'bad\udfff.test'] },
    });
    expect(policy.status).toBe(400);
    expect(((await policy.json()) as { error: { message: string } }).error.message).toMatch(
      /^document\.urlBlocklist\[1\]: /,
    );
  });

  it('a run of lone-surrogate uploads leaves the chain verifying', async () => {
    for (const text of LONE) {
      for (const field of ['url', 'ruleId', 'ruleName']) {
        expect((await upload([event({ [field]: text })])).status).toBe(400);
      }
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('every accepted event reads back identical (query and NDJSON export); the chain verifies', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(...LONE),
      fc.string({ unit: 'grapheme', maxLength: 10 }),
      fc.constant('nul \u0000'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ url: text, ruleId: text, ruleName: text, note: text }),
        async ({ url, ruleId, ruleName, note }) => {
          const e = event({ url, ruleId, ruleName, detail: { note } });
          const res = await upload([e]);
          const wellFormed = [url, ruleId, ruleName, note].every(
            (s) => s.isWellFormed() && !s.includes('\0'),
          );
          expect(res.status).toBe(wellFormed ? 200 : 400);
          if (!wellFormed) return;
          const { events } = await w.auditor.api.json<{ events: StoredAuditEvent[] }>(
            'GET',
            `/api/v1/audit?deviceId=${w.device.id}&limit=1`,
          );
          expect(events[0]).toMatchObject({ id: e.id, url, ruleId, ruleName, detail: { note } });
          const exported = await w.auditor.api.get(
            `/api/v1/audit/export?format=ndjson&deviceId=${w.device.id}`,
          );
          const lines = (await exported.text()).trim().split('\n');
          const last = JSON.parse(lines[lines.length - 1]!) as StoredAuditEvent;
          expect(last).toEqual(events[0]);
        },
      ),
      { numRuns: 60 },
    );
    expect(await verify()).toMatchObject({ ok: true });
  });
});
