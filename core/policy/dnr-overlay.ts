/**
 * A delta's overlay: how a small change to a large policy is enforced at once, without the
 * dynamic-rule update that Chromium spends seconds on at a million filters (it re-indexes the
 * whole dynamic set on every call, however small: docs/delta-sync.md, "Overlay").
 *
 * A changed filter (added or removed, in either list) can change the verdict only of URLs it
 * matches, and a filter naming a host matches only that host and its subdomains. So every URL
 * whose verdict a delta changes lies under one of the `editedDomains`. The overlay is ONE
 * session rule allowing requests to those domains above every filter rule, and the extension's
 * navigation check judges their navigations (main and sub frames) with the patched matcher —
 * the new policy, exactly. Everywhere else the installed dynamic rules still give the right
 * verdict, because no changed filter matches there. The dynamic rules catch up later (the
 * fold), and the overlay goes once they have.
 */
import { OVERLAY_PRIORITY, type DnrRule } from './compile-dnr.ts';
import { PLAIN_DOMAIN } from './dnr/dnr-patterns.ts';
import type { ListEdit } from './list-edit.ts';
import { isIpLike, parseFilterComponents } from './url-filter/parse-url-filter.ts';

/**
 * Domains one overlay holds at most. Each is also a trigger of the navigation check; a delta
 * larger than this (a bulk import) updates the dynamic rules directly.
 */
export const MAX_OVERLAY_DOMAINS = 5_000;

/**
 * The domains under which an edit of `before` can change a verdict, added to `into`; false
 * when some changed filter can match beyond one domain and its subdomains (`*`, `https://*`,
 * `file:`, `data:`) or names a host DNR cannot (an IP literal, a trailing dot, non-ASCII):
 * then no overlay can be exact, and the caller updates the dynamic rules.
 *
 * An exact host (`.example.com`) yields the domain itself: the overlay and the check then
 * also cover its subdomains, which only sends more navigations to the check, never fewer.
 * Invalid filters match nothing and yield nothing.
 */
export function editedDomains(
  before: readonly string[],
  edit: ListEdit,
  into: Set<string>,
): boolean {
  const changed = [...edit.removed.map((i) => before[i]), ...edit.added];
  for (const filter of changed) {
    if (typeof filter !== 'string') return false;
    const parsed = parseFilterComponents(filter);
    if (!parsed) continue;
    const domain = parsed.host.replace(/^\./, '');
    // An IP literal matches itself alone; its overlay would allow "subdomains" the
    // navigation check's trigger (the literal) does not send to it.
    if (domain === '' || !PLAIN_DOMAIN.test(domain) || isIpLike(domain)) return false;
    into.add(domain);
  }
  return true;
}

/**
 * The session rule of an overlay: an allow for main and sub frames under `domains`, at
 * OVERLAY_PRIORITY — above every filter rule (so the installed rules give no verdict there),
 * below httpsOnly (plain http is still upgraded or blocked) and below the navigation check's
 * own session redirects.
 */
export function overlayRule(id: number, domains: readonly string[]): DnrRule {
  return {
    id,
    priority: OVERLAY_PRIORITY,
    action: { type: 'allow' },
    condition: { requestDomains: [...domains], resourceTypes: ['main_frame', 'sub_frame'] },
  };
}
