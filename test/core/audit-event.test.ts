import { describe, expect, it } from 'vitest';
import { reduceUrl } from '../../core/audit/reduce-url.ts';
import { validateAuditEvent } from '../../core/audit/validate-audit-event.ts';

const good = {
  id: '0b8f0a4e-7c1d-4a53-9d55-1f3f7f0b2a11',
  time: '2026-11-28T10:00:00.000Z',
  kind: 'navigation',
  level: 'BLOCK',
  outcome: 'blocked',
  url: 'https://games.test',
  ruleId: 'games.test',
  action: 'navigate',
  policyVersion: 4,
};

describe('validateAuditEvent', () => {
  it('accepts a well-formed event', () => {
    expect(validateAuditEvent(good)).toEqual({ ok: true, event: good });
  });

  it.each([
    [{ ...good, id: 'x' }, 'id'],
    [{ ...good, time: 'yesterday' }, 'time'],
    [{ ...good, kind: 'history' }, 'kind'],
    [{ ...good, level: 'ALLOW' }, 'level'],
    [{ ...good, outcome: 'maybe' }, 'outcome'],
    [{ ...good, pageText: 'secret' }, 'unknown field "pageText"'],
    [{ ...good, detail: { a: { nested: true } } }, 'detail.a'],
    [{ ...good, policyVersion: -1 }, 'policyVersion'],
    [null, 'object'],
  ])('refuses %j naming %s', (input, word) => {
    const r = validateAuditEvent(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(word);
  });
});

describe('reduceUrl', () => {
  const url = 'https://user:pw@mail.test:8443/inbox/42?q=salary#top';
  it.each([
    ['full', 'https://mail.test:8443/inbox/42?q=salary'],
    ['origin', 'https://mail.test:8443'],
    ['none', undefined],
  ] as const)('%s', (detail, expected) => {
    expect(reduceUrl(url, detail)).toBe(expected);
  });
});
