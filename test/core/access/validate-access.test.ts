import { describe, expect, it } from 'vitest';
import { diffPolicy } from '../../../core/policy/diff-policy.ts';
import { mergePolicies } from '../../../core/policy/merge-policies.ts';
import { devicePolicy } from '../../../core/policy/policy-payload.ts';
import type { AppFamily, PolicyDocument } from '../../../core/policy/types.ts';
import { validatePolicy } from '../../../core/policy/validate-policy.ts';
import { OFFICE_AND_SATURDAY_NIGHT, STRICT_DEVICE } from './fixtures.ts';

const withAccess = (access: unknown) => ({
  apps: [{ id: 'crm', name: 'CRM', urls: ['crm.example.com'], access }],
});
const errors = (access: unknown, groups?: string[]) =>
  validatePolicy(withAccess(access), { groups })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => ({ path: d.path, message: d.message }));

const GOOD = {
  groups: ['Sales'],
  device: STRICT_DEVICE,
  when: OFFICE_AND_SATURDAY_NIGHT,
  where: { networks: ['203.0.113.0/24', '2001:db8::/32', '::ffff:198.51.100.0/120'] },
  maxDevicesPerUser: 2,
};

describe('apps[].access validation', () => {
  it('accepts a full rule', () => {
    const r = validatePolicy(withAccess(GOOD), { groups: ['Sales', 'Support'] });
    expect(r.diagnostics).toEqual([]);
    expect(r.document?.apps?.[0]?.access).toEqual(GOOD);
  });

  it('accepts an empty rule (defaults: any group, an enrolled device)', () => {
    expect(errors({})).toEqual([]);
  });

  const table: {
    name: string;
    access: unknown;
    groups?: string[];
    path: string;
    message: RegExp;
  }[] = [
    { name: 'not an object', access: 'yes', path: 'apps[0].access', message: /must be an object/ },
    {
      name: 'unknown key',
      access: { grups: ['Sales'] },
      path: 'apps[0].access.grups',
      message: /did you mean "groups"/,
    },
    {
      name: 'unknown group',
      access: { groups: ['Sals'] },
      groups: ['Sales'],
      path: 'apps[0].access.groups[0]',
      message: /no group named "Sals".*"Sales"/,
    },
    {
      name: 'empty groups',
      access: { groups: [] },
      path: 'apps[0].access.groups',
      message: /is empty, so nobody could open this app/,
    },
    {
      name: 'bad trust',
      access: { device: { trust: 'trusted' } },
      path: 'apps[0].access.device.trust',
      message: /"managed", "enrolled", "none"/,
    },
    {
      name: 'bad version',
      access: { device: { minBrowserVersion: { chrome: '120' } } },
      path: 'apps[0].access.device.minBrowserVersion.chrome',
      message: /whole number/,
    },
    {
      name: 'browser name',
      access: { device: { minBrowserVersion: { 'Google Chrome': 120 } } },
      path: 'apps[0].access.device.minBrowserVersion.Google Chrome',
      message: /lowercase browser name/,
    },
    {
      name: 'no browsers',
      access: { device: { minBrowserVersion: {} } },
      path: 'apps[0].access.device.minBrowserVersion',
      message: /no browser would qualify/,
    },
    {
      name: 'policy age',
      access: { device: { maxPolicyAgeMinutes: 0 } },
      path: 'apps[0].access.device.maxPolicyAgeMinutes',
      message: /from 1 to/,
    },
    {
      name: 'incognito',
      access: { device: { incognitoCovered: 'yes' } },
      path: 'apps[0].access.device.incognitoCovered',
      message: /true or false/,
    },
    {
      name: 'bad zone',
      access: { when: { timeZone: 'Europe/Pariss', windows: [{ from: '08:00', to: '19:00' }] } },
      path: 'apps[0].access.when.timeZone',
      message: /not an IANA time zone — did you mean "Europe\/Paris"/,
    },
    {
      name: 'offset zone',
      access: { when: { timeZone: '+01:00', windows: [{ from: '08:00', to: '19:00' }] } },
      path: 'apps[0].access.when.timeZone',
      message: /not an offset/,
    },
    {
      name: 'no zone',
      access: { when: { windows: [{ from: '08:00', to: '19:00' }] } },
      path: 'apps[0].access.when.timeZone',
      message: /is required/,
    },
    {
      name: 'no windows',
      access: { when: { timeZone: 'UTC', windows: [] } },
      path: 'apps[0].access.when.windows',
      message: /never be available/,
    },
    {
      name: 'bad hour',
      access: { when: { timeZone: 'UTC', windows: [{ from: '8:00', to: '19:00' }] } },
      path: 'apps[0].access.when.windows[0].from',
      message: /"8:00" is not a time as "HH:MM"/,
    },
    {
      name: '24:00 only ends',
      access: { when: { timeZone: 'UTC', windows: [{ from: '24:00', to: '19:00' }] } },
      path: 'apps[0].access.when.windows[0].from',
      message: /HH:MM/,
    },
    {
      name: 'empty window',
      access: { when: { timeZone: 'UTC', windows: [{ from: '10:00', to: '10:00' }] } },
      path: 'apps[0].access.when.windows[0]',
      message: /window is empty/,
    },
    {
      name: 'bad day',
      access: { when: { timeZone: 'UTC', windows: [{ days: [0], from: '08:00', to: '19:00' }] } },
      path: 'apps[0].access.when.windows[0].days[0]',
      message: /1 \(Monday\) to 7 \(Sunday\)/,
    },
    {
      name: 'no days',
      access: { when: { timeZone: 'UTC', windows: [{ days: [], from: '08:00', to: '19:00' }] } },
      path: 'apps[0].access.when.windows[0].days',
      message: /never opens/,
    },
    {
      name: 'host bits',
      access: { where: { networks: ['10.0.0.1/8'] } },
      path: 'apps[0].access.where.networks[0]',
      message: /starts at 10\.0\.0\.0\/8/,
    },
    {
      name: 'not a range',
      access: { where: { networks: ['office'] } },
      path: 'apps[0].access.where.networks[0]',
      message: /not an IP address or CIDR range/,
    },
    {
      name: 'no networks',
      access: { where: { networks: [] } },
      path: 'apps[0].access.where.networks',
      message: /no network could reach/,
    },
    {
      name: 'device cap',
      access: { maxDevicesPerUser: 1.5 },
      path: 'apps[0].access.maxDevicesPerUser',
      message: /whole number from 1 to 100/,
    },
  ];
  it.each(table)('$name → $path', ({ access, groups, path, message }) => {
    const found = errors(access, groups);
    const at = found.find((d) => d.path === path);
    expect(at, JSON.stringify(found)).toBeDefined();
    expect(at!.message).toMatch(message);
  });

  it('without the group list (core alone), group names are not checked', () => {
    expect(errors({ groups: ['Anyone'] })).toEqual([]);
  });

  it('reports every problem of a rule at once', () => {
    const found = errors({
      groups: [],
      when: { timeZone: 'Nowhere', windows: [] },
      where: { networks: ['x'] },
    });
    expect(found.map((d) => d.path)).toEqual([
      'apps[0].access.groups',
      'apps[0].access.when.timeZone',
      'apps[0].access.when.windows',
      'apps[0].access.where.networks[0]',
    ]);
  });
});

