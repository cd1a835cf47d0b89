import { describe, expect, it } from 'vitest';
import { diffPolicy } from '../../../core/policy/diff-policy.ts';
import { mergePolicies } from '../../../core/policy/merge-policies.ts';
import type { PolicyDocument, UrlSchedule } from '../../../core/policy/types.ts';
import { buildUrlMatcher } from '../../../core/policy/url-filter/url-matcher.ts';
import { urlListsAt } from '../../../core/policy/url-schedules.ts';
import { validatePolicy } from '../../../core/policy/validate-policy.ts';

const evenings: UrlSchedule = {
  name: 'Evenings',
  when: { timeZone: 'Europe/Paris', windows: [{ from: '19:00', to: '08:00' }] },
  urlBlocklist: ['crm.example.com'],
};
const lunch: UrlSchedule = {
  name: 'Lunch',
  when: {
    timeZone: 'Europe/Paris',
    windows: [{ days: [1, 2, 3, 4, 5], from: '12:00', to: '14:00' }],
  },
  urlAllowlist: ['news.example.com'],
};
const policy = {
  urlBlocklist: ['news.example.com', 'games.example'],
  urlAllowlist: [],
  urlSchedules: [evenings, lunch],
};

describe('urlListsAt', () => {
  const verdict = (at: string, url: string) => {
    const l = urlListsAt(policy, new Date(at));
    return buildUrlMatcher({ blocklist: l.blocklist, allowlist: l.allowlist }).decide(url).verdict;
  };
  it.each([
    {
      at: '2026-12-02T10:00:00Z',
      url: 'https://crm.example.com/',
      expect: 'allow',
      why: 'Wednesday 11:00: CRM open',
    },
    {
      at: '2026-12-02T19:30:00Z',
      url: 'https://crm.example.com/',
      expect: 'block',
      why: 'Wednesday 20:30: evening block',
    },
    {
      at: '2026-12-03T06:00:00Z',
      url: 'https://crm.example.com/',
      expect: 'block',
      why: 'Thursday 07:00: still the evening window',
    },
    {
      at: '2026-12-02T10:00:00Z',
      url: 'https://news.example.com/',
      expect: 'block',
      why: 'news blocked at 11:00',
    },
    {
      at: '2026-12-02T11:30:00Z',
      url: 'https://news.example.com/',
      expect: 'allow',
      why: 'news allowed at lunch',
    },
    {
      at: '2026-12-05T11:30:00Z',
      url: 'https://news.example.com/',
      expect: 'block',
      why: 'no lunch exception on Saturday',
    },
    {
      at: '2026-12-02T11:30:00Z',
      url: 'https://games.example/',
      expect: 'block',
      why: 'the base list always holds',
    },
  ])('$why', ({ at, url, expect: want }) => {
    expect(verdict(at, url)).toBe(want);
  });

  it('keys the lists by the schedules in force, and is the base lists without schedules', () => {
    expect(urlListsAt(policy, new Date('2026-12-02T11:30:00Z')).key).toBe('01');
    expect(urlListsAt(policy, new Date('2026-12-02T20:00:00Z')).key).toBe('10');
    const plain = { urlBlocklist: ['a.example'], urlAllowlist: ['b.example'] };
    expect(urlListsAt(plain, new Date())).toEqual({
      blocklist: ['a.example'],
      allowlist: ['b.example'],
      key: '',
    });
  });
});

describe('urlSchedules in the policy language', () => {
  it('validates names, when and filters, each at its path', () => {
    const { diagnostics } = validatePolicy({
      urlSchedules: [
        {
          name: 'Evenings',
          when: { timeZone: 'Europe/Paris', windows: [{ from: '19:00', to: '08:00' }] },
          urlBlocklist: ['htp:/bad'],
        },
        { name: 'evenings', urlBlocklist: ['x.example'] },
        { name: 'Nothing', when: { timeZone: 'UTC', windows: [{ from: '10:00', to: '11:00' }] } },
        {
          name: 'Typo',
          when: { timeZone: 'UTC', windows: [{ from: '10:00', to: '11:00' }] },
          urlBlockList: [],
        },
      ],
    });
    expect(diagnostics.map((d) => [d.path, d.severity])).toEqual([
      ['urlSchedules[0].urlBlocklist[0]', 'error'],
      ['urlSchedules[1].name', 'error'],
      ['urlSchedules[1].when', 'error'],
      ['urlSchedules[2]', 'warning'],
      ['urlSchedules[3].urlBlockList', 'error'],
      ['urlSchedules[3]', 'warning'],
    ]);
    expect(diagnostics[1]!.message).toMatch(/already used by urlSchedules\[0\]/);
  });

  it('merges schedules by name, later replacing earlier, and leaves them out when there are none', () => {
    const later: UrlSchedule = {
      ...evenings,
      urlBlocklist: ['crm.example.com', 'erp.example.com'],
    };
    const merged = mergePolicies([{ urlSchedules: [evenings, lunch] }, { urlSchedules: [later] }]);
    expect(merged.urlSchedules).toEqual([lunch, later]);
    expect('urlSchedules' in mergePolicies([{ urlBlocklist: ['x.example'] }])).toBe(false);
  });

  it('diffs schedules by name', () => {
    const before: PolicyDocument = { urlSchedules: [evenings] };
    const after: PolicyDocument = { urlSchedules: [{ ...evenings, urlBlocklist: [] }, lunch] };
    expect(diffPolicy(before, after).map((c) => [c.path, c.op])).toEqual([
      ['urlSchedules[name=Evenings]', 'change'],
      ['urlSchedules[name=Lunch]', 'add'],
    ]);
  });
});
