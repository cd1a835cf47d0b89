import type { TimeWindow, WhenCondition } from './types.ts';

/**
 * The `when` condition: days of the week and hours on the wall clock of a named IANA time
 * zone. The local time comes from Intl.DateTimeFormat, so daylight-saving changes are the
 * zone's own: a 08:00–19:00 window in Europe/Paris opens at 07:00 UTC in winter and 06:00
 * UTC in summer. A window whose `to` is earlier than its `from` runs past midnight and
 * belongs to the day it starts on (Friday 22:00–02:00 covers Saturday 01:30).
 */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Minutes since midnight of "HH:MM"; "24:00" is accepted as an end (midnight after). */
export function parseClock(text: string, { end = false } = {}): number | null {
  if (end && text === '24:00') return 24 * 60;
  const m = HHMM.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the zone is a named IANA time zone this runtime knows ("Europe/Paris", "UTC"). */
export function isKnownTimeZone(timeZone: string): boolean {
  // Offsets such as "+01:00" are valid for Intl since ES2024 but do not follow DST; refuse them.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The ISO weekday (1 = Monday) and minutes since midnight of `now` on the zone's wall clock. */
export function localClock(timeZone: string, now: Date): { day: number; minutes: number } {
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(now)) {
    if (part.type === 'weekday') day = WEEKDAY[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minutes: hour * 60 + minute };
}

function windowHolds(w: TimeWindow, day: number, minutes: number): boolean {
  const from = parseClock(w.from);
  const to = parseClock(w.to, { end: true });
  if (from === null || to === null || from === to) return false;
  const onDay = (d: number) => !w.days || w.days.includes(d);
  if (from < to) return onDay(day) && minutes >= from && minutes < to;
  const yesterday = day === 1 ? 7 : day - 1;
  return (onDay(day) && minutes >= from) || (onDay(yesterday) && minutes < to);
}

/**
 * Whether `now` falls in any window of `when`. An unknown zone or a malformed window
 * holds never: validation reports them, and access fails closed.
 *
 * @example
 * isWithinWhen({ timeZone: 'Europe/Paris', windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }] },
 *   new Date('2026-12-04T10:00:00Z')); // true: Friday 11:00 in Paris
 */
export function isWithinWhen(when: WhenCondition, now: Date): boolean {
  if (!isKnownTimeZone(when.timeZone)) return false;
  const { day, minutes } = localClock(when.timeZone, now);
  return when.windows.some((w) => windowHolds(w, day, minutes));
}

/** "Monday–Friday", "Monday, Wednesday and Friday", "every day". */
export function describeDays(days: readonly number[] | undefined): string {
  const set = [...new Set(days ?? [1, 2, 3, 4, 5, 6, 7])].filter((d) => d >= 1 && d <= 7);
  set.sort((a, b) => a - b);
  if (set.length === 7) return 'every day';
  const parts: string[] = [];
  for (let i = 0; i < set.length;) {
    let j = i;
    while (j + 1 < set.length && set[j + 1] === set[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${DAY_NAMES[set[i]! - 1]}–${DAY_NAMES[set[j]! - 1]}`);
    else for (let k = i; k <= j; k++) parts.push(DAY_NAMES[set[k]! - 1]!);
    i = j + 1;
  }
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!;
}

/** "Europe/Paris" → "Paris", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function zoneCity(timeZone: string): string {
  const last = timeZone.split('/').at(-1) ?? timeZone;
  return timeZone.includes('/') && !timeZone.startsWith('Etc/')
    ? last.replace(/_/g, ' ')
    : timeZone;
}

function describeWindow(w: TimeWindow): string {
  const days = describeDays(w.days);
  const from = parseClock(w.from);
  const to = parseClock(w.to, { end: true });
  const overnight = from !== null && to !== null && to < from ? ' (next day)' : '';
  return `${days} ${w.from}–${w.to}${overnight}`;
}

/**
 * The sentence shown to someone outside the hours.
 *
 * @example
 * describeWhen({ timeZone: 'Europe/Paris', windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }] });
 * // "Available Monday–Friday 08:00–19:00 Paris time"
 */
export function describeWhen(when: WhenCondition): string {
  const windows = when.windows.map(describeWindow);
  const list =
    windows.length > 1 ? `${windows.slice(0, -1).join(', ')} and ${windows.at(-1)}` : windows[0];
  return `Available ${list ?? 'never'} ${zoneCity(when.timeZone)} time`;
}
