/**
 * PostgreSQL schema, one entry per version; `schema_migrations` records which have run.
 * Never edit a shipped migration: add one. Table and column names match the SQLite
 * schema, so `palisade db copy` moves rows column for column.
 *
 * Types: times are `timestamptz` (read back as ISO strings), except the audit trail's
 * `time` and `received_at`, which are hashed: they stay the exact text the hash covers.
 * Policy documents are `json` (keeps the admin's key order; `jsonb` would not).
 */
export const MIGRATIONS: readonly string[] = [
  // 1 — initial schema
  `
  CREATE TABLE groups (
    id text PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL
  );
  CREATE UNIQUE INDEX groups_name ON groups (lower(name));
  CREATE TABLE users (
    id text PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'auditor', 'employee')),
    group_id text REFERENCES groups(id),
    disabled boolean NOT NULL DEFAULT false,
    webauthn_user_id text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
  );
  CREATE UNIQUE INDEX users_email ON users (lower(email));
  CREATE TABLE passkeys (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name text NOT NULL,
    public_key bytea NOT NULL,
    counter bigint NOT NULL,
    transports jsonb NOT NULL,
    device_type text NOT NULL,
    backed_up boolean NOT NULL,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz
  );
  CREATE INDEX passkeys_user ON passkeys (user_id);
  CREATE TABLE challenges (
    challenge text PRIMARY KEY,
    purpose text NOT NULL,
    context text NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE invites (
    token_hash text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('setup', 'invite')),
    email text,
    role text NOT NULL,
    created_by text,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
  );
  CREATE TABLE enrollment_codes (
    id text PRIMARY KEY,
    code text NOT NULL UNIQUE,
    group_id text NOT NULL REFERENCES groups(id),
    created_by text,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    max_uses integer,
    uses integer NOT NULL DEFAULT 0,
    revoked boolean NOT NULL DEFAULT false
  );
  CREATE TABLE devices (
    id text PRIMARY KEY,
    name text NOT NULL,
    user_id text REFERENCES users(id),
    group_id text NOT NULL REFERENCES groups(id),
    platform text NOT NULL,
    browser text NOT NULL,
    extension_version text,
    status text NOT NULL CHECK (status IN ('active', 'revoked', 'wiped', 'wipe_pending')),
    managed boolean NOT NULL,
    enrolled_at timestamptz NOT NULL,
    last_seen_at timestamptz,
    applied_version bigint
  );
  CREATE INDEX devices_group ON devices (group_id);
  CREATE INDEX devices_user ON devices (user_id);
  CREATE TABLE device_credentials (
    hash text PRIMARY KEY,
    device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX device_credentials_device ON device_credentials (device_id);
  CREATE TABLE pairing_tokens (
    token_hash text PRIMARY KEY,
    device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    user_id text NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE TABLE policies (
    id text PRIMARY KEY,
    name text NOT NULL,
    document json NOT NULL,
    created_by text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    live_version bigint,
    published_at timestamptz
  );
  CREATE TABLE policy_versions (
    policy_id text NOT NULL REFERENCES policies(id),
    version bigint NOT NULL,
    document json NOT NULL,
    published_at timestamptz NOT NULL,
    published_by text,
    PRIMARY KEY (policy_id, version)
  );
  CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
  INSERT INTO counters (name, value) VALUES ('policy_version', 0);
  CREATE TABLE group_envelopes (
    group_id text PRIMARY KEY REFERENCES groups(id),
    version bigint NOT NULL,
    envelope text NOT NULL,
    etag text NOT NULL,
    updated_at timestamptz NOT NULL
  );
  -- Every instance caches envelopes and pushes to its own devices: announce each change in
  -- the transaction that makes it (delivered at commit, never for a rolled-back write).
  CREATE FUNCTION group_envelopes_announce() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('palisade_push', json_build_object(
      'type', 'envelope', 'groupId', NEW.group_id, 'version', NEW.version)::text);
    RETURN NULL;
  END $$;
  CREATE TRIGGER group_envelopes_announce AFTER INSERT OR UPDATE ON group_envelopes
    FOR EACH ROW EXECUTE FUNCTION group_envelopes_announce();
  CREATE TABLE audit_events (
    seq bigint PRIMARY KEY,
    event_id text NOT NULL UNIQUE,
    time text NOT NULL,
    kind text NOT NULL,
    level text,
    outcome text,
    url text,
    destination_url text,
    rule_id text,
    rule_name text,
    action text,
    policy_version bigint,
    detail text,
    received_at text NOT NULL,
    device_id text,
    user_id text,
    user_email text,
    actor text,
    admin_action text,
    target text,
    site text,
    prev_hash text NOT NULL,
    hash text NOT NULL
  );
  CREATE INDEX audit_time ON audit_events (time);
  CREATE INDEX audit_received ON audit_events (received_at);
  CREATE INDEX audit_user ON audit_events (user_id, seq);
  CREATE INDEX audit_device ON audit_events (device_id, seq);
  CREATE INDEX audit_kind ON audit_events (kind, seq);
  CREATE INDEX audit_rule ON audit_events (rule_id, seq);
  -- Append-only: rows are never updated (pruning deletes the oldest, with a checkpoint).
  CREATE FUNCTION audit_events_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
  END $$;
  CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_no_update();
  CREATE TABLE audit_checkpoint (
    id integer PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL,
    hash text NOT NULL,
    pruned_at timestamptz NOT NULL
  );
  CREATE TABLE rate_limits (
    key text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    count integer NOT NULL
  );
  -- The policy signing key every instance signs with (SQLite keeps it as a file instead).
  CREATE TABLE signing_key (
    id integer PRIMARY KEY CHECK (id = 1),
    key_id text NOT NULL,
    private_jwk json NOT NULL,
    public_jwk json NOT NULL,
    created_at timestamptz NOT NULL
  );
  `,
  // 2 — proven identity (see the SQLite migration 2 for what each change is for)
  `
  ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
  UPDATE users SET email_verified = true WHERE role IN ('admin', 'auditor');
  ALTER TABLE invites ADD COLUMN name text;
  ALTER TABLE invites ADD COLUMN group_id text REFERENCES groups(id);
  ALTER TABLE groups ADD COLUMN max_devices_per_user integer NOT NULL DEFAULT 5;
  ALTER TABLE enrollment_codes RENAME COLUMN code TO code_hash;
  ALTER TABLE enrollment_codes ADD COLUMN code_hint text NOT NULL DEFAULT '';
  ALTER TABLE enrollment_codes ADD COLUMN email_domain text;
  -- The same hash as hashToken(): SHA-256 of the UTF-8 text, base64url without padding.
  UPDATE enrollment_codes SET code_hint = right(code_hash, 4),
    code_hash = rtrim(translate(encode(sha256(convert_to(code_hash, 'UTF8')), 'base64'), '+/', '-_'), '=');
  ALTER TABLE devices ADD COLUMN claimed_email text;
  UPDATE devices SET claimed_email = (SELECT email FROM users WHERE users.id = devices.user_id),
    user_id = NULL WHERE managed AND user_id IS NOT NULL;
  ALTER TABLE sessions ADD COLUMN passkey_id text;
  CREATE INDEX sessions_passkey ON sessions (passkey_id);
  CREATE TABLE device_claims (
    token_hash text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
  );
  `,
  // 3 — audit-integrity — chain version 2 (RFC 8785 over every column) and signed heads and
  // checkpoints: rows stored before keep hash_version 1 and verify under the old scheme.
  `
  ALTER TABLE audit_events ADD COLUMN hash_version integer NOT NULL DEFAULT 1;
  ALTER TABLE audit_checkpoint ADD COLUMN key_id text;
  ALTER TABLE audit_checkpoint ADD COLUMN payload text;
  ALTER TABLE audit_checkpoint ADD COLUMN signature text;
  CREATE TABLE audit_heads (
    seq bigint PRIMARY KEY,
    hash text NOT NULL,
    signed_at text NOT NULL,
    key_id text NOT NULL,
    payload text NOT NULL,
    signature text NOT NULL
  );
  `,
  // 4 — the email a managed browser claims, on its events (see the SQLite migration 4)
  `
  ALTER TABLE audit_events ADD COLUMN claimed_email text;
  `,
  // 5 — ingest-speed — the received_at index served only pruning, which now walks from the
  // oldest row (see the SQLite migration 5). (kind, seq) stays: a generic plan for
  // "kind = $1" could not count on a partial index for the admin events.
  `
  DROP INDEX audit_received;
  `,
  // device-key — device keys, uninstall tokens, posture and presence; used device-proof
  // challenges (see the SQLite migration of the same name).
  `
  CREATE TABLE device_trust (
    device_id text PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    public_key text,
    key_created_at timestamptz,
    uninstall_token_hash text,
    posture text,
    posture_at timestamptz,
    silent_since timestamptz,
    removed_at timestamptz
  );
  CREATE TABLE device_proof_challenges (
    challenge_hash text PRIMARY KEY,
    expires_at timestamptz NOT NULL
  );
  `,
  // 7 — siem — destinations, audit-trail consumers (the outbox cursors), alert rules and
  // alerts (see the SQLite migration 7).
  `
  CREATE TABLE integrations (
    id text PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('syslog', 'webhook')),
    format text NOT NULL CHECK (format IN ('cef', 'json', 'ocsf')),
    target text NOT NULL,
    secret text,
    events text NOT NULL CHECK (events IN ('all', 'alerts')),
    enabled boolean NOT NULL DEFAULT true,
    created_by text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  );
  CREATE TABLE audit_consumers (
    name text PRIMARY KEY,
    cursor_seq bigint NOT NULL,
    lease_owner text,
    lease_until timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_error text,
    last_attempt_at timestamptz,
    last_delivered_at timestamptz,
    delivered bigint NOT NULL DEFAULT 0
  );
  CREATE TABLE alert_rules (
    id text PRIMARY KEY,
    name text NOT NULL,
    type text NOT NULL,
    threshold integer,
    window_minutes integer,
    policy_rule_id text,
    enabled boolean NOT NULL DEFAULT true,
    created_by text,
    created_at timestamptz NOT NULL
  );
  CREATE TABLE alerts (
    id text PRIMARY KEY,
    alert_rule_id text NOT NULL,
    rule_name text NOT NULL,
    type text NOT NULL,
    subject text NOT NULL,
    summary text NOT NULL,
    fired_at timestamptz NOT NULL
  );
  CREATE INDEX alerts_subject ON alerts (alert_rule_id, subject, fired_at);
  CREATE INDEX alerts_fired ON alerts (fired_at);
  `,
  // 8 — oidc — the OpenID Provider (see the SQLite migration of the same name): oidc-provider's
  // models, the registered app clients, the ES256 signing keys and each sign-in.
  `
  CREATE TABLE oidc_models (
    model text NOT NULL,
    id text NOT NULL,
    payload text NOT NULL,
    grant_id text,
    uid text,
    user_code text,
    expires_at text,
    consumed_at text,
    PRIMARY KEY (model, id)
  );
  CREATE INDEX oidc_models_grant ON oidc_models(grant_id) WHERE grant_id IS NOT NULL;
  CREATE INDEX oidc_models_uid ON oidc_models(model, uid) WHERE uid IS NOT NULL;
  CREATE INDEX oidc_models_user_code ON oidc_models(model, user_code) WHERE user_code IS NOT NULL;
  CREATE INDEX oidc_models_expiry ON oidc_models(expires_at);
  CREATE TABLE oidc_clients (
    id text PRIMARY KEY,
    name text NOT NULL,
    redirect_uris text NOT NULL,
    app_id text NOT NULL,
    backchannel_logout_uri text,
    secret_hash text NOT NULL,
    created_at text NOT NULL
  );
  CREATE TABLE oidc_keys (
    kid text PRIMARY KEY,
    private_jwk text NOT NULL,
    created_at text NOT NULL,
    retired_at text
  );
  CREATE TABLE oidc_signins (
    grant_id text PRIMARY KEY,
    client_id text NOT NULL,
    user_id text NOT NULL,
    device_id text,
    trust text NOT NULL,
    app_id text NOT NULL,
    session_uid text,
    sid text,
    client_address text NOT NULL,
    posture text,
    created_at text NOT NULL,
    ended_at text,
    end_reason text
  );
  CREATE INDEX oidc_signins_client ON oidc_signins(client_id, created_at);
  CREATE INDEX oidc_signins_device ON oidc_signins(device_id) WHERE ended_at IS NULL;
  CREATE INDEX oidc_signins_user ON oidc_signins(user_id) WHERE ended_at IS NULL;
  `,
  // 9 — access-requests — the access request queue and its approvals (see the SQLite migration 9)
  `
  CREATE TABLE access_requests (
    id text PRIMARY KEY,
    device_id text NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    user_id text REFERENCES users(id) ON DELETE CASCADE,
    url text,
    block_filter text NOT NULL,
    filter text NOT NULL,
    reason text NOT NULL,
    status text NOT NULL,
    scope text,
    expires_at timestamptz,
    created_at timestamptz NOT NULL,
    decided_at timestamptz,
    decided_by text,
    note text
  );
  CREATE INDEX access_requests_status ON access_requests(status, created_at);
  CREATE INDEX access_requests_device ON access_requests(device_id, created_at);
  CREATE INDEX access_requests_user ON access_requests(user_id, created_at);
  `,
  // 10 — delta-sync — each group’s last signed deltas (see the SQLite migration of the same name)
  `
  CREATE TABLE group_deltas (
    group_id text NOT NULL,
    version bigint NOT NULL,
    base_version bigint NOT NULL,
    base_etag text NOT NULL,
    delta text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (group_id, version)
  );
  `,
  // ingest-indexes — the audit (user, seq), (device, seq) and (rule, seq) indexes made
  // partial, skipping NULLs (see the SQLite migration of the same name): "x = $1" implies
  // "x IS NOT NULL", so the planner still uses them.
  `
  DROP INDEX audit_user;
  DROP INDEX audit_device;
  DROP INDEX audit_rule;
  CREATE INDEX audit_user ON audit_events (user_id, seq) WHERE user_id IS NOT NULL;
  CREATE INDEX audit_device ON audit_events (device_id, seq) WHERE device_id IS NOT NULL;
  CREATE INDEX audit_rule ON audit_events (rule_id, seq) WHERE rule_id IS NOT NULL;
  `,
];
