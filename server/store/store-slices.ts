import type {
  AuditCheckpointRow,
  AuditHeadRow,
  AuditFilter,
  AuditPageRequest,
  AuditRow,
  AuditStatsRow,
  ChainLink,
  ChallengeRow,
  DeviceClaimRow,
  DeviceFilter,
  DeviceRow,
  DeviceStatus,
  DeviceView,
  EnrollmentCodeRow,
  EnrollmentCodeView,
  GroupDeltaRow,
  GroupEnvelopeRow,
  GroupRow,
  GroupView,
  InviteRow,
  LivePolicyRow,
  NewAuditRow,
  SignedStatementRow,
  PairingTokenRow,
  PasskeyRow,
  PolicyRow,
  PolicyVersionRow,
  Role,
  SessionRow,
  UserRow,
  UserView,
  AlertRow,
  AlertRuleRow,
  AccessDecision,
  AccessRequestFilter,
  AccessRequestRow,
  AccessRequestView,
  ConsumerRow,
  IntegrationRow,
  IntegrationView,
  DeviceTrustRow,
  OidcClientRow,
  OidcKeyRow,
  OidcModelRow,
  OidcSigninFilter,
  OidcSigninRow,
} from './types.ts';

/*
 * The Store, slice by slice: each slice is one query module's part of it, declared here
 * once, so the SQLite and PostgreSQL modules implement exactly these methods and
 * `Store` (store.ts) is their sum.
 */

/** People: users, passkeys, WebAuthn challenges, sessions, invites. */
export interface IdentityStore {
  countUsersWithRole(role: Role): Promise<number>;
  /** Creates the user and their first passkey together. Throws `UniqueViolation` on a taken email. */
  createUserWithPasskey(user: UserRow, passkey: PasskeyRow): Promise<void>;
  getUser(id: string): Promise<UserView | null>;
  getUserByEmail(email: string): Promise<UserView | null>;
  listUsers(): Promise<UserView[]>;
  updateUser(
    id: string,
    patch: { role?: Role; disabled?: boolean; groupId?: string | null; emailVerified?: boolean },
  ): Promise<UserView | null>;
  /**
   * Removes an account whose email was never verified, in one transaction: its passkeys,
   * sessions and tokens go, its devices are revoked and unlinked. `false` when there is no
   * such unverified account (a verified one is never removed).
   */
  deleteUnverifiedUser(id: string): Promise<boolean>;

  addPasskey(passkey: PasskeyRow): Promise<void>;
  getPasskey(id: string): Promise<PasskeyRow | null>;
  listPasskeys(userId: string): Promise<PasskeyRow[]>;
  recordPasskeyUse(
    id: string,
    use: { counter: number; backedUp: boolean; lastUsedAt: string },
  ): Promise<void>;
  /** Deletes one of the user's passkeys unless it is their last; `false` when nothing was deleted. */
  deletePasskeyUnlessLast(userId: string, id: string): Promise<boolean>;

  putChallenge(row: ChallengeRow): Promise<void>;
  /** Removes and returns the challenge (even if expired: the caller decides). */
  takeChallenge(challenge: string): Promise<ChallengeRow | null>;

  createSession(row: SessionRow): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRow | null>;
  touchSession(tokenHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  deletePasskeySessions(passkeyId: string): Promise<void>;

  createInvite(row: InviteRow): Promise<void>;
  getInvite(tokenHash: string): Promise<InviteRow | null>;
  /** Marks the invite used if it is unused and unexpired at `now`; returns it, or null. */
  useInvite(tokenHash: string, now: string): Promise<InviteRow | null>;
  deleteUnusedInvites(kind: InviteRow['kind']): Promise<void>;
}

/** Groups, enrollment codes, devices, pairing and claim tokens. */
export interface FleetStore {
  createGroup(row: GroupRow): Promise<void>;
  getGroup(id: string): Promise<GroupRow | null>;
  getGroupByName(name: string): Promise<GroupRow | null>;
  listGroups(): Promise<GroupView[]>;
  updateGroup(id: string, patch: { maxDevicesPerUser?: number }): Promise<boolean>;

  createEnrollmentCode(row: EnrollmentCodeRow): Promise<void>;
  getEnrollmentCode(id: string): Promise<EnrollmentCodeView | null>;
  getEnrollmentCodeByHash(codeHash: string): Promise<EnrollmentCodeView | null>;
  listEnrollmentCodes(): Promise<EnrollmentCodeView[]>;
  /** Counts one use if the code is unrevoked, unexpired at `now` and under its limit. */
  useEnrollmentCode(id: string, now: string): Promise<boolean>;
  revokeEnrollmentCode(id: string): Promise<boolean>;

