import { isWithinWhen } from './access/when.ts';
import type { EffectivePolicy, UrlFilter } from './types.ts';

export interface UrlListsNow {
  blocklist: UrlFilter[];
  allowlist: UrlFilter[];
  /**
   * Which schedules are in force, as a key: the lists are the same for two instants with
   * the same key, so the device recompiles only when it changes. Empty with no schedules.
   */
  key: string;
}

/**
 * The URL block and allow lists in force at `now`: the policy's lists plus the entries of
 * each schedule whose `when` holds. Chrome's precedence decides between filters, not list
 * order, so appending is enough.
 *
 * @example
 * urlListsAt({ urlBlocklist: [], urlAllowlist: [], urlSchedules: [{ name: 'evenings',
 *   when: { timeZone: 'Europe/Paris', windows: [{ from: '19:00', to: '08:00' }] },
 *   urlBlocklist: ['crm.example.com'] }] }, new Date('2026-12-04T20:00:00Z'));
 * // → { blocklist: ['crm.example.com'], allowlist: [], key: '1' }
 */
export function urlListsAt(
  policy: Pick<EffectivePolicy, 'urlBlocklist' | 'urlAllowlist' | 'urlSchedules'>,
  now: Date,
): UrlListsNow {
  const schedules = policy.urlSchedules ?? [];
  if (schedules.length === 0) {
    return { blocklist: policy.urlBlocklist, allowlist: policy.urlAllowlist, key: '' };
  }
  const blocklist = [...policy.urlBlocklist];
  const allowlist = [...policy.urlAllowlist];
  let key = '';
  for (const s of schedules) {
    const on = isWithinWhen(s.when, now);
    key += on ? '1' : '0';
    if (!on) continue;
    blocklist.push(...(s.urlBlocklist ?? []));
    allowlist.push(...(s.urlAllowlist ?? []));
  }
  return { blocklist, allowlist, key };
}
