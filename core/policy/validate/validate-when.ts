import { isKnownTimeZone, parseClock } from '../access/when.ts';
import {
  type Collector,
  checkKnownKeys,
  closest,
  expectArray,
  expectString,
  isObject,
  join,
  typeName,
} from './collector.ts';

const WHEN_KEYS = ['timeZone', 'windows'];
const WINDOW_KEYS = ['days', 'from', 'to'];

let zoneNames: string[] | null = null;

/** The runtime's IANA zone names, for "did you mean" hints (empty where Intl cannot list them). */
function knownZones(): string[] {
  if (zoneNames) return zoneNames;
  try {
    zoneNames = [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  } catch {
    zoneNames = [];
  }
  return zoneNames;
}

/**
 * Validates a `when` condition (days, hours, IANA time zone). Shared by `apps[].access.when`
 * and any rule that may carry one.
 */
export function validateWhen(c: Collector, path: string, value: unknown): void {
  if (!isObject(value)) {
    c.error(
      path,
      `must be { "timeZone": "Europe/Paris", "windows": [{ "days": [1, 2, 3, 4, 5], "from": "08:00", "to": "19:00" }] }, got ${typeName(value)}.`,
    );
    return;
  }
  checkKnownKeys(c, path, value, WHEN_KEYS);
  const zonePath = join(path, 'timeZone');
  if (value.timeZone === undefined) {
    c.error(zonePath, 'is required: name an IANA time zone such as "Europe/Paris" or "UTC".');
  } else if (expectString(c, zonePath, value.timeZone, { required: true, max: 64 })) {
    if (!isKnownTimeZone(value.timeZone)) {
      const hint = closest(value.timeZone, knownZones());
      c.error(
        zonePath,
        `"${value.timeZone}" is not an IANA time zone${hint ? ` — did you mean "${hint}"?` : ''} Use a name such as "Europe/Paris", "America/New_York" or "UTC" (not an offset, which would ignore daylight saving).`,
      );
    }
  }
  const windowsPath = join(path, 'windows');
  if (value.windows === undefined) {
    c.error(windowsPath, 'is required: list at least one window { days?, from, to }.');
    return;
  }
  if (!expectArray(c, windowsPath, value.windows)) return;
  if (value.windows.length === 0) {
    c.error(
      windowsPath,
      'is empty, so the app would never be available: add a window or remove "when".',
    );
  }
  if (value.windows.length > 50)
    c.error(windowsPath, `has ${value.windows.length} windows; the limit is 50.`);
  value.windows.forEach((w, i) => validateWindow(c, join(windowsPath, i), w));
}

function validateWindow(c: Collector, path: string, w: unknown): void {
  if (!isObject(w)) {
    c.error(
      path,
      `must be { "days": [1, 2, 3, 4, 5], "from": "08:00", "to": "19:00" }, got ${typeName(w)}.`,
    );
    return;
  }
  checkKnownKeys(c, path, w, WINDOW_KEYS);
  if (w.days !== undefined && expectArray(c, join(path, 'days'), w.days)) {
    if (w.days.length === 0) {
      c.error(
        join(path, 'days'),
        'is empty, so this window never opens: list ISO weekdays (1 = Monday … 7 = Sunday), or remove "days" for every day.',
      );
    }
    const seen = new Set<number>();
    w.days.forEach((d, j) => {
      const at = join(join(path, 'days'), j);
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 7) {
        c.error(
          at,
          `must be an ISO weekday from 1 (Monday) to 7 (Sunday), got ${JSON.stringify(d)}.`,
        );
      } else if (seen.has(d)) c.warning(at, `day ${d} is listed twice.`);
      else seen.add(d);
    });
  }
  const from = clock(c, join(path, 'from'), w.from, false);
  const to = clock(c, join(path, 'to'), w.to, true);
  if (from !== null && to !== null && from === to) {
    c.error(
      path,
      `"from" and "to" are both ${String(w.from)}, so the window is empty; for the whole day write "00:00" to "24:00".`,
    );
  }
}

function clock(c: Collector, path: string, v: unknown, end: boolean): number | null {
  if (v === undefined) {
    c.error(
      path,
      `is required: a time as "HH:MM" (24-hour${end ? ', "24:00" for midnight at the end' : ''}).`,
    );
    return null;
  }
  if (typeof v !== 'string') {
    c.error(path, `must be a time as "HH:MM", got ${typeName(v)}.`);
    return null;
  }
  const m = parseClock(v, { end });
  if (m === null) {
    c.error(
      path,
      `"${v}" is not a time as "HH:MM" on a 24-hour clock (e.g. "08:00", "19:30"${end ? ', or "24:00" for the end of the day' : ''}).`,
    );
  }
  return m;
}
