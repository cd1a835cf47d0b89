import { describeWindows } from '../../../core/policy/access/when.ts';
import { DETECTORS } from '../../../core/policy/detect/detectors.ts';
import type {
  AppFamily,
  ContentCondition,
  DataControlRule,
  DataEndpoint,
  Level,
  RestrictionClass,
} from '../../../core/policy/types.ts';
import { describeFilter } from './describe-filter.ts';

export const CLASS_WORDS: Record<RestrictionClass, string> = {
  CLIPBOARD: 'Copy and paste',
  PRINTING: 'Printing',
  FILE_DOWNLOAD: 'Downloading files',
  FILE_UPLOAD: 'Uploading files',
};

export const LEVEL_WORDS: Record<Level, string> = {
  BLOCK: 'blocked',
  WARN: 'you are warned first and may continue; your choice is recorded',
  REPORT: 'allowed, and recorded',
  ALLOW: 'always allowed (this overrides other rules)',
};

/** A WARN whose rule asks why (`requireJustification`): the reason goes into the record. */
export const JUSTIFIED_WARN =
  'you are warned first and may continue after saying why; your choice and your reason are recorded';

export interface ExplainedRule {
  id: string;
  name: string;
  description?: string;
  /** Where the data comes from, in words, or null for "anywhere". */
  from: string | null;
  /** Where it goes, in words, or null for "anywhere". */
  to: string | null;
  /** What the content must contain for the rule to apply, in words, or null for any content. */
  content: string | null;
  /** When the rule applies, if only at certain times ("Monday–Friday 08:00–19:00 Paris time"). */
  when: string | null;
  restrictions: { what: string; level: Level; outcome: string }[];
}

/** Data-control rules in plain words for the transparency page. */
export function explainDataControls(rules: DataControlRule[], apps: AppFamily[]): ExplainedRule[] {
  const appName = new Map(apps.map((a) => [a.id, a.name]));
  return rules.map((r) => ({
    id: r.rule_id,
    name: r.name,
    description: r.description,
    from: r.sources ? describeEndpoint(r.sources, appName) : null,
    to: r.destinations ? describeEndpoint(r.destinations, appName) : null,
    content: r.content ? describeContent(r.content) : null,
    when: r.when ? describeWindows(r.when) : null,
    restrictions: r.restrictions.map((x) => ({
      what: CLASS_WORDS[x.class] ?? x.class,
      level: x.level,
      outcome:
        x.level === 'WARN' && r.requireJustification
          ? JUSTIFIED_WARN
          : (LEVEL_WORDS[x.level] ?? x.level),
    })),
  }));
}

/** Where data comes from / goes to, as a phrase ("mail.example.com and all its subdomains or the Mail apps"). */
export function describeEndpoint(e: DataEndpoint, appName: Map<string, string>): string {
  const parts: string[] = [];
  if (e.urls?.length) parts.push(e.urls.map(describeFilter).join('; '));
  if (e.apps?.length)
    parts.push(e.apps.map((id) => `the ${appName.get(id) ?? id} apps`).join(', '));
  if (e.os_clipboard) parts.push('other programs on your computer (the system clipboard)');
  if (e.other_profile) parts.push('other browser profiles');
  if (e.incognito !== undefined)
    parts.push(e.incognito ? 'incognito windows' : 'non-incognito windows');
  if (e.and?.length) parts.push(e.and.map((x) => describeEndpoint(x, appName)).join(' and also '));
  if (e.or?.length)
    parts.push(`any of: ${e.or.map((x) => describeEndpoint(x, appName)).join(' / ')}`);
  if (e.not) parts.push(`anything except ${describeEndpoint(e.not, appName)}`);
  return parts.length ? parts.join(', ') : 'anywhere';
}

/**
 * What a content condition looks for ("payment card numbers or private keys, at least 3
 * times"); the employee sees the detectors' names, and admin patterns by their ids.
 */
export function describeContent(c: ContentCondition): string {
  const what = [
    ...(c.detectors ?? []).map((id) => DETECTORS.get(id)?.name.toLowerCase() ?? id),
    ...(c.patterns ?? []).map((p) => `the company pattern “${p.id}”`),
  ];
  const list =
    what.length <= 1 ? (what[0] ?? '') : `${what.slice(0, -1).join(', ')} or ${what.at(-1)}`;
  const times = c.min_count && c.min_count > 1 ? `, at least ${c.min_count} times` : '';
  return `${list}${times}`;
}

/** Said on the transparency page whenever a rule looks at content. */
export const CONTENT_PRIVACY =
  'Rules that look at content check it on this device, in the page, when you paste or drop text, upload a text file or submit a form. The content never leaves your device: only the rule, which kind of data was found and how many times are recorded — never the text itself.';
