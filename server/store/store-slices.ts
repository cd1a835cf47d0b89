import type { Store } from './store.ts';

/**
 * The slices of the Store each query module implements, named once so the SQLite and
 * PostgreSQL implementations cover exactly the same methods.
 */
export type AuditStore = Pick<
  Store,
  | 'appendAudit'
  | 'listAudit'
  | 'auditStats'
  | 'getAuditCheckpoint'
  | 'lastAuditSeqBefore'
  | 'pruneAudit'
  | 'signAuditCheckpoint'
  | 'putAuditHead'
  | 'latestAuditHead'
>;

export type FleetStore = Pick<
  Store,
  | 'createGroup'
  | 'getGroup'
  | 'getGroupByName'
  | 'listGroups'
  | 'updateGroup'
  | 'createEnrollmentCode'
  | 'getEnrollmentCode'
  | 'getEnrollmentCodeByHash'
  | 'listEnrollmentCodes'
  | 'useEnrollmentCode'
  | 'revokeEnrollmentCode'
  | 'createDevice'
  | 'addDeviceCredential'
  | 'getDevice'
  | 'getDeviceByCredential'
  | 'listDevices'
  | 'setDeviceStatus'
  | 'touchDevice'
  | 'setAppliedVersion'
  | 'assignDeviceUser'
  | 'moveUserDevices'
  | 'createPairingToken'
  | 'takePairingToken'
  | 'createDeviceClaim'
  | 'takeDeviceClaim'
>;

export type HousekeepingStore = Pick<Store, 'hitRateLimit' | 'deleteExpired'>;

export type IdentityStore = Pick<
  Store,
  | 'countUsersWithRole'
  | 'createUserWithPasskey'
  | 'getUser'
  | 'getUserByEmail'
  | 'listUsers'
  | 'updateUser'
  | 'deleteUnverifiedUser'
  | 'addPasskey'
  | 'getPasskey'
  | 'listPasskeys'
  | 'recordPasskeyUse'
  | 'deletePasskeyUnlessLast'
  | 'putChallenge'
  | 'takeChallenge'
  | 'createSession'
  | 'getSession'
  | 'touchSession'
  | 'deleteSession'
  | 'deleteUserSessions'
  | 'deletePasskeySessions'
  | 'createInvite'
  | 'getInvite'
  | 'useInvite'
  | 'deleteUnusedInvites'
>;

export type PolicyStore = Pick<
  Store,
  | 'createPolicy'
  | 'getPolicy'
  | 'listPolicies'
  | 'updatePolicyDraft'
  | 'listPolicyVersions'
  | 'getPolicyVersion'
  | 'listLivePolicies'
  | 'currentPolicyVersion'
  | 'nextPolicyVersion'
  | 'publishPolicy'
  | 'getGroupEnvelope'
  | 'listGroupEnvelopes'
  | 'putGroupEnvelopes'
  | 'putGroupDeltas'
  | 'listGroupDeltas'
>;

export type DeviceTrustStore = Pick<
  Store,
  | 'setDeviceKey'
  | 'dropDeviceKey'
  | 'getDeviceTrust'
  | 'listDeviceTrust'
  | 'putDevicePosture'
  | 'markSilentDevices'
  | 'markDeviceRemoved'
  | 'useDeviceProofChallenge'
>;

export type SiemStore = Pick<
  Store,
  | 'createIntegration'
  | 'listIntegrations'
  | 'getIntegration'
  | 'updateIntegration'
  | 'deleteIntegration'
  | 'ensureConsumer'
  | 'leaseConsumer'
  | 'releaseConsumer'
  | 'advanceConsumer'
  | 'failConsumer'
  | 'createAlertRule'
  | 'listAlertRules'
  | 'updateAlertRule'
  | 'deleteAlertRule'
  | 'recordAlert'
  | 'listAlerts'
  | 'lastAlert'
>;
