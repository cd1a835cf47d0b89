import { DETECTOR_IDS } from '../detect/detectors.ts';
import { parseSafePattern } from '../detect/safe-pattern.ts';
import {
  type Collector,
  checkKnownKeys,
  closest,
  expectArray,
  isObject,
  join,
  typeName,
} from './collector.ts';

const PATTERN_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Each pattern is one more pass over the content: a bound keeps a scan within budget. */
export const MAX_PATTERNS = 16;

/**
 * Validates a rule's `content`: built-in detector ids (with a "did you mean"), admin
 * patterns in the restricted linear-time syntax (refused with where and why), `min_count`.
 */
export function validateContentCondition(c: Collector, path: string, value: unknown): void {
  if (!isObject(value)) {
    c.error(
      path,
      `must be an object such as { "detectors": ["payment_card"] }, got ${typeName(value)}.`,
    );
    return;
  }
  checkKnownKeys(c, path, value, ['detectors', 'patterns', 'min_count']);
  let any = false;
  if (expectArray(c, join(path, 'detectors'), value.detectors)) {
    value.detectors.forEach((id, i) => {
      any = true;
      if (typeof id === 'string' && DETECTOR_IDS.includes(id)) return;
      const guess = typeof id === 'string' ? closest(id, DETECTOR_IDS) : null;
      const hint = guess ? ` — did you mean "${guess}"?` : ` Known: ${DETECTOR_IDS.join(', ')}.`;
      c.error(
        join(join(path, 'detectors'), i),
        `${JSON.stringify(id)} is not a built-in detector.${hint}`,
      );
    });
  }
  if (expectArray(c, join(path, 'patterns'), value.patterns)) {
    if (value.patterns.length > MAX_PATTERNS) {
      c.error(
        join(path, 'patterns'),
        `has ${value.patterns.length} patterns; at most ${MAX_PATTERNS} per rule (each is one more pass over the content).`,
      );
    }
    const ids = new Set<string>();
    value.patterns.forEach((p, i) => {
      any = true;
      const at = join(join(path, 'patterns'), i);
      if (!isObject(p)) {
        c.error(at, `must be { "id": …, "pattern": … }, got ${typeName(p)}.`);
        return;
      }
      checkKnownKeys(c, at, p, ['id', 'pattern']);
      if (typeof p.id !== 'string' || !PATTERN_ID.test(p.id)) {
        c.error(join(at, 'id'), 'is required: 1–64 letters, digits, "_" or "-".');
      } else if (ids.has(p.id)) {
        c.error(join(at, 'id'), `"${p.id}" is used twice in this rule.`);
      } else ids.add(p.id);
      if (typeof p.pattern !== 'string') {
        c.error(
          join(at, 'pattern'),
          `is required: a pattern such as "PRJ-\\\\d{6}", got ${typeName(p.pattern)}.`,
        );
        return;
      }
      const parsed = parseSafePattern(p.pattern);
      if (!parsed.ok) {
        c.error(
          join(at, 'pattern'),
          `at character ${parsed.index + 1} ${parsed.message} Patterns are a linear-time subset: literals, \\d \\w \\s ., [classes], each with at most one of ? * + {m,n}.`,
        );
      }
    });
  }
  if (value.min_count !== undefined) {
    const n = value.min_count;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10_000) {
      c.error(
        join(path, 'min_count'),
        `must be a whole number from 1 to 10000, got ${JSON.stringify(n)}.`,
      );
    }
  }
  if (!any)
    c.error(path, 'names no detector and no pattern: list at least one, or remove "content".');
}
