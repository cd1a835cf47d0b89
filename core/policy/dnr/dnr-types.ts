/**
 * The subset of `chrome.declarativeNetRequest.Rule` Palisade emits, typed here because
 * core/ cannot see the `chrome` types. Field names and meaning are Chrome's
 * (https://developer.chrome.com/docs/extensions/reference/api/declarativeNetRequest).
 */
export type DnrResourceType = 'main_frame' | 'sub_frame';

export type DnrActionType = 'block' | 'allow' | 'allowAllRequests' | 'redirect' | 'upgradeScheme';

export interface DnrRule {
  id: number;
  /**
   * 1 … 2^24 - 1 in practice (Chromium keeps priority << 8 in 32 bits: docs/development.md,
   * "Priority width"); higher wins. At equal priority: allow/allowAllRequests > block >
   * upgradeScheme > redirect.
   */
  priority: number;
  action: {
    type: DnrActionType;
    redirect?: { extensionPath?: string; regexSubstitution?: string; url?: string };
  };
  condition: {
    urlFilter?: string;
    regexFilter?: string;
    /** Default false since Chrome 118: filters match case-insensitively unless set. */
    isUrlFilterCaseSensitive?: boolean;
    /** Matches the request's host and its subdomains. */
    requestDomains?: string[];
    excludedRequestDomains?: string[];
    requestMethods?: string[];
    resourceTypes: DnrResourceType[];
  };
}

/** Chrome's dynamic-rule limits (declarativeNetRequest constants) and Palisade's packing size. */
export interface DnrLimits {
  /** MAX_NUMBER_OF_DYNAMIC_RULES (30,000 since Chrome 121). */
  maxRules: number;
  /** MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES: redirect (and, counted here too, upgradeScheme) rules. */
  maxUnsafeRules: number;
  /** MAX_NUMBER_OF_REGEX_RULES. */
  maxRegexRules: number;
  /** `requestDomains` per rule; one rule of 20,000 was seen accepted in Chromium 156. */
  maxDomainsPerRule: number;
  /** Id of the first rule (the extension replaces the whole dynamic set). */
  firstRuleId: number;
}

export const DEFAULT_DNR_LIMITS: DnrLimits = {
  maxRules: 30_000,
  maxUnsafeRules: 5_000,
  maxRegexRules: 1_000,
  maxDomainsPerRule: 20_000,
  firstRuleId: 1,
};

export interface DnrInput {
  blocklist: readonly string[];
  allowlist: readonly string[];
  httpsOnly?: { hosts: readonly string[]; mode: 'upgrade' | 'block' };
  /** Extension-relative path of the blocked page, e.g. `/pages/blocked.html`. */
  blockedPagePath: string;
}

/** A filter DNR does not reproduce exactly; the extension's navigation check covers it. */
export interface UncoveredFilter {
  filter: string;
  list: 'blocklist' | 'allowlist';
  index: number;
  reason: string;
  /**
   * A query-less filter covering every http(s) URL where the DNR rules may disagree with
   * the core matcher because of this filter: the filter itself, or, for an allow filter
   * DNR had to widen, the widened filter. Check navigations matching it with the matcher.
   */
  trigger: string;
}

export interface DnrResult {
  rules: DnrRule[];
  uncovered: UncoveredFilter[];
  stats: {
    ruleCount: number;
    regexRuleCount: number;
    unsafeRuleCount: number;
    /** Filters in both lists (valid or not). */
    filters: number;
    /** Hosts packed into `requestDomains` of blocklist/allowlist rules. */
    packedHosts: number;
    /** Where each valid filter is enforced (invalid filters never match, as in Chrome). */
    enforcement: EnforcementSummary;
  };
}

/**
 * Who enforces each valid filter, for main frames and sub-frames alike. Every valid filter
 * is in exactly one field; the extension is expected to keep `unenforced` at 0.
 */
export interface EnforcementSummary {
  /** Reproduced exactly by the DNR rules, which apply to main_frame and sub_frame requests. */
  dnrAllFrames: number;
  /**
   * Left to the extension's navigation check (`uncovered`): webNavigation in main and sub
   * frames, decided by the core matcher for URLs matching the filter's trigger.
   */
  navigationCheck: number;
  /**
   * About `javascript:` URLs only, which load no frame: DNR sees no request and webNavigation
   * no navigation for them (seen in Chromium 156). Chrome applies such filters to the
   * omnibox and bookmarklets, which an extension cannot watch.
   */
  notFrameNavigations: number;
  /** Uncovered, with a trigger the navigation check cannot read: enforced nowhere. */
  unenforced: number;
}
