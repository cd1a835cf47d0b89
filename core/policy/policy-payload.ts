import type { EffectivePolicy } from './types.ts';

/**
 * What the server signs for a group: the effective policy and its version. Devices
 * verify the envelope, then parse this from its payload.
 */
export interface PolicyPayload {
  v: 1;
  /** Monotonic per server: every publish gets a new, larger version. */
  version: number;
  issuedAt: string;
  groupId: string;
  groupName: string;
  policy: EffectivePolicy;
}

/**
 * The effective policy as devices receive it: without the apps' `access` rules, which the
 * server alone checks at sign-in. Devices have no use for them, and the groups and
 * networks they name are the server's to know.
 */
export function devicePolicy(policy: EffectivePolicy): EffectivePolicy {
  if (!policy.apps.some((a) => a.access !== undefined)) return policy;
  return { ...policy, apps: policy.apps.map(({ access: _access, ...app }) => app) };
}

/** Parses a verified payload; returns null when it is not a Palisade policy payload. */
export function parsePolicyPayload(text: string): PolicyPayload | null {
  const p = parseJsonObject(text);
  if (!p) return null;
  if (p.v !== 1 || typeof p.version !== 'number' || typeof p.groupId !== 'string') return null;
  if (typeof p.policy !== 'object' || p.policy === null) return null;
  const policy = p.policy as Record<string, unknown>;
  if (!Array.isArray(policy.urlBlocklist) || !Array.isArray(policy.urlAllowlist)) return null;
  if (!Array.isArray(policy.dataControls)) return null;
  return p as unknown as PolicyPayload;
}

/** `text` as a JSON object, or null when it is not valid JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}
