/// <reference lib="es2024.string" />
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../server/store/store.ts';
import { GENESIS_HASH } from '../../../server/store/types.ts';
import { at, backends } from './backends.ts';
import { append, auditEvent, SIGNED, verify } from './fixtures.ts';

const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `e${from + i}`);

describe.each(backends())('store contract: audit trail ($name)', (backend) => {
  it('appends a batch as consecutive, linked rows', async () => {
    const store = await backend.open();
    expect(
      await append(
        store,
        ids(3).map((id) => auditEvent(id)),
      ),
    ).toEqual({ accepted: 3, duplicates: 0 });
    const rows = await store.listAudit({}, { order: 'asc', limit: 10 });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[0]).toMatchObject({ ...auditEvent('e0'), seq: 1 });
    expect(await verify(store)).toEqual({ ok: true, checked: 3 });
  });

  // What the HTTP boundary lets through (well-formed, no U+0000, which PostgreSQL cannot
  // store) both stores keep to the code unit.
  it('stores any well-formed text without NUL exactly, and the chain verifies', async () => {
    const store = await backend.open();
    const texts = fc
      .sample(fc.string({ unit: 'binary', maxLength: 30 }), 200)
      .filter((t) => t.isWellFormed() && !t.includes('\0'));
    texts.push('\u{10FFFF}', '\uFEFFbom', 'e\u0301', '\u{1F6AB}\u200D', '\r\n\t\u2028');
    const rows = texts.map((t, i) =>
      auditEvent(`u${i}`, { url: t, ruleName: t, detail: JSON.stringify({ t }) }),
    );
    await append(store, rows);
    const back = await store.listAudit({}, { order: 'asc', limit: 1000 });
    expect(back.map((r) => [r.url, r.ruleName, r.detail])).toEqual(
      rows.map((r) => [r.url, r.ruleName, r.detail]),
    );
    expect(await verify(store)).toEqual({ ok: true, checked: rows.length });
  });

  it('skips event ids it already has, and repeats within a batch', async () => {
    const store = await backend.open();
    await append(store, [auditEvent('a'), auditEvent('b')]);
    expect(
      await append(store, [auditEvent('b'), auditEvent('c'), auditEvent('c'), auditEvent('a')]),
    ).toEqual({
      accepted: 1,
      duplicates: 3,
    });
    expect(await append(store, [auditEvent('a')])).toEqual({ accepted: 0, duplicates: 1 });
    expect((await store.listAudit({}, { order: 'asc', limit: 10 })).map((r) => r.eventId)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(await verify(store)).toEqual({ ok: true, checked: 3 });
  });

  // A full batch is looked up and written in statements of many rows: known ids and
  // repeats anywhere in it, across those statements' bounds, are still skipped.
  it('skips known ids and repeats anywhere in a full batch of 1000', async () => {
    const store = await backend.open();
    await append(
      store,
      ids(1000)
        .filter((_, i) => i % 7 === 0)
        .map((id) => auditEvent(id)),
    );
    const batch = ids(1000).map((id) => auditEvent(id));
    batch.push(
      ...ids(1000)
        .filter((_, i) => i % 97 === 0)
        .map((id) => auditEvent(id)),
    );
    const known = Math.ceil(1000 / 7);
    expect(await append(store, batch)).toEqual({
      accepted: 1000 - known,
      duplicates: known + Math.ceil(1000 / 97),
    });
    const rows = await store.listAudit({}, { order: 'asc', limit: 2000 });
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(1000);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(await verify(store)).toEqual({ ok: true, checked: 1000 });
  });

  // Rows are linked as if no id were stored, and linked again without the stored ones when
  // the insert meets one: a known id as the very last of 1000 rows undoes the rows of the
  // same batch written before it, and nothing of a batch committed beside it.
  it('skips a known id at the end of a full batch, beside a batch committed with it', async () => {
    const store = await backend.open();
    await append(store, [auditEvent('e999')]);
    const [full, beside] = await Promise.all([
      append(
        store,
        ids(1000).map((id) => auditEvent(id)),
      ),
      append(
        store,
        ids(5, 2000).map((id) => auditEvent(id)),
      ),
    ]);
    expect(full).toEqual({ accepted: 999, duplicates: 1 });
    expect(beside).toEqual({ accepted: 5, duplicates: 0 });
    const rows = await store.listAudit({}, { order: 'asc', limit: 2000 });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 1005 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(1005);
    expect(await verify(store)).toEqual({ ok: true, checked: 1005 });
  });

  it('makes one chain of concurrent, overlapping batches, each event once', async () => {
    const store = await backend.open();
    // Eight retried-and-overlapping batches of 30: ids e0…e169, each batch sharing 10 with the next.
    const batches = Array.from({ length: 8 }, (_, b) =>
      ids(30, b * 20).map((id) => auditEvent(id)),
    );
    const results = await Promise.all(batches.map((batch) => append(store, batch)));
    const unique = new Set(batches.flat().map((e) => e.eventId)).size;
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(unique);
    expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(8 * 30 - unique);
    expect(await verify(store)).toEqual({ ok: true, checked: unique });
  });

  it('filters and pages by seq in both directions, matching URLs literally', async () => {
    const store = await backend.open();
    await append(store, [
      auditEvent('a', { time: at(1), url: 'https://a.test/100%', userId: 'u1' }),
      auditEvent('b', { time: at(2), kind: 'admin', ruleId: null, url: null, userId: 'u1' }),
      auditEvent('c', { time: at(3), url: 'https://c.test/', deviceId: 'd2', ruleId: 'r2' }),
      auditEvent('d', { time: at(4), url: null, destinationUrl: 'https://a.test/paste' }),
    ]);
    const list = async (
      filter: Parameters<Store['listAudit']>[0],
      order: 'asc' | 'desc' = 'asc',
      cursor?: number,
    ) => (await store.listAudit(filter, { order, cursor, limit: 2 })).map((r) => r.eventId);
    expect(await list({})).toEqual(['a', 'b']);
    expect(await list({}, 'asc', 2)).toEqual(['c', 'd']);
    expect(await list({}, 'desc')).toEqual(['d', 'c']);
    expect(await list({}, 'desc', 2)).toEqual(['a']);
    expect(await list({ from: at(2), to: at(4) })).toEqual(['b', 'c']);
    expect(await list({ userId: 'u1', kind: 'admin' })).toEqual(['b']);
    expect(await list({ deviceId: 'd2' })).toEqual(['c']);
    expect(await list({ ruleId: 'r2' })).toEqual(['c']);
    expect(await list({ url: 'a.test' })).toEqual(['a', 'd']);
    expect(await list({ url: '100%' })).toEqual(['a']);
    expect(await list({ url: '_' })).toEqual([]);
  });

  it('counts blocked access over time, by rule and by site, without admin events', async () => {
    const store = await backend.open();
    const hour = 3_600_000;
    await append(store, [
      auditEvent('a', { time: at(10) }),
      auditEvent('b', { time: at(20), site: 'other.test', ruleId: 'r2' }),
      auditEvent('c', { time: at(hour + 5) }),
      auditEvent('d', { time: at(30), kind: 'admin' }),
      auditEvent('e', { time: at(50 * hour) }), // outside the range
    ]);
    const stats = await store.auditStats({ from: at(0), to: at(2 * hour), bucket: 'hour' });
    expect(stats).toEqual({
      overTime: [
        { bucket: at(0), count: 2 },
        { bucket: at(hour), count: 1 },
      ],
      topRules: [
        { ruleId: 'r1', count: 2 },
        { ruleId: 'r2', count: 1 },
      ],
      topSites: [
        { site: 'bad.test', count: 2 },
        { site: 'other.test', count: 1 },
      ],
    });
    const days = await store.auditStats({ from: at(0), to: at(100 * hour), bucket: 'day' });
    expect(days.overTime).toEqual([
      { bucket: at(0), count: 3 },
      { bucket: at(48 * hour), count: 1 },
    ]);
  });

  // Pruning takes the oldest rows up to the first one received at or after the cutoff:
  // a clock set back never lets it take a row received after the cutoff.
  it.each([
    ['all rows before the time', [0, 1000, 2000], 2500, 3],
    ['no row before the time', [3000, 4000], 2500, null],
    ['the clock set back once', [0, 3000, 1000, 2000], 2500, 1],
    ['rows received in one batch', [1000, 1000, 3000], 2500, 2],
  ] as const)('finds the last seq before a time: %s', async (_name, received, time, expected) => {
    const store = await backend.open();
    for (const [i, t] of received.entries()) {
      await append(store, [auditEvent(`r${i}`, { receivedAt: at(t) })]);
    }
    expect(await store.lastAuditSeqBefore(at(time))).toBe(expected);
  });

  it('prunes the oldest rows behind a checkpoint, and the chain still verifies and grows', async () => {
    const store = await backend.open();
    await append(
      store,
      ids(5).map((id, i) => auditEvent(id, { receivedAt: at(i * 1000) })),
    );
    expect(await store.lastAuditSeqBefore(at(2500))).toBe(3);
    expect(await store.lastAuditSeqBefore(at(0))).toBeNull();
    const rows = await store.listAudit({}, { order: 'asc', limit: 5 });
    const third = rows[2]!;
    const checkpoint = (seq: number, hash: string, prunedAt: string) => ({
      seq,
      hash,
      prunedAt,
      signed: SIGNED,
    });
    // A checkpoint whose hash is not the row's is refused, and nothing is deleted.
    expect(await store.pruneAudit(checkpoint(3, rows[1]!.hash, at(9000)))).toBe(0);
    expect(await store.getAuditCheckpoint()).toBeNull();
    expect(await store.pruneAudit(checkpoint(3, third.hash, at(9000)))).toBe(3);
    expect(await store.getAuditCheckpoint()).toEqual(checkpoint(3, third.hash, at(9000)));
    expect(await verify(store)).toEqual({ ok: true, checked: 2 });
    expect(await store.pruneAudit(checkpoint(3, third.hash, at(9001)))).toBe(0);
    // Everything pruned: the next row links to the checkpoint.
    expect(await store.pruneAudit(checkpoint(5, rows[4]!.hash, at(9002)))).toBe(2);
    await append(store, [auditEvent('after')]);
    const [row] = await store.listAudit({}, { order: 'asc', limit: 5 });
    expect(row).toMatchObject({ seq: 6, prevHash: (await store.getAuditCheckpoint())!.hash });
    expect(await verify(store)).toEqual({ ok: true, checked: 1 });
  });

  it('keeps signed heads, the newest first; a head at a stored seq is kept as it was', async () => {
    const store = await backend.open();
    expect(await store.latestAuditHead()).toBeNull();
    const head = (seq: number, signedAt: string) => ({
      seq,
      hash: String(seq).repeat(64).slice(0, 64),
      signedAt,
      signed: { ...SIGNED, payload: `{"seq":${seq}}` },
    });
    await store.putAuditHead(head(0, at(0)));
    await store.putAuditHead(head(7, at(2000)));
    await store.putAuditHead(head(3, at(1000)));
    await store.putAuditHead(head(7, at(5000)));
    expect(await store.latestAuditHead()).toEqual(head(7, at(2000)));
    // Pruning drops heads below the checkpoint with their rows.
    await append(
      store,
      ids(4).map((id) => auditEvent(id)),
    );
    const [, , third] = await store.listAudit({}, { order: 'asc', limit: 3 });
    await store.pruneAudit({ seq: 3, hash: third!.hash, prunedAt: at(9000), signed: SIGNED });
    expect(await store.latestAuditHead()).toEqual(head(7, at(2000)));
  });

  it('signs an unsigned checkpoint only when seq and hash still match', async () => {
    const store = await backend.open();
    await append(
      store,
      ids(2).map((id) => auditEvent(id)),
    );
    const [first] = await store.listAudit({}, { order: 'asc', limit: 1 });
    await store.pruneAudit({ seq: 1, hash: first!.hash, prunedAt: at(9000), signed: SIGNED });
    const other = { ...SIGNED, signature: 'b3RoZXI' };
    await store.signAuditCheckpoint(1, 'f'.repeat(64), other);
    expect((await store.getAuditCheckpoint())!.signed).toEqual(SIGNED);
    await store.signAuditCheckpoint(1, first!.hash, other);
    expect((await store.getAuditCheckpoint())!.signed).toEqual(other);
  });

  it('refuses to edit a stored row, and verification finds a row removed behind its back', async () => {
    const store = await backend.open();
    await append(
      store,
      ids(3).map((id) => auditEvent(id)),
    );
    await expect(
      backend.raw(`UPDATE audit_events SET url = 'https://innocent.test/' WHERE seq = 2`),
    ).rejects.toThrow(/append-only/);
    await backend.raw(`DELETE FROM audit_events WHERE seq = 2`);
    expect(await verify(store)).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
  });
});