describe('access through merge, diff and the device payload', () => {
  const org: PolicyDocument = {
    name: 'Org',
    apps: [{ id: 'crm', name: 'CRM', urls: ['crm.example.com'], access: { groups: ['Sales'] } }],
  };

  it('a later app family replaces the access rule when it sets one, and keeps it when it sets none', () => {
    const replaced = mergePolicies([
      org,
      {
        apps: [
          { id: 'crm', name: 'CRM', urls: ['crm.example.com'], access: { groups: ['Support'] } },
        ],
      },
    ]);
    expect(replaced.apps[0]!.access).toEqual({ groups: ['Support'] });
    const kept = mergePolicies([
      org,
      { apps: [{ id: 'crm', name: 'CRM', urls: ['crm.example.com', 'crm2.example.com'] }] },
    ]);
    expect(kept.apps[0]!.urls).toEqual(['crm.example.com', 'crm2.example.com']);
    expect(kept.apps[0]!.access).toEqual({ groups: ['Sales'] });
  });

  it('the diff names the access field of the app that changed', () => {
    const after: PolicyDocument = {
      ...org,
      apps: [{ ...org.apps![0]!, access: { groups: ['Sales'], maxDevicesPerUser: 2 } }],
    };
    expect(diffPolicy(org, after)).toEqual([
      {
        path: 'apps[id=crm].access',
        op: 'change',
        before: { groups: ['Sales'] },
        after: { groups: ['Sales'], maxDevicesPerUser: 2 },
      },
    ]);
  });

  it('devices receive the policy without access rules', () => {
    const merged = mergePolicies([org]);
    const forDevice = devicePolicy(merged);
    expect(forDevice.apps).toEqual([
      { id: 'crm', name: 'CRM', urls: ['crm.example.com'] } satisfies AppFamily,
    ]);
    expect(merged.apps[0]!.access).toEqual({ groups: ['Sales'] }); // the server's copy is untouched
    // compileDnr takes only the URL lists and httpsOnly (DnrInput), so access cannot reach it.
  });
});
