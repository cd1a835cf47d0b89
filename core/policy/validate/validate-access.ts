import { parseNetwork } from '../access/cidr.ts';
import {
  type Collector,
  checkKnownKeys,
  expectArray,
  expectBoolean,
  expectEnum,
  expectString,
  isObject,
  join,
  typeName,
} from './collector.ts';
import { validateWhen } from './validate-when.ts';

const ACCESS_KEYS = ['groups', 'device', 'when', 'where', 'maxDevicesPerUser'];
const DEVICE_KEYS = [
  'trust',
  'minBrowserVersion',
  'maxPolicyAgeMinutes',
  'incognitoCovered',
  'seenWithinMinutes',
];
const BROWSER_ID = /^[a-z][a-z0-9_-]{0,31}$/;

export interface AccessContext {
  /** Group names that exist; when given, `groups` entries must be among them. */
  groups?: readonly string[];
}

/** Validates `apps[i].access`: groups, device requirements, when, where, devices per user. */
export function validateAccess(
  c: Collector,
  path: string,
  value: unknown,
  ctx: AccessContext,
): void {
  if (!isObject(value)) {
    c.error(
      path,
      `must be an object { groups?, device?, when?, where?, maxDevicesPerUser? }, got ${typeName(value)}.`,
    );
    return;
  }
  checkKnownKeys(c, path, value, ACCESS_KEYS);
  validateGroups(c, join(path, 'groups'), value.groups, ctx);
  if (value.device !== undefined) validateDevice(c, join(path, 'device'), value.device);
  if (value.when !== undefined) validateWhen(c, join(path, 'when'), value.when);
  if (value.where !== undefined) validateWhere(c, join(path, 'where'), value.where);
  integer(c, join(path, 'maxDevicesPerUser'), value.maxDevicesPerUser, 1, 100, 'devices');
}

function validateGroups(c: Collector, path: string, value: unknown, ctx: AccessContext): void {
  if (!expectArray(c, path, value)) return;
  if (value.length === 0) {
    c.error(
      path,
      'is empty, so nobody could open this app: name the groups allowed, or remove "groups" to allow every group.',
    );
  }
  const known = ctx.groups ? new Map(ctx.groups.map((g) => [g.toLowerCase(), g])) : null;
  value.forEach((g, i) => {
    const at = join(path, i);
    if (!expectString(c, at, g, { required: true, max: 100 })) return;
    if (known && !known.has(g.toLowerCase())) {
      const names = [...known.values()];
      c.error(
        at,
        `there is no group named "${g}"; create it first or use one of: ${names.length ? names.map((n) => `"${n}"`).join(', ') : '(no groups yet)'}.`,
      );
    }
  });
}

function validateDevice(c: Collector, path: string, value: unknown): void {
  if (!isObject(value)) {
    c.error(
      path,
      `must be an object such as { "trust": "managed", "minBrowserVersion": { "chrome": 120 } }, got ${typeName(value)}.`,
    );
    return;
  }
  checkKnownKeys(c, path, value, DEVICE_KEYS);
  expectEnum(c, join(path, 'trust'), value.trust, ['managed', 'enrolled', 'none'] as const);
  const mbv = value.minBrowserVersion;
  const mbvPath = join(path, 'minBrowserVersion');
  if (mbv !== undefined) {
    if (!isObject(mbv)) {
      c.error(
        mbvPath,
        `must map browsers to major versions, e.g. { "chrome": 120, "firefox": 128 }, got ${typeName(mbv)}.`,
      );
    } else {
      if (Object.keys(mbv).length === 0) {
        c.error(
          mbvPath,
          'is empty, so no browser would qualify: name at least one browser, or remove it.',
        );
      }
      for (const [browser, v] of Object.entries(mbv)) {
        if (!BROWSER_ID.test(browser)) {
          c.error(
            join(mbvPath, browser),
            `"${browser}" must be a lowercase browser name such as "chrome", "edge" or "firefox".`,
          );
        }
        integer(c, join(mbvPath, browser), v, 1, 10_000, 'a major version');
      }
    }
  }
  integer(c, join(path, 'maxPolicyAgeMinutes'), value.maxPolicyAgeMinutes, 1, 525_600, 'minutes');
  expectBoolean(c, join(path, 'incognitoCovered'), value.incognitoCovered);
  integer(c, join(path, 'seenWithinMinutes'), value.seenWithinMinutes, 1, 525_600, 'minutes');
}

function validateWhere(c: Collector, path: string, value: unknown): void {
  if (!isObject(value)) {
    c.error(
      path,
      `must be { "networks": ["203.0.113.0/24", "2001:db8::/32"] }, got ${typeName(value)}.`,
    );
    return;
  }
  checkKnownKeys(c, path, value, ['networks']);
  const at = join(path, 'networks');
  if (value.networks === undefined) {
    c.error(at, 'is required: list the client networks allowed as CIDR ranges.');
    return;
  }
  if (!expectArray(c, at, value.networks)) return;
  if (value.networks.length === 0) {
    c.error(
      at,
      'is empty, so no network could reach this app: list CIDR ranges, or remove "where" to allow any network.',
    );
  }
  if (value.networks.length > 1000)
    c.error(at, `has ${value.networks.length} ranges; the limit is 1000.`);
  value.networks.forEach((n, i) => {
    if (!expectString(c, join(at, i), n, { required: true, max: 64 })) return;
    const parsed = parseNetwork(n);
    if (!parsed.ok) c.error(join(at, i), parsed.message);
  });
}

function integer(
  c: Collector,
  path: string,
  v: unknown,
  min: number,
  max: number,
  unit: string,
): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    c.error(
      path,
      `must be a whole number from ${min} to ${max} (${unit}), got ${JSON.stringify(v)}.`,
    );
  }
}
