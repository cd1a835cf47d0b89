import { httpOrigin, isNonEmptyString } from '../shared/guards.ts';

/** The admin settings of managed_schema.json, validated. */
export interface ManagedConfig {
  /** The Palisade server's origin; also pins pairing to this server. */
  serverUrl?: string;
  enrollmentCode?: string;
  userEmail?: string;
  deviceName?: string;
}

/**
 * Reads what `storage.managed` returned. Chromium already drops keys outside the schema
 * and values of the wrong type; Firefox's policies.json and a buggy admin template may
 * not, so every value is checked again. A server URL is reduced to its origin: the API
 * lives at the origin's root.
 */
export function parseManagedConfig(raw: Record<string, unknown>): ManagedConfig {
  const config: ManagedConfig = {};
  const origin = httpOrigin(raw.serverUrl);
  if (origin) config.serverUrl = origin;
  if (isNonEmptyString(raw.enrollmentCode, 256)) config.enrollmentCode = raw.enrollmentCode.trim();
  if (isNonEmptyString(raw.userEmail, 320)) config.userEmail = raw.userEmail.trim();
  if (isNonEmptyString(raw.deviceName, 200)) config.deviceName = raw.deviceName.trim();
  return config;
}
