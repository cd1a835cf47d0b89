import {
  buildDataControls,
  type DataAction,
  type DataDecision,
} from '../../../core/policy/data-controls.ts';
import type { PolicyDocument } from '../../../core/policy/types.ts';
import { buildUrlMatcher, type UrlDecision } from '../../../core/policy/url-filter/url-matcher.ts';

export type { UrlDecision };

/**
 * What the extension would do with `url` under this policy alone, decided by the same
 * core matcher it enforces with (Chrome's URLBlocklist precedence: the most specific
 * filter wins, allow beats block at equal specificity).
 */
export function simulateUrl(doc: PolicyDocument, url: string): UrlDecision {
  return buildUrlMatcher({
    blocklist: doc.urlBlocklist ?? [],
    allowlist: doc.urlAllowlist ?? [],
  }).decide(url);
}

export interface DataQuestion {
  action: DataAction;
  /** A page URL, or 'os' for another program (the system clipboard). */
  from?: string;
  to?: string;
}

/**
 * "May this action go from A to B?" under this policy's data controls, following the
 * extension's conventions (core/policy/data-controls.ts): copy-then-paste is asked as a
 * paste with both sides; print and download have a source only, upload a destination only.
 */
export function simulateData(doc: PolicyDocument, q: DataQuestion): DataDecision {
  const controls = buildDataControls({
    dataControls: doc.dataControls ?? [],
    apps: doc.apps ?? [],
  });
  const ctx = (v: string | undefined) =>
    v === 'os' ? { os_clipboard: true } : v ? { url: v } : undefined;
  const source = q.action === 'upload' ? undefined : ctx(q.from);
  const destination = q.action === 'print' || q.action === 'download' ? undefined : ctx(q.to);
  return controls.decide({ action: q.action, source, destination });
}
