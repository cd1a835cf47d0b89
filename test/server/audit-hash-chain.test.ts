/**
 * `chainHash` writes the RFC 8785 text of a row directly (ingest's hot path); verification
 * hashes `canonicalJson(toStoredEvent(row))`. The two must give the same bytes for every
 * row, or a chain written fast would not verify: each case below compares them.
 */
import { describe, expect, it } from 'vitest';
import { chainHash, eventHash } from '../../server/audit/hash-chain.ts';
import { toStoredEvent } from '../../server/audit/stored-event.ts';
import type { AuditRow } from '../../server/store/types.ts';
import { canonicalJson } from '../../server/util/canonical-json.ts';
import { sha256Hex } from '../../server/util/tokens.ts';

type Row = Omit<AuditRow, 'hash'>;

const base: Row = {
  seq: 7,
  eventId: '0b6f7c1e-2f0a-4c55-9d1b-3b3e0c4f5a61',
  time: '2026-12-03T10:00:00.000Z',
  kind: 'navigation',
  level: 'BLOCK',
  outcome: 'blocked',
  url: 'https://games.example/play',
  destinationUrl: null,
  ruleId: 'games.example',
  ruleName: 'Games',
  action: 'navigate',
  policyVersion: 3,
  detail: null,
  receivedAt: '2026-12-03T10:00:01.000Z',
  deviceId: 'dev-1',
  userId: 'user-1',
  userEmail: 'ana@corp.test',
  claimedEmail: null,
  actor: null,
  adminAction: null,
  target: null,
  site: 'games.example',
  hashVersion: 2,
  prevHash: '0'.repeat(64),
};

const generic = (row: Row) => sha256Hex(canonicalJson(toStoredEvent(row)));

const cases: [string, Partial<Row>][] = [
  ['a device event', {}],
  [
    'every column set',
    {
      destinationUrl: 'https://other.example/',
      detail: canonicalJson({ b: 1, a: [true, null, 'x'] }),
      claimedEmail: 'claimed@corp.test',
      actor: 'ana@corp.test',
      adminAction: 'policy.publish',
      target: 'policy:1',
    },
  ],
  [
    'only the required columns',
    {
      level: null,
      outcome: null,
      url: null,
      ruleId: null,
      ruleName: null,
      action: null,
      policyVersion: null,
      deviceId: null,
      userId: null,
      userEmail: null,
      site: null,
    },
  ],
  ['an admin action', { kind: 'admin', actor: 'system', adminAction: 'audit.prune' }],
  ['quotes, backslashes and control characters', { url: 'https://x.test/"a"\\b\n\t\u0001' }],
  ['non-ASCII text and an astral character', { ruleName: 'Règle 日本 😀', target: '\u2028' }],
  ['a detail with __proto__, nesting and numbers', { detail: '{"__proto__":{"n":1e21},"z":-0}' }],
  ['a detail stored in non-canonical form', { detail: '{ "b": 1.50, "a": "\\u0041" }' }],
  ['a large policy version and seq', { policyVersion: 2 ** 53 - 1, seq: 123456789 }],
  ['an empty string', { ruleName: '', url: '' }],
];

describe('chainHash', () => {
  it.each(cases)('hashes %s as the generic RFC 8785 form does', (_name, patch) => {
    const row = { ...base, ...patch };
    expect(chainHash(row)).toBe(generic(row));
    expect(chainHash(row)).toBe(eventHash(toStoredEvent(row)));
  });

  it('refuses a lone surrogate, as the generic form does', () => {
    const row = { ...base, ruleName: 'bad \ud800 text' };
    expect(() => generic(row)).toThrow();
    expect(() => chainHash(row)).toThrow();
  });

  it('hashes a version 1 row with the legacy scheme', () => {
    const row = { ...base, hashVersion: 1 };
    expect(chainHash(row)).toBe(eventHash(toStoredEvent(row)));
    expect(chainHash(row)).not.toBe(generic(row));
  });

  it('changes when any column changes', () => {
    const seen = new Set([chainHash(base)]);
    for (const column of Object.keys(base) as (keyof Row)[]) {
      const value = base[column];
      const changed = typeof value === 'number' ? value + 1 : `${String(value ?? '')}x`;
      const row = { ...base, [column]: column === 'detail' ? '{"x":1}' : changed };
      if (column === 'hashVersion') continue; // another scheme, covered above
      seen.add(chainHash(row));
    }
    expect(seen.size).toBe(Object.keys(base).length);
  });
});
