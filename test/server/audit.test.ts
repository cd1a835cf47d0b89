import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredAuditEvent } from '../../core/audit/types.ts';
import { login } from '../helpers/passkey-flows.ts';
import { makeWorld, type World } from './support/world.ts';
import { blockedNavigation as event } from './support/audit-events.ts';

async function errorOf(res: Response) {
  return (
    (await res.json()) as { error: { code: string; message: string; details?: { index: number } } }
  ).error;
}

describe('audit ingest', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  const count = async (filter = '') =>
    (
      await w.auditor.api.json<{ events: unknown[] }>(
        'GET',
        `/api/v1/audit?kind=navigation&limit=1000${filter}`,
      )
    ).events.length;

  it('stores a batch once, however often it is retried', async () => {
    const batch = [event(), event(), event()];
    const first = await w.device.api.json('POST', '/api/v1/device/audit', { events: batch });
    expect(first).toEqual({ accepted: 3, duplicates: 0 });
    const retry = await w.device.api.json('POST', '/api/v1/device/audit', { events: batch });
    expect(retry).toEqual({ accepted: 0, duplicates: 3 });
    const mixed = await w.device.api.json('POST', '/api/v1/device/audit', {
      events: [batch[0], event(), event()],
    });
    expect(mixed).toEqual({ accepted: 2, duplicates: 1 });
    expect(await count()).toBe(5);
  });

  it('rejects the whole batch when one event is invalid, naming it', async () => {
    const before = await count();
    const res = await w.device.api.post('/api/v1/device/audit', {
      events: [event(), event({ level: 'ALLOW' }), event()],
    });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.details?.index).toBe(1);
    expect(error.message).toMatch(/^events\[1\]: level/);
    expect(await count()).toBe(before);
  });

  it('answers 413 to more than 1,000 events or more than 1 MB', async () => {
    const many = Array.from({ length: 1001 }, () => event());
    const tooMany = await w.device.api.post('/api/v1/device/audit', { events: many });
    expect(tooMany.status).toBe(413);
    expect((await errorOf(tooMany)).message).toMatch(/at most 1000 events/);
    const huge = {
      events: [event({ url: 'https://x.test/' + 'a'.repeat(4000) })],
      pad: 'x'.repeat(1024 * 1024),
    };
    const tooBig = await w.device.api.post('/api/v1/device/audit', huge);
    expect(tooBig.status).toBe(413);
    expect((await errorOf(tooBig)).code).toBe('payload_too_large');
  });

  it('attributes events to the device and its user', async () => {
    const id = randomUUID();
    await w.device.api.json('POST', '/api/v1/device/audit', { events: [event({ id })] });
    const { events } = await w.auditor.api.json<{ events: StoredAuditEvent[] }>(
      'GET',
      `/api/v1/audit?deviceId=${w.device.id}&limit=1`,
    );
    expect(events[0]).toMatchObject({
      id,
      deviceId: w.device.id,
      userId: w.employee.user.id,
      userEmail: 'emil@example.com',
    });
    expect(events[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('audit query, export, stats', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    const events = [];
    for (let i = 0; i < 30; i++) {
      events.push(
        event({
          time: new Date(Date.UTC(2026, 10, 20, i)).toISOString(),
          url: i % 3 === 0 ? 'https://mail.corp.test/inbox' : 'https://example.com/x',
          ruleId: i % 3 === 0 ? 'corp-copy' : 'example.com',
          kind: i % 3 === 0 ? 'clipboard' : 'navigation',
          action: i % 3 === 0 ? 'copy' : 'navigate',
        }),
      );
    }
    await w.device.api.json('POST', '/api/v1/device/audit', { events });
  });
  afterAll(() => w.t.close());

  it('pages newest first with a cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { events: StoredAuditEvent[]; nextCursor: string | null } =
        await w.auditor.api.json(
          'GET',
          `/api/v1/audit?kind=navigation&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        );
      seen.push(...page.events.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(20);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it('filters by time, rule, URL substring and kind', async () => {
    const q = (s: string) =>
      w.auditor.api.json<{ events: StoredAuditEvent[] }>('GET', `/api/v1/audit?limit=1000&${s}`);
    expect((await q('ruleId=corp-copy')).events).toHaveLength(10);
    expect((await q('url=mail.corp')).events).toHaveLength(10);
    const window = await q('from=2026-11-20T05:00:00Z&to=2026-11-20T10:00:00Z&kind=navigation');
    expect(window.events.map((e) => e.time)).toEqual([
      '2026-11-20T08:00:00.000Z',
      '2026-11-20T07:00:00.000Z',
      '2026-11-20T05:00:00.000Z',
    ]);
    const admin = await q('kind=admin');
    expect(admin.events.map((e) => e.adminAction)).toEqual(
      expect.arrayContaining(['setup.complete', 'policy.publish', 'device.revoke', 'user.invite']),
    );
    const bad = await w.auditor.api.get('/api/v1/audit?from=yesterday');
    expect(bad.status).toBe(400);
  });

  it('counts blocked access over time, by rule and by site', async () => {
    const stats = await w.auditor.api.json<{
      overTime: { bucket: string; count: number }[];
      topRules: { ruleId: string; count: number }[];
      topSites: { site: string; count: number }[];
    }>('GET', '/api/v1/audit/stats?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z');
    expect(stats.overTime).toHaveLength(24);
    expect(stats.overTime[0]).toEqual({ bucket: '2026-11-20T00:00:00.000Z', count: 1 });
    expect(stats.topRules).toEqual([
      { ruleId: 'example.com', count: 16 },
      { ruleId: 'corp-copy', count: 8 },
    ]);
    expect(stats.topSites[0]).toEqual({ site: 'example.com', count: 16 });
  });

  it('exports NDJSON, oldest first, every field', async () => {
    const res = await w.auditor.api.get('/api/v1/audit/export?format=ndjson&kind=clipboard');
    expect(res.headers.get('content-type')).toMatch(/ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="palisade-audit-.*\.ndjson"/,
    );
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StoredAuditEvent);
    expect(lines).toHaveLength(10);
    expect(lines[0]!.seq).toBeLessThan(lines[9]!.seq);
    expect(lines[0]).toMatchObject({
      kind: 'clipboard',
      ruleId: 'corp-copy',
      url: 'https://mail.corp.test/inbox',
    });
  });

  it('exports CSV with RFC 4180 quoting and no formula injection', async () => {
    const id = randomUUID();
    await w.device.api.json('POST', '/api/v1/device/audit', {
      events: [
        event({
          id,
          url: 'https://x.test/a,b"c',
          ruleName: 'line one\nline "two"',
          ruleId: '=HYPERLINK("http://evil")',
          detail: { reason: 'a,b' },
        }),
      ],
    });
    const res = await w.auditor.api.get(`/api/v1/audit/export?format=csv&deviceId=${w.device.id}`);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await res.text();
    const [header, ...rows] = parseCsv(text);
    expect(header!.slice(0, 3)).toEqual(['seq', 'id', 'time']);
    const row = rows.find((r) => r[1] === id)!;
    const col = (name: string) => row[header!.indexOf(name)];
    expect(col('url')).toBe('https://x.test/a,b"c');
    expect(col('ruleName')).toBe('line one\nline "two"');
    expect(col('ruleId')).toBe(`'=HYPERLINK("http://evil")`);
    expect(JSON.parse(col('detail')!)).toEqual({ reason: 'a,b' });
    expect(rows.filter((r) => r.length > 1)).toHaveLength(31);
    expect(text.endsWith('\r\n')).toBe(true);
  });
});

describe('audit chain', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await w.device.api.json('POST', '/api/v1/device/audit', {
      events: [event(), event(), event()],
    });
  });
  afterAll(() => w.t.close());

  const verify = () =>
    w.auditor.api.json<{
      ok: boolean;
      checked: number;
      firstBroken?: { seq: number; reason: string };
    }>('GET', '/api/v1/audit/verify');

  it('verifies an untouched chain', async () => {
    const result = await verify();
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(5);
  });

  it('keeps verifying across retention pruning (checkpoint)', async () => {
    w.t.advance(3 * 86_400_000);
    await login(w.auditor.api, w.auditor.auth); // three days later the session is long gone
    await w.device.api.json('POST', '/api/v1/device/audit', { events: [event()] });
    const deleted = await w.t.services.audit.prune(1);
    expect(deleted).toBeGreaterThan(5);
    const result = await verify();
    expect(result).toMatchObject({ ok: true });
    expect(await w.t.store.getAuditCheckpoint()).toMatchObject({ seq: expect.any(Number) });
  });

  it('refuses updates, and detects a row edited behind its back', async () => {
    const db = w.t.store.db;
    const target = db
      .prepare(`SELECT seq FROM audit_events WHERE kind = 'navigation' ORDER BY seq LIMIT 1`)
      .get() as {
      seq: number;
    };
    expect(() =>
      db
        .prepare(`UPDATE audit_events SET url = 'https://harmless.test/' WHERE seq = ?`)
        .run(target.seq),
    ).toThrow(/append-only/);
    // Someone with the database file drops the trigger and edits the row.
    db.exec('DROP TRIGGER audit_events_no_update');
    db.prepare(`UPDATE audit_events SET url = 'https://harmless.test/' WHERE seq = ?`).run(
      target.seq,
    );
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({
      seq: target.seq,
      reason: expect.stringMatching(/edited/),
    });
  });

  it('detects a deleted row', async () => {
    const db = w.t.store.db;
    const rows = db.prepare(`SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 2`).all() as {
      seq: number;
    }[];
    db.prepare(`DELETE FROM audit_events WHERE seq = ?`).run(rows[1]!.seq);
    const result = await verify();
    expect(result.ok).toBe(false);
  });
});

/** A strict RFC 4180 reader, so the test checks the quoting rather than trusting it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
