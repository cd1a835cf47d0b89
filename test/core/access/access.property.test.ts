import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressInNetworks,
  formatAddress,
  parseIpAddress,
  parseNetwork,
} from '../../../core/policy/access/cidr.ts';
import { decideAccess } from '../../../core/policy/access/decide-access.ts';
import type {
  AccessInput,
  AppAccessRule,
  DevicePosture,
  TimeWindow,
} from '../../../core/policy/access/types.ts';
import { isWithinWhen } from '../../../core/policy/access/when.ts';

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const days = fc.option(
  fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  { nil: undefined },
);
const window: fc.Arbitrary<TimeWindow> = fc
  .record({ days, from: hhmm, to: hhmm })
  .filter((w) => w.from !== w.to)
  .map((w) => (w.days === undefined ? { from: w.from, to: w.to } : w));
const zone = fc.constantFrom(
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
);
const instant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2040-01-01T00:00:00Z'),
  noInvalidDate: true,
});

const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();

describe('when', () => {
  it('a window and its complement cover every instant exactly once (all days)', () => {
    fc.assert(
      fc.property(zone, hhmm, hhmm, instant, (timeZone, a, b, now) => {
        fc.pre(a !== b);
        const one = isWithinWhen({ timeZone, windows: [{ from: a, to: b }] }, now);
        const other = isWithinWhen({ timeZone, windows: [{ from: b, to: a }] }, now);
        expect(one !== other).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('in UTC, matches a direct reading of the clock', () => {
    fc.assert(
      fc.property(window, instant, (w, now) => {
        const day = ((now.getUTCDay() + 6) % 7) + 1;
        const prev = day === 1 ? 7 : day - 1;
        const t = now.getUTCHours() * 60 + now.getUTCMinutes();
        const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
        const on = (d: number) => !w.days || w.days.includes(d);
        const expected =
          m(w.from) < m(w.to)
            ? on(day) && t >= m(w.from) && t < m(w.to)
            : (on(day) && t >= m(w.from)) || (on(prev) && t < m(w.to));
        expect(isWithinWhen({ timeZone: 'UTC', windows: [w] }, now)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('several windows hold when any one does', () => {
    fc.assert(
      fc.property(
        zone,
        fc.array(window, { minLength: 1, maxLength: 4 }),
        instant,
        (timeZone, windows, now) => {
          const any = windows.some((w) => isWithinWhen({ timeZone, windows: [w] }, now));
          expect(isWithinWhen({ timeZone, windows }, now)).toBe(any);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('cidr', () => {
  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 4 }), (a, nets) => {
        addressInNetworks(a, nets);
        parseNetwork(a);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses and formats addresses back to the same address', () => {
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), (text) => {
        const a = parseIpAddress(text);
        expect(a).not.toBeNull();
        expect(parseIpAddress(formatAddress(a!))).toEqual(a);
      }),
      { numRuns: 2000 },
    );
  });

  it('an address lies in every prefix of itself and in /0 of its family', () => {
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), fc.integer({ min: 0, max: 128 }), (text, n) => {
        const a = parseIpAddress(text)!;
        const bits = a.version === 4 ? 32 : 128;
        const prefix = n % (bits + 1);
        const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
        const base = formatAddress({ version: a.version, value: a.value & mask });
        expect(addressInNetworks(text, [`${base}/${prefix}`])).toBe(true);
        expect(addressInNetworks(text, [a.version === 4 ? '0.0.0.0/0' : '::/0'])).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('an IPv4 address and its IPv4-mapped IPv6 form match the same ranges', () => {
    fc.assert(
      fc.property(
        ipv4,
        fc.array(fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })), { maxLength: 5 }),
        (addr, raw) => {
          const nets = raw.map(([ip, p]) => {
            const v = parseIpAddress(ip)!.value;
            const mask = p === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - p)) - 1n);
            return `${formatAddress({ version: 4, value: v & mask })}/${p}`;
          });
          expect(addressInNetworks(`::ffff:${addr}`, nets)).toBe(addressInNetworks(addr, nets));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

const posture: fc.Arbitrary<DevicePosture | null> = fc.option(
  fc.record({
    browser: fc.constantFrom('chrome', 'edge', 'firefox'),
    browserVersion: fc.integer({ min: 90, max: 140 }).map((v) => `${v}.0.1.2`),
    os: fc.constant('linux'),
    extensionVersion: fc.constant('0.1.0'),
    installType: fc.constantFrom(
      'admin',
      'normal',
      'development',
      'sideload',
      'other',
    ) as fc.Arbitrary<DevicePosture['installType']>,
    incognitoAllowed: fc.boolean(),
    policyVersion: fc.option(fc.nat(), { nil: null }),
    policySince: fc.option(
      instant.map((d) => d.toISOString()),
      { nil: null },
    ),
    rulesInPlace: fc.boolean(),
    reportedAt: instant.map((d) => d.toISOString()),
  }),
  { nil: null },
);

const rule: fc.Arbitrary<AppAccessRule> = fc.record(
  {
    groups: fc.array(fc.constantFrom('Sales', 'Support', 'Finance'), {
      minLength: 1,
      maxLength: 3,
    }),
    device: fc.record(
      {
        trust: fc.constantFrom('managed', 'enrolled', 'none') as fc.Arbitrary<
          'managed' | 'enrolled' | 'none'
        >,
        minBrowserVersion: fc.dictionary(
          fc.constantFrom('chrome', 'edge', 'firefox'),
          fc.integer({ min: 90, max: 140 }),
          { minKeys: 1 },
        ),
        maxPolicyAgeMinutes: fc.integer({ min: 1, max: 100_000 }),
        incognitoCovered: fc.boolean(),
        seenWithinMinutes: fc.integer({ min: 1, max: 100_000 }),
      },
      { requiredKeys: [] },
    ),
    when: fc.record({ timeZone: zone, windows: fc.array(window, { minLength: 1, maxLength: 3 }) }),
    where: fc.record({
      networks: fc.array(
        fc.oneof(
          ipv4.map((a) => `${a}/32`),
          fc.constantFrom('10.0.0.0/8', '2001:db8::/32'),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    maxDevicesPerUser: fc.integer({ min: 1, max: 5 }),
  },
  { requiredKeys: [] },
);

const accessInput: fc.Arbitrary<AccessInput> = fc.record({
  app: fc.record({
    id: fc.constant('crm'),
    name: fc.constant('CRM'),
    access: fc.option(rule, { nil: undefined }),
  }),
  user: fc.record({
    id: fc.constant('u1'),
    email: fc.constant('a@x'),
    groups: fc.subarray(['Sales', 'Support', 'Finance']),
  }),
  device: fc.option(
    fc.record({
      id: fc.constant('d1'),
      trust: fc.constantFrom('managed', 'enrolled', 'none') as fc.Arbitrary<
        'managed' | 'enrolled' | 'none'
      >,
      group: fc.constant(null),
    }),
    { nil: null },
  ),
  posture,
  now: instant,
  clientAddress: fc.oneof(ipv4, ipv6, fc.constant('10.1.2.3')),
  otherActiveDevices: fc.nat({ max: 6 }),
});

describe('decideAccess', () => {
  it('allows exactly when nothing failed, and names each condition at most once with a sentence', () => {
    fc.assert(
      fc.property(accessInput, (i) => {
        const d = decideAccess(i);
        expect(d.allow).toBe(d.failed.length === 0);
        const conditions = d.failed.map((f) => f.condition);
        expect(new Set(conditions).size).toBe(conditions.length);
        for (const f of d.failed) expect(f.message).toMatch(/^[A-Z].*[a-z.)]$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('removing a condition from the rule never turns an allow into a deny', () => {
    const keys = ['groups', 'device', 'when', 'where', 'maxDevicesPerUser'] as const;
    fc.assert(
      fc.property(accessInput, fc.constantFrom(...keys), (i, key) => {
        const access = i.app.access;
        fc.pre(access !== undefined && access[key] !== undefined);
        const looser = { ...access };
        delete looser[key];
        if (key === 'device' && access.device?.trust === 'none') looser.device = { trust: 'none' };
        const strict = decideAccess(i);
        const loose = decideAccess({ ...i, app: { ...i.app, access: looser } });
        if (strict.allow) expect(loose.allow).toBe(true);
        // Each condition the looser rule fails, the stricter one fails too.
        for (const f of loose.failed)
          expect(strict.failed.map((s) => s.condition)).toContain(f.condition);
      }),
      { numRuns: 2000 },
    );
  });

  it('a device that is more trusted never fares worse', () => {
    fc.assert(
      fc.property(accessInput, (i) => {
        fc.pre(i.device !== null && i.device.trust !== 'managed');
        const better = decideAccess({ ...i, device: { ...i.device!, trust: 'managed' } });
        const d = decideAccess(i);
        if (d.allow) expect(better.allow).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
