import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../core/policy/access/decide-access.ts';
import type {
  AccessCondition,
  AccessInput,
  AppAccessRule,
} from '../../../core/policy/access/types.ts';
import { posture } from './fixtures.ts';

const NOW = new Date('2026-12-04T10:00:00Z'); // Friday 11:00 in Paris

function input(access: AppAccessRule | undefined, over: Partial<AccessInput> = {}): AccessInput {
  return {
    app: { id: 'crm', name: 'CRM', access },
    user: { id: 'u1', email: 'sam@example.com', groups: ['Sales'] },
    device: { id: 'd1', trust: 'managed', group: 'Sales' },
    posture,
    now: NOW,
    clientAddress: '203.0.113.7',
    otherActiveDevices: 0,
    ...over,
  };
}

const office = {
  timeZone: 'Europe/Paris',
  windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }],
};

describe('decideAccess decision table', () => {
  const table: {
    name: string;
    access?: AppAccessRule;
    over?: Partial<AccessInput>;
    failed: { condition: AccessCondition; message: RegExp }[];
  }[] = [
    { name: 'no rule, proven device: allowed', failed: [] },
    {
      name: 'no rule and no Palisade: refused, device trust defaults to enrolled',
      over: { device: null, posture: null },
      failed: [
        {
          condition: 'device_trust',
          message: /^Open this app in the browser where Palisade is installed/,
        },
      ],
    },
    {
      name: 'trust none lets any browser in',
      access: { device: { trust: 'none' } },
      over: { device: null, posture: null },
      failed: [],
    },
    {
      name: 'enrolled device where managed is required',
      access: { device: { trust: 'managed' } },
      over: { device: { id: 'd1', trust: 'enrolled', group: 'Sales' } },
      failed: [{ condition: 'device_trust', message: /browser your organisation manages/ }],
    },
    {
      name: 'group allowed (case-insensitive)',
      access: { groups: ['sales', 'Support'] },
      failed: [],
    },
    {
      name: 'group not allowed',
      access: { groups: ['Finance'] },
      failed: [{ condition: 'group', message: /not in a group allowed to use CRM/ }],
    },
    {
      name: 'browser new enough',
      access: { device: { minBrowserVersion: { chrome: 120 } } },
      failed: [],
    },
    {
      name: 'browser too old',
      access: { device: { minBrowserVersion: { chrome: 120 } } },
      over: { posture: { ...posture, browserVersion: '118.0.5993.70' } },
      failed: [
        {
          condition: 'browser_version',
          message: /^Your browser is Chrome 118; this app needs Chrome 120 or later/,
        },
      ],
    },
    {
      name: 'browser not listed',
      access: { device: { minBrowserVersion: { chrome: 120, edge: 120 } } },
      over: { posture: { ...posture, browser: 'firefox', browserVersion: '133.0' } },
      failed: [
        {
          condition: 'browser_version',
          message: /^Your browser is Firefox 133; this app needs Chrome 120 or Edge 120 or later/,
        },
      ],
    },
    {
      name: 'policy too old',
      access: { device: { maxPolicyAgeMinutes: 5 } },
      failed: [
        {
          condition: 'policy_age',
          message: /fetched its policy 10 minutes ago; this app needs one from the last 5 minutes/,
        },
      ],
    },
    {
      name: 'no policy yet',
      access: { device: { maxPolicyAgeMinutes: 60 } },
      over: { posture: { ...posture, policySince: null } },
      failed: [{ condition: 'policy_age', message: /has no policy yet/ }],
    },
    { name: 'policy fresh enough', access: { device: { maxPolicyAgeMinutes: 60 } }, failed: [] },
    {
      name: 'incognito not covered',
      access: { device: { incognitoCovered: true } },
      over: { posture: { ...posture, incognitoAllowed: false } },
      failed: [{ condition: 'incognito', message: /Allow Palisade in private windows/ }],
    },
    {
      name: 'not seen recently',
      access: { device: { seenWithinMinutes: 1 } },
      failed: [
        {
          condition: 'seen',
          message: /last reported 2 minutes ago; this app needs a report from the last 1 minute\./,
        },
      ],
    },
    {
      name: 'rules not in place',
      over: { posture: { ...posture, rulesInPlace: false } },
      failed: [{ condition: 'rules_in_place', message: /rules are not fully in place/ }],
    },
    { name: 'inside the hours', access: { when: office }, failed: [] },
    {
      name: 'outside the hours',
      access: { when: office },
      over: { now: new Date('2026-12-05T10:00:00Z') },
      failed: [{ condition: 'when', message: /^Available Monday–Friday 08:00–19:00 Paris time$/ }],
    },
    { name: 'inside the network', access: { where: { networks: ['203.0.113.0/24'] } }, failed: [] },
    {
      name: 'outside the network',
      access: { where: { networks: ['198.51.100.0/24', '2001:db8::/32'] } },
      failed: [
        {
          condition: 'where',
          message: /^Your network \(203\.0\.113\.7\) is not one this app accepts/,
        },
      ],
    },
    {
      name: 'IPv4-mapped client address shown as IPv4',
      access: { where: { networks: ['198.51.100.0/24'] } },
      over: { clientAddress: '::ffff:203.0.113.7' },
      failed: [{ condition: 'where', message: /^Your network \(203\.0\.113\.7\)/ }],
    },
    {
      name: 'one other device, limit 2',
      access: { maxDevicesPerUser: 2 },
      over: { otherActiveDevices: 1 },
      failed: [],
    },
    {
      name: 'two other devices, limit 2',
      access: { maxDevicesPerUser: 2 },
      over: { otherActiveDevices: 2 },
      failed: [
        {
          condition: 'device_limit',
          message: /^Sign out of this app on another device first: at most 2 devices\.$/,
        },
      ],
    },
    {
      name: 'limit 1 in the singular',
      access: { maxDevicesPerUser: 1 },
      over: { otherActiveDevices: 1 },
      failed: [{ condition: 'device_limit', message: /at most 1 device\.$/ }],
    },
    {
      name: 'no Palisade: every condition that needs it is listed',
      access: {
        groups: ['Finance'],
        device: {
          minBrowserVersion: { chrome: 120 },
          incognitoCovered: true,
          seenWithinMinutes: 10,
        },
        when: office,
        where: { networks: ['10.0.0.0/8'] },
      },
      over: { device: null, posture: null, now: new Date('2026-12-06T10:00:00Z') },
      failed: [
        { condition: 'group', message: /group/ },
        { condition: 'device_trust', message: /where Palisade is installed/ },
        {
          condition: 'browser_version',
          message: /has not reported its state; this app needs Chrome 120 or later/,
        },
        { condition: 'incognito', message: /private windows/ },
        { condition: 'seen', message: /has not reported its state/ },
        { condition: 'when', message: /Available/ },
        { condition: 'where', message: /203\.0\.113\.7/ },
      ],
    },
  ];

  it.each(table)('$name', ({ access, over, failed }) => {
    const d = decideAccess(input(access, over));
    expect(d.allow).toBe(failed.length === 0);
    expect(d.failed.map((f) => f.condition)).toEqual(failed.map((f) => f.condition));
    d.failed.forEach((f, i) => expect(f.message).toMatch(failed[i]!.message));
  });
});