  createDevice(row: DeviceRow, credentialHash: string): Promise<void>;
  addDeviceCredential(deviceId: string, credentialHash: string, createdAt: string): Promise<void>;
  getDevice(id: string): Promise<DeviceView | null>;
  getDeviceByCredential(credentialHash: string): Promise<DeviceRow | null>;
  listDevices(filter: DeviceFilter): Promise<DeviceView[]>;
  setDeviceStatus(id: string, status: DeviceStatus): Promise<void>;
  touchDevice(
    id: string,
    patch: { lastSeenAt: string; extensionVersion?: string; platform?: string; browser?: string },
  ): Promise<void>;
  setAppliedVersion(id: string, version: number, lastSeenAt: string): Promise<void>;
  /** Makes an unowned (or already the user's) device the user's; `false` when another user owns it. */
  assignDeviceUser(deviceId: string, userId: string): Promise<boolean>;
  /** Moves the user's unmanaged devices to a group; returns their ids. */
  moveUserDevices(userId: string, groupId: string): Promise<string[]>;

  createPairingToken(row: PairingTokenRow): Promise<void>;
  /** Removes and returns the token if unexpired at `now`. */
  takePairingToken(tokenHash: string, now: string): Promise<PairingTokenRow | null>;
  createDeviceClaim(row: DeviceClaimRow): Promise<void>;
  /** Removes and returns the claim token if unexpired at `now`. */
  takeDeviceClaim(tokenHash: string, now: string): Promise<DeviceClaimRow | null>;
}

/** Policies, their published versions and the groups' signed envelopes. */
export interface PolicyStore {
  createPolicy(row: PolicyRow): Promise<void>;
  getPolicy(id: string): Promise<PolicyRow | null>;
  listPolicies(): Promise<PolicyRow[]>;
  updatePolicyDraft(
    id: string,
    draft: { name: string; document: PolicyRow['document']; updatedAt: string },
  ): Promise<void>;
  listPolicyVersions(policyId: string): Promise<PolicyVersionRow[]>;
  getPolicyVersion(policyId: string, version: number): Promise<PolicyVersionRow | null>;
  listLivePolicies(): Promise<LivePolicyRow[]>;
  /** The latest version handed out (0 before the first publish). */
  currentPolicyVersion(): Promise<number>;
  /** Hands out the next version number. */
  nextPolicyVersion(): Promise<number>;
  /** In one transaction: the new immutable version, the policy's live pointer, and the groups' envelopes. */
  publishPolicy(version: PolicyVersionRow, envelopes: GroupEnvelopeRow[]): Promise<void>;

