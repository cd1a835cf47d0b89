/**
 * SQLite schema, one entry per version. `PRAGMA user_version` records how many have run;
 * each runs in its own transaction at start. Never edit a shipped migration: add one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1 — initial schema
  `
  CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'auditor', 'employee')),
    group_id TEXT REFERENCES groups(id),
    disabled INTEGER NOT NULL DEFAULT 0,
    webauthn_user_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    public_key BLOB NOT NULL,
    counter INTEGER NOT NULL,
    transports TEXT NOT NULL,
    device_type TEXT NOT NULL,
    backed_up INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE INDEX passkeys_user ON passkeys(user_id);
  CREATE TABLE challenges (
    challenge TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    context TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('setup', 'invite')),
    email TEXT,
    role TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  );
  CREATE TABLE enrollment_codes (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    group_id TEXT NOT NULL REFERENCES groups(id),
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    max_uses INTEGER,
    uses INTEGER NOT NULL DEFAULT 0,
    revoked INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    group_id TEXT NOT NULL REFERENCES groups(id),
    platform TEXT NOT NULL,
    browser TEXT NOT NULL,
    extension_version TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'wiped', 'wipe_pending')),
    managed INTEGER NOT NULL,
    enrolled_at TEXT NOT NULL,
    last_seen_at TEXT,
    applied_version INTEGER
  );
  CREATE INDEX devices_group ON devices(group_id);
  CREATE INDEX devices_user ON devices(user_id);
  CREATE TABLE device_credentials (
    hash TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
  );
  CREATE INDEX device_credentials_device ON device_credentials(device_id);
  CREATE TABLE pairing_tokens (
    token_hash TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE TABLE policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    live_version INTEGER,
    published_at TEXT
  );
  CREATE TABLE policy_versions (
    policy_id TEXT NOT NULL REFERENCES policies(id),
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT,
    PRIMARY KEY (policy_id, version)
  );
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO counters (name, value) VALUES ('policy_version', 0);
  CREATE TABLE group_envelopes (
    group_id TEXT PRIMARY KEY REFERENCES groups(id),
    version INTEGER NOT NULL,
    envelope TEXT NOT NULL,
    etag TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    time TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT,
    outcome TEXT,
    url TEXT,
    destination_url TEXT,
    rule_id TEXT,
    rule_name TEXT,
    action TEXT,
    policy_version INTEGER,
    detail TEXT,
    received_at TEXT NOT NULL,
    device_id TEXT,
    user_id TEXT,
    user_email TEXT,
    actor TEXT,
    admin_action TEXT,
    target TEXT,
    site TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_time ON audit_events(time);
  CREATE INDEX audit_received ON audit_events(received_at);
  CREATE INDEX audit_user ON audit_events(user_id, seq);
  CREATE INDEX audit_device ON audit_events(device_id, seq);
  CREATE INDEX audit_kind ON audit_events(kind, seq);
  CREATE INDEX audit_rule ON audit_events(rule_id, seq);
  -- Append-only: rows are never updated (pruning deletes the oldest, with a checkpoint).
  CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
  CREATE TABLE audit_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    pruned_at TEXT NOT NULL
  );
  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL
  );
  `,
  // 2 — proven identity: an email is verified only by an admin's invite (or approval);
  // a managed device's userEmail is a claim, never a link to an account; enrollment codes
  // are stored hashed; a user has at most the group's maxDevicesPerUser devices; a session
  // remembers the passkey that started it, so removing the passkey ends it.
  `
  ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
  -- Admins and auditors only ever came through invites; employees came through shared codes.
  UPDATE users SET email_verified = 1 WHERE role IN ('admin', 'auditor');
  ALTER TABLE invites ADD COLUMN name TEXT;
  ALTER TABLE invites ADD COLUMN group_id TEXT REFERENCES groups(id);
  ALTER TABLE groups ADD COLUMN max_devices_per_user INTEGER NOT NULL DEFAULT 5;
  ALTER TABLE enrollment_codes RENAME COLUMN code TO code_hash;
  ALTER TABLE enrollment_codes ADD COLUMN code_hint TEXT NOT NULL DEFAULT '';
  ALTER TABLE enrollment_codes ADD COLUMN email_domain TEXT;
  UPDATE enrollment_codes SET code_hint = substr(code_hash, -4), code_hash = palisade_token_hash(code_hash);
  ALTER TABLE devices ADD COLUMN claimed_email TEXT;
  -- Managed devices were linked to an account by the email in managed storage: unproven.
  UPDATE devices SET claimed_email = (SELECT email FROM users WHERE users.id = devices.user_id),
    user_id = NULL WHERE managed = 1 AND user_id IS NOT NULL;
  ALTER TABLE sessions ADD COLUMN passkey_id TEXT;
  CREATE INDEX sessions_passkey ON sessions(passkey_id);
  CREATE TABLE device_claims (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
  );
  `,
  // 3 — audit-integrity — chain version 2 (RFC 8785 over every column) and signed heads and
  // checkpoints: rows stored before keep hash_version 1 and verify under the old scheme.
  `
  ALTER TABLE audit_events ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE audit_checkpoint ADD COLUMN key_id TEXT;
  ALTER TABLE audit_checkpoint ADD COLUMN payload TEXT;
  ALTER TABLE audit_checkpoint ADD COLUMN signature TEXT;
  CREATE TABLE audit_heads (
    seq INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    key_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    signature TEXT NOT NULL
  );
  `,
  // 4 — the email a managed browser's configuration claims, on the events it sends, beside
  // (never in place of) the proven user: the audit trail shows it as "claimed".
  `
  ALTER TABLE audit_events ADD COLUMN claimed_email TEXT;
  `,
  // 5 — ingest-speed — fewer indexes on the audit hot table, each costing every insert:
  // received_at served only pruning, which now walks from the oldest row; (kind, seq)
  // served the kind filter, whose device kinds are common enough to find by scanning
  // seq — only the rare admin events keep an index (partial: device rows skip it).
  `
  DROP INDEX audit_received;
  DROP INDEX audit_kind;
  CREATE INDEX audit_admin ON audit_events(seq) WHERE kind = 'admin';
  `,
  // device-key — the device's ECDSA P-256 public key, its uninstall token (hashed), its
  // latest posture and the presence derived from it; used device-proof challenges.
  `
  CREATE TABLE device_trust (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    public_key TEXT,
    key_created_at TEXT,
    uninstall_token_hash TEXT,
    posture TEXT,
    posture_at TEXT,
    silent_since TEXT,
    removed_at TEXT
  );
  CREATE TABLE device_proof_challenges (
    challenge_hash TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
  );
  `,
  // 7 — siem — destinations the audit trail streams to, one cursor per reader of the trail
  // (each destination, and the alert engine) as the durable outbox, alert rules and the
  // alerts they raised.
  `
  CREATE TABLE integrations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('syslog', 'webhook')),
    format TEXT NOT NULL CHECK (format IN ('cef', 'json', 'ocsf')),
    target TEXT NOT NULL,
    secret TEXT,
    events TEXT NOT NULL CHECK (events IN ('all', 'alerts')),
    enabled INTEGER NOT NULL DEFAULT 1,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE audit_consumers (
    name TEXT PRIMARY KEY,
    cursor_seq INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    last_attempt_at TEXT,
    last_delivered_at TEXT,
    delivered INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE alert_rules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    threshold INTEGER,
    window_minutes INTEGER,
    policy_rule_id TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_by TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    alert_rule_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    type TEXT NOT NULL,
    subject TEXT NOT NULL,
    summary TEXT NOT NULL,
    fired_at TEXT NOT NULL
  );
  CREATE INDEX alerts_subject ON alerts(alert_rule_id, subject, fired_at);
  CREATE INDEX alerts_fired ON alerts(fired_at);
  `,
  // 8 — oidc — the OpenID Provider: oidc-provider's models (sessions, grants, codes, tokens,
  // interactions) as JSON by (model, id), the registered app clients, the provider's ES256
  // signing keys (retired ones kept for verification), and each sign-in with its device.
  `
  CREATE TABLE oidc_models (
    model TEXT NOT NULL,
    id TEXT NOT NULL,
    payload TEXT NOT NULL,
    grant_id TEXT,
    uid TEXT,
    user_code TEXT,
    expires_at TEXT,
    consumed_at TEXT,
    PRIMARY KEY (model, id)
  );
  CREATE INDEX oidc_models_grant ON oidc_models(grant_id) WHERE grant_id IS NOT NULL;
  CREATE INDEX oidc_models_uid ON oidc_models(model, uid) WHERE uid IS NOT NULL;
  CREATE INDEX oidc_models_user_code ON oidc_models(model, user_code) WHERE user_code IS NOT NULL;
  CREATE INDEX oidc_models_expiry ON oidc_models(expires_at);
  CREATE TABLE oidc_clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    app_id TEXT NOT NULL,
    backchannel_logout_uri TEXT,
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE oidc_keys (
    kid TEXT PRIMARY KEY,
    private_jwk TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
  );
  CREATE TABLE oidc_signins (
    grant_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    device_id TEXT,
    trust TEXT NOT NULL,
    app_id TEXT NOT NULL,
    session_uid TEXT,
    sid TEXT,
    client_address TEXT NOT NULL,
    posture TEXT,
    created_at TEXT NOT NULL,
    ended_at TEXT,
    end_reason TEXT
  );
  CREATE INDEX oidc_signins_client ON oidc_signins(client_id, created_at);
  CREATE INDEX oidc_signins_device ON oidc_signins(device_id) WHERE ended_at IS NULL;
  CREATE INDEX oidc_signins_user ON oidc_signins(user_id) WHERE ended_at IS NULL;
  `,
  // 9 — access-requests — "Request access" from the blocked page: the queue admins decide,
  // and the approvals (exceptions) each device's signed exception list is built from.
  `
  CREATE TABLE access_requests (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    url TEXT,
    block_filter TEXT NOT NULL,
    filter TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    scope TEXT,
    expires_at TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    note TEXT
  );
  CREATE INDEX access_requests_status ON access_requests(status, created_at);
  CREATE INDEX access_requests_device ON access_requests(device_id, created_at);
  CREATE INDEX access_requests_user ON access_requests(user_id, created_at);
  `,
  // 10 — delta-sync — each group's last signed deltas (GROUP_DELTAS_KEPT), so a device one
  // or a few versions behind fetches kilobytes instead of the full envelope.
  `
  CREATE TABLE group_deltas (
    group_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    base_version INTEGER NOT NULL,
    base_etag TEXT NOT NULL,
    delta TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (group_id, version)
  ) WITHOUT ROWID;
  `,
  // ingest-indexes — the audit hot table's (user, seq), (device, seq) and (rule, seq)
  // indexes serve only the equality filters (user_id = ?, device_id = ?, rule_id = ?),
  // which never match NULL: partial, so a row without a user, a device or a rule (an
  // unclaimed device's events, admin actions) skips that index's insert.
  `
  DROP INDEX audit_user;
  DROP INDEX audit_device;
  DROP INDEX audit_rule;
  CREATE INDEX audit_user ON audit_events(user_id, seq) WHERE user_id IS NOT NULL;
  CREATE INDEX audit_device ON audit_events(device_id, seq) WHERE device_id IS NOT NULL;
  CREATE INDEX audit_rule ON audit_events(rule_id, seq) WHERE rule_id IS NOT NULL;
  `,
];
