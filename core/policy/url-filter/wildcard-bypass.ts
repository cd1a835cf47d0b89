import type { UrlMatcherOptions } from './url-matcher.ts';

/**
 * `kBypassBlocklistWildcardForSchemes` in url_blocklist_manager.cc: extension pages and the
 * New Tab Page stay usable under a "block everything, allow a few" policy.
 */
const ALWAYS = ['chrome-extension', 'chrome-search', 'chrome-native'];
const WITH_CHROME = new Set([...ALWAYS, 'chrome']);
const WITHOUT_CHROME = new Set(ALWAYS);

/**
 * The URL schemes the blocklist `*` does not block (`BypassBlocklistWildcardForURL`). A more
 * specific filter (`chrome-extension://*`, `chrome://*`) still blocks them. `chrome:` is among
 * them while Chrome's `kBypassURLBlocklistWildcardForInternalChromeUrls` is enabled, which it
 * is by default (components/policy/core/common/features.cc; seen in Chromium 156:
 * `URLBlocklist: ["*"]` leaves chrome://settings open, `["chrome://*"]` blocks it).
 * See docs/url-filters.md.
 */
export function wildcardBypass(options: UrlMatcherOptions = {}): ReadonlySet<string> {
  return options.bypassWildcardForChromeUrls === false ? WITHOUT_CHROME : WITH_CHROME;
}
