import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSecretsKey } from './siem/secret-box.ts';

/** Limits that tests may lower; the defaults are what a deployment gets. */
export interface RateLimits {
  /** Attempts per client address per minute. */
  login: number;
  enrollment: number;
  pairing: number;
}

/** Per-device limits on audit uploads (`POST /api/v1/device/audit`); 0 turns one off. */
export interface AuditUploadLimits {
  uploadsPerMinute: number;
  /** At least a full batch (1,000 events), so any batch can get through. */
  eventsPerMinute: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The origin people use, e.g. `https://emm.example.com` — WebAuthn's expected origin. */
  origin: string;
  rpId: string;
  rpName: string;
  /** A `postgres://` URL selects PostgreSQL (shared by several instances); null: SQLite in `dataDir`. */
  databaseUrl: string | null;
  /** PostgreSQL connections per instance. */
  databasePoolSize: number;
  /** Where the built PWA lives. */
  pwaDir: string;
  /** Audit rows older than this many days are pruned (0 keeps everything). */
  auditRetentionDays: number;
  rateLimits: RateLimits;
  auditUploadLimits: AuditUploadLimits;
  /** Whether cookies get `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
  /**
   * How many reverse proxies you run in front of the server (0: none). With N, the client
   * address is the one the outermost of them appended to `X-Forwarded-For` — the N-th
   * entry from the right; anything left of it was written by the client and is ignored.
   */
  trustProxy: number;
  /** A device that has not reported its posture for this many minutes is marked silent. */
  silentAfterMinutes: number;
  /** SECRETS_KEY: seals webhook secrets at rest (AES-256-GCM); null stores them as they are. */
  secretsKey: Buffer | null;
  /** How often each instance looks for audit rows to stream and alerts to raise (SIEM_POLL_MS). */
  siemPollMs: number;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Generous enough for a school or office behind one NAT address enrolling a fleet at once;
// codes (60 bits) and tokens (192+ bits) cannot be guessed at these rates anyway.
export const DEFAULT_RATE_LIMITS: RateLimits = { login: 60, enrollment: 120, pairing: 60 };

// A device uploads a batch when it has events, at most 500 a batch; a week's backlog after
// being offline (tens of thousands of events) still drains in a few minutes.
export const DEFAULT_AUDIT_UPLOAD_LIMITS: AuditUploadLimits = {
  uploadsPerMinute: 120,
  eventsPerMinute: 30_000,
};

/** Reads the configuration from the environment; throws with a readable message when a value is wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const port = intFrom(env.PORT, 8787, 'PORT');
  const origin = (env.ORIGIN ?? `http://localhost:${port}`).replace(/\/+$/, '');
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    throw new Error(`ORIGIN must be a URL such as https://emm.example.com, got "${origin}"`);
  }
  if (originUrl.origin !== origin) {
    throw new Error(`ORIGIN must be an origin without path, e.g. ${originUrl.origin}`);
  }
  const databaseUrl = env.DATABASE_URL || null;
  // Anything else is refused rather than ignored: falling back to SQLite would give each
  // instance of a cluster its own private database.
  if (databaseUrl && !isPostgresUrl(databaseUrl)) {
    throw new Error(
      'DATABASE_URL must be a postgres:// or postgresql:// URL; unset it to use SQLite in DATA_DIR',
    );
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    origin,
    rpId: env.RP_ID ?? originUrl.hostname,
    rpName: env.RP_NAME ?? 'Palisade',
    databaseUrl,
    databasePoolSize: intFrom(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE') || 10,
    pwaDir: path.resolve(env.PWA_DIR ?? path.join(REPO_ROOT, 'dist', 'pwa')),
    auditRetentionDays: intFrom(env.AUDIT_RETENTION_DAYS, 365, 'AUDIT_RETENTION_DAYS'),
    rateLimits: {
      login: intFrom(env.RATE_LIMIT_LOGIN, DEFAULT_RATE_LIMITS.login, 'RATE_LIMIT_LOGIN'),
      enrollment: intFrom(
        env.RATE_LIMIT_ENROLLMENT,
        DEFAULT_RATE_LIMITS.enrollment,
        'RATE_LIMIT_ENROLLMENT',
      ),
      pairing: intFrom(env.RATE_LIMIT_PAIRING, DEFAULT_RATE_LIMITS.pairing, 'RATE_LIMIT_PAIRING'),
    },
    auditUploadLimits: auditUploadLimits(env),
    secureCookies: originUrl.protocol === 'https:',
    trustProxy: proxyHops(env.TRUST_PROXY),
    silentAfterMinutes:
      intFrom(env.DEVICE_SILENT_AFTER_MINUTES, 10, 'DEVICE_SILENT_AFTER_MINUTES') || 10,
    secretsKey: parseSecretsKey(env.SECRETS_KEY),
    siemPollMs: intFrom(env.SIEM_POLL_MS, 1000, 'SIEM_POLL_MS') || 1000,
  };
}

/** Whether a DATABASE_URL names PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** TRUST_PROXY: a hop count; `true` (the older spelling) means one proxy. */
function proxyHops(value: string | undefined): number {
  if (value === 'true') return 1;
  if (value === 'false') return 0;
  return intFrom(value, 0, 'TRUST_PROXY');
}

function auditUploadLimits(env: Record<string, string | undefined>): AuditUploadLimits {
  const d = DEFAULT_AUDIT_UPLOAD_LIMITS;
  const limits = {
    uploadsPerMinute: intFrom(
      env.AUDIT_UPLOADS_PER_MINUTE,
      d.uploadsPerMinute,
      'AUDIT_UPLOADS_PER_MINUTE',
    ),
    eventsPerMinute: intFrom(
      env.AUDIT_EVENTS_PER_MINUTE,
      d.eventsPerMinute,
      'AUDIT_EVENTS_PER_MINUTE',
    ),
  };
  if (limits.eventsPerMinute !== 0 && limits.eventsPerMinute < 1000) {
    throw new Error(
      `AUDIT_EVENTS_PER_MINUTE must be 0 (off) or at least 1000 (a full batch), got "${env.AUDIT_EVENTS_PER_MINUTE}"`,
    );
  }
  return limits;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}
