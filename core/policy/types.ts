import type { AppAccessRule, WhenCondition } from './access/types.ts';

/**
 * The Palisade policy document. Field names follow Chrome's enterprise policies
 * (URLBlocklist, URLAllowlist, DataControlsRules) so admins recognise them and can
 * paste their existing lists.
 */

/** A filter in Chrome's URLBlocklist format: `[scheme://][.]host[:port][/path][?query]`. */
export type UrlFilter = string;

export const RESTRICTION_CLASSES = [
  'CLIPBOARD',
  'PRINTING',
  'FILE_DOWNLOAD',
  'FILE_UPLOAD',
] as const;
export type RestrictionClass = (typeof RESTRICTION_CLASSES)[number];

/**
 * Levels in precedence order, as in Chrome's DataControlsRules: when several rules
 * apply to one action, ALLOW beats BLOCK beats WARN beats REPORT.
 */
export const LEVELS = ['ALLOW', 'BLOCK', 'WARN', 'REPORT'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * Where data comes from or goes to, shaped like Chrome's DataControlsRules
 * `sources` / `destinations`. All attributes present must hold (implicit AND);
 * `and` / `or` / `not` combine nested conditions. `apps` is Palisade's: ids of app
 * families declared in `apps`, so a rule is written once per family of apps.
 */
export interface DataEndpoint {
  urls?: UrlFilter[];
  apps?: string[];
  incognito?: boolean;
  os_clipboard?: boolean;
  other_profile?: boolean;
  and?: DataEndpoint[];
  or?: DataEndpoint[];
  not?: DataEndpoint;
}

export interface Restriction {
  class: RestrictionClass;
  level: Level;
}

/** An admin pattern in the restricted linear-time syntax of core/policy/detect/safe-pattern.ts. */
export interface ContentPattern {
  /** Letters, digits, "_" and "-"; events name it `custom.<id>`. */
  id: string;
  pattern: string;
}

/**
 * Palisade's addition to a rule: it applies only when the content (pasted or dropped text,
 * a text file being uploaded, a form being submitted) holds at least `min_count` (default 1)
 * matches of these built-in detectors and patterns, counted together. The content is scanned
 * on the device; only detector ids and counts are ever recorded.
 */
export interface ContentCondition {
  detectors?: string[];
  patterns?: ContentPattern[];
  min_count?: number;
}

export interface DataControlRule {
  name: string;
  rule_id: string;
  description?: string;
  sources?: DataEndpoint;
  destinations?: DataEndpoint;
  content?: ContentCondition;
  /**
   * Palisade's addition: the rule applies only in these windows (days and hours in a named
   * time zone), judged on the device's clock at the moment of the action.
   */
  when?: WhenCondition;
  restrictions: Restriction[];
}

/** An entry of the enterprise app catalog. */
export interface CatalogEntry {
  description: string;
  launchUrl: string;
  /** https: or data:image URL of a square icon. */
  icon?: string;
  category?: string;
}

/** A named family of web apps (the seed's MAM): one set of URL filters, referenced by id. */
export interface AppFamily {
  id: string;
  name: string;
  urls: UrlFilter[];
  catalog?: CatalogEntry;
  /**
   * Who may open this app, from which device, when and from where (conditional access,
   * checked by the server at sign-in; devices ignore it).
   */
  access?: AppAccessRule;
}

/**
 * Palisade's addition to the URL lists: filters that apply only in the windows of `when`
 * (days and hours in a named time zone), judged on the device's clock. Outside them the
 * entries are simply not in the lists.
 */
export interface UrlSchedule {
  /** Unique; a later policy's schedule of the same name replaces the earlier one. */
  name: string;
  when: WhenCondition;
  urlBlocklist?: UrlFilter[];
  urlAllowlist?: UrlFilter[];
}

export interface HttpsOnly {
  /** Hosts (a leading dot means that host only, as in URL filters). */
  hosts: string[];
  /** `upgrade` rewrites http:// to https://; `block` refuses plain-http requests. */
  mode: 'upgrade' | 'block';
}

/** How much of a URL an audit event keeps. */
export type AuditUrlDetail = 'full' | 'origin' | 'none';

export interface PolicyMessages {
  /** Shown on the blocked page. */
  blockedPage?: string;
  /** Whom to ask (an email address, a URL or plain text). */
  contact?: string;
  /** Shown in the in-page notice when a data control blocks or warns. */
  dataControlNotice?: string;
}

export interface PolicyDocument {
  name?: string;
  description?: string;
  /** Group names this policy targets; absent or empty means the whole organisation. */
  targetGroups?: string[];
  urlBlocklist?: UrlFilter[];
  urlAllowlist?: UrlFilter[];
  urlSchedules?: UrlSchedule[];
  dataControls?: DataControlRule[];
  httpsOnly?: HttpsOnly;
  apps?: AppFamily[];
  auditUrlDetail?: AuditUrlDetail;
  messages?: PolicyMessages;
}

/** The merged policy a device enforces. Every list is present (possibly empty). */
export interface EffectivePolicy {
  name: string;
  /** Names of the source policies, in merge order. */
  sources: string[];
  urlBlocklist: UrlFilter[];
  urlAllowlist: UrlFilter[];
  /** Absent in payloads from servers before schedules: read as none. */
  urlSchedules?: UrlSchedule[];
  dataControls: DataControlRule[];
  httpsOnly: HttpsOnly;
  apps: AppFamily[];
  auditUrlDetail: AuditUrlDetail;
  messages: PolicyMessages;
}

export type Severity = 'error' | 'warning';

/** One validation finding, with the path of the field it is about. */
export interface Diagnostic {
  /** e.g. `urlBlocklist[3]` or `dataControls[2].sources.urls[0]`. */
  path: string;
  severity: Severity;
  message: string;
}
