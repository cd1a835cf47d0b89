import type { ContentCondition } from '../types.ts';
import { DETECTORS } from './detectors.ts';
import { parseSafePattern, type SafePattern } from './safe-pattern.ts';

/** Counts per detector id (built-in ids, or `custom.<pattern id>`); only non-zero entries. */
export type Detections = Record<string, number>;

/**
 * The most of one file that is read for scanning (1 MiB): files are read from disk, so they
 * are capped; text already in memory (a paste, a drop, a form) is scanned whole — scanning is
 * linear, and a cap there would let filler push a secret past it.
 */
export const MAX_SCAN_CHARS = 1 << 20;

export interface ContentScanner {
  /** Scans all of `text` with every detector the conditions name. */
  scan(text: string): Detections;
}

/**
 * The event's form of detections: `iban:1,payment_card:2`, ids sorted; no match text. It
 * fits an audit event's 512-character detail string: ids beyond that are summed up as
 * `+N more`.
 */
export function formatDetections(d: Detections): string {
  let out = '';
  const keys = Object.keys(d).sort();
  for (let i = 0; i < keys.length; i++) {
    const item = `${out ? ',' : ''}${keys[i]}:${d[keys[i]!]}`;
    if (out.length + item.length > 490) return `${out},+${keys.length - i} more`;
    out += item;
  }
  return out;
}

/**
 * One scanner for the union of conditions, so each detector runs once per text however
 * many rules name it. Unknown ids and invalid patterns (refused by validation) are skipped.
 */
export function buildContentScanner(conditions: readonly ContentCondition[]): ContentScanner {
  const ids = new Set(conditions.flatMap((c) => c.detectors ?? []));
  const detectors = [...ids].flatMap((id) => {
    const d = DETECTORS.get(id);
    return d ? [d] : [];
  });
  const patterns = new Map<string, SafePattern>();
  for (const c of conditions) {
    for (const p of c.patterns ?? []) {
      const parsed = parseSafePattern(p.pattern);
      if (parsed.ok) patterns.set(`custom.${p.id}`, parsed.pattern);
    }
  }
  return {
    scan(text) {
      const found: Detections = {};
      for (const d of detectors) {
        const n = d.scan(text);
        if (n > 0) found[d.id] = n;
      }
      for (const [id, p] of patterns) {
        const n = p.count(text);
        if (n > 0) found[id] = n;
      }
      return found;
    },
  };
}

/** The detections a condition counts, or null when they fall short of `min_count`. */
export function conditionHolds(c: ContentCondition, found: Detections): Detections | null {
  const keys = [...(c.detectors ?? []), ...(c.patterns ?? []).map((p) => `custom.${p.id}`)];
  const hit: Detections = {};
  let total = 0;
  for (const k of keys) {
    const n = found[k];
    if (n) {
      hit[k] = n;
      total += n;
    }
  }
  return total >= (c.min_count ?? 1) && total > 0 ? hit : null;
}
