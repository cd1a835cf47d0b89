import type {
  AppFamily,
  AuditUrlDetail,
  DataControlRule,
  EffectivePolicy,
  PolicyDocument,
  UrlSchedule,
} from './types.ts';

const DETAIL_ORDER: AuditUrlDetail[] = ['none', 'origin', 'full'];

/** What a device records when no policy says: the origin, never the full path. */
export const DEFAULT_AUDIT_URL_DETAIL: AuditUrlDetail = 'origin';

/**
 * Merges the policies that target a device into the one it enforces.
 *
 * The caller passes them from the least to the most specific: organisation-wide policies
 * first, then the group's, each set sorted by name (the server does this), so the result
 * depends only on the set of policies. The rules:
 * - URL block and allow lists are unioned. Chrome's precedence decides between filters,
 *   not list order, so the union gives the same verdicts whatever the order.
 * - Data controls are concatenated; a later rule with the same `rule_id` replaces the
 *   earlier one, so a group policy can override an organisation-wide rule by its id.
 * - App families are unioned by `id`, a later one replacing an earlier one; its `access`
 *   rule too, but a later family that sets no `access` keeps the earlier one, so a group
 *   policy that only adds a URL to an app does not silently open it to every device.
 * - URL schedules are concatenated; a later one with the same `name` replaces the earlier.
 * - `httpsOnly` hosts are unioned; `block` wins over `upgrade` (the stricter mode).
 * - `auditUrlDetail` takes the LEAST detail any policy asks for (privacy first).
 * - Each message takes the last policy that sets it.
 */
export function mergePolicies(policies: readonly PolicyDocument[]): EffectivePolicy {
  const names = policies.map((p, i) => p.name ?? `policy ${i + 1}`);
  const rules = new Map<string, DataControlRule>();
  const apps = new Map<string, AppFamily>();
  const schedules = new Map<string, UrlSchedule>();
  const blocklist = new Set<string>();
  const allowlist = new Set<string>();
  const httpsHosts = new Set<string>();
  let httpsMode: 'upgrade' | 'block' = 'upgrade';
  let detail: AuditUrlDetail | undefined;
  const messages: EffectivePolicy['messages'] = {};

  for (const p of policies) {
    for (const f of p.urlBlocklist ?? []) blocklist.add(f);
    for (const f of p.urlAllowlist ?? []) allowlist.add(f);
    for (const s of p.urlSchedules ?? []) {
      schedules.delete(s.name);
      schedules.set(s.name, s);
    }
    for (const rule of p.dataControls ?? []) {
      rules.delete(rule.rule_id); // re-insert so the overriding rule takes the later place
      rules.set(rule.rule_id, rule);
    }
    for (const app of p.apps ?? []) {
      const earlier = apps.get(app.id);
      apps.delete(app.id);
      apps.set(
        app.id,
        app.access === undefined && earlier?.access ? { ...app, access: earlier.access } : app,
      );
    }
    if (p.httpsOnly) {
      for (const h of p.httpsOnly.hosts) httpsHosts.add(h.toLowerCase());
      if (p.httpsOnly.mode === 'block') httpsMode = 'block';
    }
    if (p.auditUrlDetail) {
      detail =
        detail === undefined ||
        DETAIL_ORDER.indexOf(p.auditUrlDetail) < DETAIL_ORDER.indexOf(detail)
          ? p.auditUrlDetail
          : detail;
    }
    for (const key of ['blockedPage', 'contact', 'dataControlNotice'] as const) {
      const m = p.messages?.[key];
      if (m) messages[key] = m;
    }
  }

  return {
    name: names.length ? names.join(' + ') : 'No policy',
    sources: names,
    urlBlocklist: [...blocklist],
    urlAllowlist: [...allowlist],
    // Left out when empty, so a policy without schedules signs the same bytes as before them.
    ...(schedules.size > 0 ? { urlSchedules: [...schedules.values()] } : {}),
    dataControls: [...rules.values()],
    httpsOnly: { hosts: [...httpsHosts], mode: httpsMode },
    apps: [...apps.values()],
    auditUrlDetail: detail ?? DEFAULT_AUDIT_URL_DETAIL,
    messages,
  };
}