  getGroupEnvelope(groupId: string): Promise<GroupEnvelopeRow | null>;
  listGroupEnvelopes(): Promise<GroupEnvelopeRow[]>;
  /** Upserts envelopes, never replacing a newer version with an older one. */
  putGroupEnvelopes(rows: GroupEnvelopeRow[]): Promise<void>;
  /**
   * Stores signed deltas (a row for a version already stored is kept as it is) and keeps
   * only each group's newest GROUP_DELTAS_KEPT.
   */
  putGroupDeltas(rows: GroupDeltaRow[]): Promise<void>;
  /** A group's deltas, oldest first. */
  listGroupDeltas(groupId: string): Promise<GroupDeltaRow[]>;
}

/** The hash-chained audit trail, its prune checkpoint and signed heads. */
export interface AuditStore {
  /**
   * Appends the rows to the chain in one transaction: reads the chain's tip and which
   * event ids are already stored, lets `link` give the new rows their seq, prevHash and
   * hash, and inserts what it returns. Resolves after the commit.
   */
  appendAudit(
    rows: NewAuditRow[],
    link: ChainLink,
  ): Promise<{ accepted: number; duplicates: number }>;
  listAudit(filter: AuditFilter, page: AuditPageRequest): Promise<AuditRow[]>;
  auditStats(range: { from: string; to: string; bucket: 'hour' | 'day' }): Promise<AuditStatsRow>;
  getAuditCheckpoint(): Promise<AuditCheckpointRow | null>;
  /**
   * The newest of the oldest rows all received before `time` (the last seq before the first
   * row received at or after it), or null. Rows are appended in the order they are
   * received, so this is the last row received before `time`; were the clock ever set
   * back, it stops at the first newer row — pruning less, never a row received after it.
   * Walks from the oldest row: the hot table keeps no index on `received_at`.
   */
  lastAuditSeqBefore(time: string): Promise<number | null>;
  /**
   * Deletes rows up to `checkpoint.seq` and records the signed checkpoint, in one
   * transaction; 0 (and nothing written) when the row at that seq is gone or its hash is
   * not `checkpoint.hash`. Signed heads below the checkpoint go with their rows.
   */
  pruneAudit(checkpoint: AuditCheckpointRow & { signed: SignedStatementRow }): Promise<number>;
  /** Signs a checkpoint written before checkpoints were signed (same seq and hash). */
  signAuditCheckpoint(seq: number, hash: string, signed: SignedStatementRow): Promise<void>;
  /** Stores a signed chain head; a head already stored for that seq is kept. */
  putAuditHead(head: AuditHeadRow): Promise<void>;
  /** The signed head with the highest seq, or null. */
  latestAuditHead(): Promise<AuditHeadRow | null>;
}

/** Rate-limit windows and the expiry sweep. */
export interface HousekeepingStore {
  /** Adds one hit to `key` in the window starting at `windowStart`; returns the window's count. */
  hitRateLimit(key: string, windowStart: string): Promise<number>;
  /**
   * Deletes expired challenges (device-proof ones included), sessions, pairing and claim
   * tokens and stale rate-limit windows.
   */
  deleteExpired(now: string): Promise<void>;
}

/** Device keys, posture and presence (docs/device-trust.md). */
export interface DeviceTrustStore {
  /**
   * Registers the device's public key and uninstall-token hash (replacing any before:
   * pairing hands the device to another browser), clearing `silentSince` and `removedAt`.
   */
  setDeviceKey(
    deviceId: string,
    key: { publicKey: string; uninstallTokenHash: string; createdAt: string },
  ): Promise<void>;
  /** Forgets the key and the uninstall token; the device must enroll again to prove itself. */
  dropDeviceKey(deviceId: string): Promise<void>;
  getDeviceTrust(deviceId: string): Promise<DeviceTrustRow | null>;
  listDeviceTrust(): Promise<DeviceTrustRow[]>;
  /**
   * Stores the latest posture (JSON text) and clears `silentSince`; returns the row as it was
   * before (null when the device had none), so the caller can tell what changed.
   */
  putDevicePosture(deviceId: string, posture: string, at: string): Promise<DeviceTrustRow | null>;
  /**
   * Marks silent, in one statement, every active device with a key whose last report (or
   * key registration) is older than `cutoff` and that is neither silent nor removed yet;
   * returns their ids. Atomic, so of several instances only one marks (and reports) each.
   */
  markSilentDevices(cutoff: string, now: string): Promise<string[]>;
  /**
   * Marks the device removed and drops its key and token, if `uninstallTokenHash` is its
   * current token; `false` otherwise (wrong token, already used, no such device).
   */
  markDeviceRemoved(deviceId: string, uninstallTokenHash: string, now: string): Promise<boolean>;
  /**
   * Records that a device-proof challenge was used; `false` when it already was (a replay).
   * Rows live until `expiresAt`, after which the challenge is refused on its own expiry.
   */
  useDeviceProofChallenge(challengeHash: string, expiresAt: string): Promise<boolean>;
}

/** "Request access" from the blocked page: the queue and its approvals (docs/access-requests.md). */
export interface AccessRequestStore {
  createAccessRequest(row: AccessRequestRow): Promise<void>;
  getAccessRequest(id: string): Promise<AccessRequestView | null>;
  /** Newest first. */
  listAccessRequests(filter: AccessRequestFilter): Promise<AccessRequestView[]>;
  countPendingAccessRequests(deviceId: string): Promise<number>;
  /**
   * Writes the decision only while the request is still `from` (two admins deciding at once:
   * one wins); returns the updated request, or null when it was not `from` any more.
   */
  decideAccessRequest(
    id: string,
    from: AccessRequestRow['status'],
    decision: AccessDecision,
  ): Promise<AccessRequestView | null>;
  /**
   * The approvals in force at `now` for a device: its own, and its user's (scope `user`),
   * oldest first.
   */
  listGrantedAccess(
    deviceId: string,
    userId: string | null,
    now: string,
  ): Promise<AccessRequestRow[]>;
}

/** SIEM destinations, the audit trail's consumer cursors, alert rules and alerts (docs/siem.md). */
export interface SiemStore {
  /** Creates the destination and its consumer, whose cursor starts after `cursorSeq`. */
  createIntegration(row: IntegrationRow, cursorSeq: number): Promise<void>;
  listIntegrations(): Promise<IntegrationView[]>;
  getIntegration(id: string): Promise<IntegrationView | null>;
  updateIntegration(
    id: string,
    patch: Partial<
      Pick<IntegrationRow, 'name' | 'format' | 'target' | 'secret' | 'events' | 'enabled'>
    > & { updatedAt: string },
  ): Promise<boolean>;
  /** Deletes the destination and its consumer (what was not delivered is not). */
  deleteIntegration(id: string): Promise<boolean>;
  /** Creates the consumer with its cursor at `cursorSeq` unless it exists; returns it. */
  ensureConsumer(name: string, cursorSeq: number): Promise<ConsumerRow>;
  /**
   * Takes (or renews) the consumer's lease for `owner` until `until` if nobody else holds
   * an unexpired one at `now`: one conditional update, so across instances one wins.
   * Returns the row when `owner` holds the lease, else null.
   */
  leaseConsumer(
    name: string,
    owner: string,
    now: string,
    until: string,
  ): Promise<ConsumerRow | null>;
  /** Gives the lease up (when `owner` holds it), so another instance may take over at once. */
  releaseConsumer(name: string, owner: string): Promise<void>;
  /**
   * Moves the cursor from `from` to `to` and clears the failure count — only while `owner`
   * holds the lease and the cursor is still at `from` (a fenced compare-and-set, so a
   * delivery that lost its lease cannot move the cursor). `false` when it did not apply.
   */
  advanceConsumer(
    name: string,
    owner: string,
    step: { from: number; to: number; delivered: number; at: string },
  ): Promise<boolean>;
  /** Records a failed attempt (while `owner` holds the lease): one more attempt, retry after `nextAttemptAt`. */
  failConsumer(
    name: string,
    owner: string,
    failure: { error: string; at: string; nextAttemptAt: string },
  ): Promise<boolean>;

