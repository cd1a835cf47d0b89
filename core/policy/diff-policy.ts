import type { PolicyDocument } from './types.ts';

export interface PolicyChange {
  /** Where the change is, e.g. `urlBlocklist` or `dataControls[rule_id=corp-copy].restrictions`. */
  path: string;
  op: 'add' | 'remove' | 'change';
  before?: unknown;
  after?: unknown;
}

/**
 * What publishing `after` changes compared with the live `before`, for the admin's
 * review. Lists of filters are compared as sets (their order has no effect); data
 * controls and apps are matched by `rule_id` / `id` so a moved rule is not a change; an
 * app's fields are compared one by one, so a changed access rule shows as
 * `apps[id=crm].access` rather than the whole app.
 */
export function diffPolicy(before: PolicyDocument | null, after: PolicyDocument): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const b: PolicyDocument = before ?? {};
  for (const key of ['urlBlocklist', 'urlAllowlist', 'targetGroups'] as const) {
    diffSet(changes, key, b[key] ?? [], after[key] ?? []);
  }
  diffKeyed(changes, 'dataControls', 'rule_id', b.dataControls ?? [], after.dataControls ?? []);
  diffKeyed(changes, 'urlSchedules', 'name', b.urlSchedules ?? [], after.urlSchedules ?? []);
  diffKeyed(changes, 'apps', 'id', b.apps ?? [], after.apps ?? [], true);
  for (const key of ['name', 'description', 'httpsOnly', 'auditUrlDetail', 'messages'] as const) {
    diffValue(changes, key, b[key], after[key]);
  }
  return changes;
}

function diffSet(out: PolicyChange[], path: string, before: string[], after: string[]): void {
  const a = new Set(after);
  const bs = new Set(before);
  for (const v of before) if (!a.has(v)) out.push({ path, op: 'remove', before: v });
  for (const v of after) if (!bs.has(v)) out.push({ path, op: 'add', after: v });
}

function diffKeyed<T extends object>(
  out: PolicyChange[],
  path: string,
  key: keyof T & string,
  before: readonly T[],
  after: readonly T[],
  byField = false,
): void {
  const byKey = (list: readonly T[]) => new Map(list.map((x) => [String(x[key]), x]));
  const b = byKey(before);
  const a = byKey(after);
  for (const [k, v] of b)
    if (!a.has(k)) out.push({ path: `${path}[${key}=${k}]`, op: 'remove', before: v });
  for (const [k, v] of a) {
    const old = b.get(k);
    const at = `${path}[${key}=${k}]`;
    if (!old) out.push({ path: at, op: 'add', after: v });
    else if (!byField) diffValue(out, at, old, v);
    else {
      const o = old as Record<string, unknown>;
      const n = v as Record<string, unknown>;
      for (const f of new Set([...Object.keys(o), ...Object.keys(n)])) {
        diffValue(out, `${at}.${f}`, o[f], n[f]);
      }
    }
  }
}

function diffValue(out: PolicyChange[], path: string, before: unknown, after: unknown): void {
  if (canonical(before) === canonical(after)) return;
  if (before === undefined) out.push({ path, op: 'add', after });
  else if (after === undefined) out.push({ path, op: 'remove', before });
  else out.push({ path, op: 'change', before, after });
}

/** JSON with sorted keys, so key order does not count as a change. */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)),
        )
      : v,
  );
}
