import { describe, expect, it } from 'vitest';
import {
  exceptionFilterFor,
  isGrantableFilter,
  liveExceptions,
  nextExpiry,
  withExceptions,
  type AccessException,
} from '../../core/exceptions/access-exception.ts';
import {
  signExceptionList,
  verifyExceptionList,
  MAX_EXCEPTIONS,
} from '../../core/exceptions/exception-list.ts';
import { generateSigningKeyPair, signEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import { mergePolicies } from '../../core/policy/merge-policies.ts';
import { buildUrlMatcher } from '../../core/policy/url-filter/url-matcher.ts';

const subtle = globalThis.crypto.subtle as unknown as Subtle;
const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe('the exception filter an access request asks for', () => {
  it.each([
    { url: 'https://www.social.test/feed?x=1', block: 'social.test', want: '.www.social.test' },
    { url: 'https://social.test/', block: '*', want: '.social.test' },
    { url: 'http://wiki.test/admin/users', block: 'wiki.test/admin', want: '.wiki.test/admin' },
    { url: 'https://wiki.test/a', block: '.wiki.test', want: '.wiki.test' },
    { url: 'https://a.test/p?mode=edit', block: 'a.test/p?mode=edit', want: '.a.test/p?mode=edit' },
    { url: 'https://a.test:8443/', block: 'a.test', want: '.a.test:8443' },
    { url: 'file:///etc/passwd', block: 'file://*', want: null },
    { url: 'not a url', block: '*', want: null },
  ])('$url blocked by $block → $want', ({ url, block, want }) => {
    const filter = exceptionFilterFor(url, block);
    expect(filter).toBe(want);
    if (!filter) return;
    // It unblocks the URL, and only on that host: a sibling under the same block stays blocked.
    const m = buildUrlMatcher({ blocklist: [block], allowlist: [filter] });
    expect(m.decide(url).verdict).toBe('allow');
    expect(isGrantableFilter(filter)).toBe(true);
    if (block === 'social.test') expect(m.decide('https://m.social.test/').verdict).toBe('block');
  });

  it.each([
    { filter: '.mail.test', ok: true },
    { filter: '.mail.test/inbox', ok: true },
    { filter: 'mail.test', ok: false },
    { filter: '*', ok: false },
    { filter: '.', ok: false },
    { filter: 'https://*', ok: false },
    { filter: `.${'a'.repeat(2050)}.test`, ok: false },
  ])('grantable: $filter → $ok', ({ filter, ok }) => {
    expect(isGrantableFilter(filter)).toBe(ok);
  });
});

describe('exceptions expire by themselves', () => {
  const list: AccessException[] = [
    { id: 'a', filter: '.a.test', expiresAt: at(60_000) },
    { id: 'b', filter: '.b.test', expiresAt: at(3_600_000) },
    { id: 'c', filter: '.c.test', expiresAt: null },
    { id: 'old', filter: '.old.test', expiresAt: at(-1) },
  ];
  it('keeps only the live ones and says when the next one ends', () => {
    expect(liveExceptions(list, NOW).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(nextExpiry(list, NOW)).toBe(NOW + 60_000);
    expect(liveExceptions(list, NOW + 60_000).map((e) => e.id)).toEqual(['b', 'c']);
    expect(nextExpiry(list, NOW + 3_600_000)).toBeNull();
  });

  it('adds live filters to the allowlist, so the matcher allows them until they expire', () => {
    const policy = mergePolicies([{ urlBlocklist: ['*'] }]);
    const decide = (nowMs: number, url: string) =>
      buildUrlMatcher({
        blocklist: policy.urlBlocklist,
        allowlist: withExceptions(policy, list, nowMs).urlAllowlist,
      }).decide(url).verdict;
    expect(decide(NOW, 'https://a.test/')).toBe('allow');
    expect(decide(NOW + 60_000, 'https://a.test/')).toBe('block');
    expect(decide(NOW, 'https://old.test/')).toBe('block');
    expect(withExceptions(policy, [], NOW)).toBe(policy);
  });
});

describe('signed exception lists', async () => {
  const keys = await generateSigningKeyPair(subtle);
  const rogue = await generateSigningKeyPair(subtle);
  const pinned = { keyId: keys.keyId, jwk: keys.publicJwk };
  const exceptions: AccessException[] = [{ id: 'r1', filter: '.a.test', expiresAt: null }];
  const sign = (fields: Partial<{ deviceId: string; issuedAt: string }> = {}, key = keys) =>
    signExceptionList(subtle, { deviceId: 'dev-1', issuedAt: at(0), exceptions, ...fields }, key);

  it('verifies for its device', async () => {
    const check = await verifyExceptionList(subtle, await sign(), { pinned, deviceId: 'dev-1' });
    expect(check).toEqual({
      ok: true,
      issuedAtMs: NOW,
      list: expect.objectContaining({ exceptions }),
    });
  });

  it.each([
    {
      name: 'another device',
      make: () => sign(),
      expect: { deviceId: 'dev-2' },
      code: 'wrong_device',
    },
    { name: 'another key', make: () => sign({}, rogue), expect: {}, code: 'wrong_key' },
    {
      name: 'older than the list in force',
      make: () => sign({ issuedAt: at(-1) }),
      expect: { notBeforeMs: NOW },
      code: 'stale',
    },
    {
      name: 'a policy payload signed with the same key',
      make: () =>
        signEnvelope(
          subtle,
          JSON.stringify({ v: 1, version: 3, groupId: 'g' }),
          keys.keyId,
          keys.privateJwk,
        ),
      expect: {},
      code: 'malformed',
    },
    {
      name: 'too many entries',
      make: () =>
        signExceptionList(
          subtle,
          {
            deviceId: 'dev-1',
            issuedAt: at(0),
            exceptions: Array.from({ length: MAX_EXCEPTIONS + 1 }, (_, i) => ({
              id: `r${i}`,
              filter: '.a.test',
              expiresAt: null,
            })),
          },
          keys,
        ),
      expect: {},
      code: 'malformed',
    },
  ])('refuses $name', async ({ make, expect: extra, code }) => {
    const check = await verifyExceptionList(subtle, await make(), {
      pinned,
      deviceId: 'dev-1',
      ...extra,
    });
    expect(check).toMatchObject({ ok: false, code });
  });

  it('refuses a tampered payload', async () => {
    const signed = await sign();
    const tampered = { ...signed, payload: signed.payload.replace('.a.test', '*') };
    expect(
      await verifyExceptionList(subtle, tampered, { pinned, deviceId: 'dev-1' }),
    ).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
  });
});
