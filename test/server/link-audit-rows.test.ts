/** The chain linking both stores call inside their append transaction, on its own. */
import { describe, expect, it } from 'vitest';
import { chainHash } from '../../server/audit/hash-chain.ts';
import { linkAuditRows } from '../../server/audit/link-audit-rows.ts';
import { chainTip, GENESIS_HASH } from '../../server/store/types.ts';
import { auditEvent } from './store-contract/fixtures.ts';

const tip = { seq: 41, hash: 'a'.repeat(64) };

describe('linkAuditRows', () => {
  it('continues the sequence from the tip, each row linked to the one before', () => {
    const rows = linkAuditRows({
      rows: [auditEvent('a'), auditEvent('b'), auditEvent('c')],
      tip,
      stored: new Set(),
    });
    expect(rows.map((r) => [r.eventId, r.seq])).toEqual([
      ['a', 42],
      ['b', 43],
      ['c', 44],
    ]);
    expect(rows.map((r) => r.prevHash)).toEqual([tip.hash, rows[0]!.hash, rows[1]!.hash]);
    for (const row of rows) {
      const { hash, ...unhashed } = row;
      expect(hash).toBe(chainHash(unhashed));
    }
  });

  it('skips ids already stored and repeats within the batch, leaving no gap in seq', () => {
    const rows = linkAuditRows({
      rows: [auditEvent('a'), auditEvent('b'), auditEvent('b'), auditEvent('c'), auditEvent('a')],
      tip,
      stored: new Set(['a']),
    });
    expect(rows.map((r) => [r.eventId, r.seq])).toEqual([
      ['b', 42],
      ['c', 43],
    ]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
  });

  it('changes every later hash when an earlier row changes', () => {
    const link = (url: string) =>
      linkAuditRows({
        rows: [auditEvent('a', { url }), auditEvent('b')],
        tip,
        stored: new Set(),
      });
    expect(link('https://one.test/')[1]!.hash).not.toBe(link('https://two.test/')[1]!.hash);
  });
});

describe('chainTip', () => {
  const last = { seq: 9, hash: 'b'.repeat(64) };
  const checkpoint = { seq: 5, hash: 'c'.repeat(64) };
  it.each([
    { name: 'the last row', last, checkpoint, expected: last },
    {
      name: 'the checkpoint of a fully pruned trail',
      last: null,
      checkpoint,
      expected: checkpoint,
    },
    {
      name: 'genesis',
      last: undefined,
      checkpoint: null,
      expected: { seq: 0, hash: GENESIS_HASH },
    },
  ])('links onto $name', ({ last, checkpoint, expected }) => {
    expect(chainTip(last, checkpoint)).toEqual(expected);
  });
});
