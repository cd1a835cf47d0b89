import type { StoredAuditEvent } from '../../core/audit/types.ts';
import { sha256Hex } from '../util/tokens.ts';

/**
 * Chain version 1, kept only to verify rows stored before version 2: SHA-256 over the
 * hand-written canonical JSON the chain used then (keys sorted by assignment into a
 * fresh object, null and undefined members left out) of the API fields. It did not cover
 * `site`, and it silently dropped own `__proto__` members — the reasons for version 2.
 * Never used for new rows.
 */
export function legacyChainHash(e: Omit<StoredAuditEvent, 'hash'>): string {
  const { site: _site, hashVersion: _version, ...content } = e as StoredAuditEvent;
  delete (content as Partial<StoredAuditEvent>).hash;
  return sha256Hex(JSON.stringify(sortDeep(content)));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && v !== null) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}
