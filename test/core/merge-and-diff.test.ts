import { describe, expect, it } from 'vitest';
import { diffPolicy } from '../../core/policy/diff-policy.ts';
import { mergePolicies } from '../../core/policy/merge-policies.ts';
import type { PolicyDocument } from '../../core/policy/types.ts';

const org: PolicyDocument = {
  name: 'Org',
  urlBlocklist: ['games.test', 'social.test'],
  dataControls: [
    { name: 'Print', rule_id: 'print', restrictions: [{ class: 'PRINTING', level: 'WARN' }] },
  ],
  httpsOnly: { hosts: ['intranet.test'], mode: 'upgrade' },
  auditUrlDetail: 'full',
  messages: { contact: 'it@org.test', blockedPage: 'Blocked by the org.' },
};
const staff: PolicyDocument = {
  name: 'Staff',
  targetGroups: ['staff'],
  urlBlocklist: ['social.test', 'video.test'],
  urlAllowlist: ['social.test/company-page'],
  dataControls: [
    {
      name: 'Print stricter',
      rule_id: 'print',
      restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
    },
  ],
  httpsOnly: { hosts: ['HR.test'], mode: 'block' },
  auditUrlDetail: 'origin',
  messages: { blockedPage: 'Staff may not open this.' },
};

describe('mergePolicies', () => {
  const merged = mergePolicies([org, staff]);

  it('unions URL lists without duplicates', () => {
    expect(merged.urlBlocklist).toEqual(['games.test', 'social.test', 'video.test']);
    expect(merged.urlAllowlist).toEqual(['social.test/company-page']);
  });

  it('lets a later (group) rule override an org rule with the same rule_id', () => {
    expect(merged.dataControls).toHaveLength(1);
    expect(merged.dataControls[0]?.restrictions[0]?.level).toBe('BLOCK');
  });

  it('takes the stricter httpsOnly mode and the least URL detail', () => {
    expect(merged.httpsOnly).toEqual({ hosts: ['intranet.test', 'hr.test'], mode: 'block' });
    expect(merged.auditUrlDetail).toBe('origin');
  });

  it('takes each message from the last policy that sets it', () => {
    expect(merged.messages).toEqual({
      contact: 'it@org.test',
      blockedPage: 'Staff may not open this.',
    });
  });

  it('defaults to origin-level audit URLs and names its sources', () => {
    const empty = mergePolicies([]);
    expect(empty.auditUrlDetail).toBe('origin');
    expect(merged.sources).toEqual(['Org', 'Staff']);
  });
});

describe('diffPolicy', () => {
  it('compares filter lists as sets and rules by id', () => {
    const after: PolicyDocument = {
      ...org,
      urlBlocklist: ['social.test', 'news.test', 'games.test'].filter((f) => f !== 'games.test'),
      dataControls: [
        { ...org.dataControls![0]!, restrictions: [{ class: 'PRINTING', level: 'BLOCK' }] },
      ],
    };
    expect(diffPolicy(org, after)).toEqual([
      { path: 'urlBlocklist', op: 'remove', before: 'games.test' },
      { path: 'urlBlocklist', op: 'add', after: 'news.test' },
      {
        path: 'dataControls[rule_id=print]',
        op: 'change',
        before: org.dataControls![0],
        after: after.dataControls![0],
      },
    ]);
  });

  it('ignores reordering and key order', () => {
    const reordered = JSON.parse(
      JSON.stringify({ ...org, urlBlocklist: ['social.test', 'games.test'] }),
    );
    expect(diffPolicy(org, reordered)).toEqual([]);
  });

  it('treats a first publish as all additions', () => {
    expect(diffPolicy(null, { urlBlocklist: ['a.test'] })).toEqual([
      { path: 'urlBlocklist', op: 'add', after: 'a.test' },
    ]);
  });
});