  createAlertRule(row: AlertRuleRow): Promise<void>;
  listAlertRules(): Promise<AlertRuleRow[]>;
  updateAlertRule(
    id: string,
    patch: Partial<
      Pick<AlertRuleRow, 'name' | 'threshold' | 'windowMinutes' | 'policyRuleId' | 'enabled'>
    >,
  ): Promise<AlertRuleRow | null>;
  deleteAlertRule(id: string): Promise<boolean>;
  /** Stores an alert that fired; `false` when one with its id is already stored. */
  recordAlert(row: AlertRow): Promise<boolean>;
  /** The newest alerts first. */
  listAlerts(limit: number): Promise<AlertRow[]>;
  /** The newest alert of the rule about the subject, or null. */
  lastAlert(alertRuleId: string, subject: string): Promise<AlertRow | null>;
}

/** The OpenID Provider's models, app clients, signing keys and sign-ins (docs/oidc.md). */
export interface OidcStore {
  /** Inserts or replaces one of oidc-provider's models. */
  putOidcModel(row: OidcModelRow): Promise<void>;
  getOidcModel(model: string, id: string): Promise<OidcModelRow | null>;
  findOidcModelBy(
    model: string,
    field: 'uid' | 'userCode',
    value: string,
  ): Promise<OidcModelRow | null>;
  consumeOidcModel(model: string, id: string, at: string): Promise<void>;
  deleteOidcModel(model: string, id: string): Promise<void>;
  /** Deletes every model row (codes, tokens) issued under the grant. */
  deleteOidcGrantModels(grantId: string): Promise<void>;

  createOidcClient(row: OidcClientRow): Promise<void>;
  getOidcClient(id: string): Promise<OidcClientRow | null>;
  listOidcClients(): Promise<OidcClientRow[]>;
  deleteOidcClient(id: string): Promise<boolean>;

  addOidcKey(row: OidcKeyRow): Promise<void>;
  /** Newest first. */
  listOidcKeys(): Promise<OidcKeyRow[]>;
  /** In one transaction: every current key retired at `at`, and `row` added as the signing key. */
  rotateOidcKey(row: OidcKeyRow, at: string): Promise<void>;
  /** Deletes keys retired before `before`; returns how many. */
  deleteOidcKeysRetiredBefore(before: string): Promise<number>;

  /** Records a sign-in, replacing an earlier one of the same grant (a repeated sign-in). */
  putOidcSignin(row: OidcSigninRow): Promise<void>;
  getOidcSignin(grantId: string): Promise<OidcSigninRow | null>;
  /** Newest first. */
  listOidcSignins(filter: OidcSigninFilter): Promise<OidcSigninRow[]>;
  /** Marks live sign-ins ended; returns those it ended. */
  endOidcSignins(grantIds: string[], reason: string, at: string): Promise<OidcSigninRow[]>;
}
