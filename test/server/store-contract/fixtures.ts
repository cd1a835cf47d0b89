import { BLANK_AUDIT_ROW } from '../../../server/audit/blank-audit-row.ts';
import { ChainWalker } from '../../../server/audit/hash-chain.ts';
import { linkAuditRows } from '../../../server/audit/link-audit-rows.ts';
import { toStoredEvent } from '../../../server/audit/stored-event.ts';
import type { Store } from '../../../server/store/store.ts';
import type {
  DeviceRow,
  GroupRow,
  NewAuditRow,
  PasskeyRow,
  UserRow,
} from '../../../server/store/types.ts';
import { T0 } from './backends.ts';

/** Rows as the services would write them, with overridable fields. */
export const group = (id: string, name = id): GroupRow => ({
  id,
  name,
  createdAt: T0,
  maxDevicesPerUser: 5,
});

export const user = (id: string, patch: Partial<UserRow> = {}): UserRow => ({
  id,
  name: `User ${id}`,
  email: `${id}@example.com`,
  role: 'employee',
  groupId: null,
  disabled: false,
  webauthnUserId: `wa-${id}`,
  emailVerified: false,
  createdAt: T0,
  ...patch,
});

export const passkey = (
  id: string,
  userId: string,
  patch: Partial<PasskeyRow> = {},
): PasskeyRow => ({
  id,
  userId,
  name: 'Laptop',
  publicKey: new Uint8Array([1, 2, 3, 250, 0, 7]),
  counter: 0,
  transports: ['internal', 'hybrid'],
  deviceType: 'multiDevice',
  backedUp: true,
  createdAt: T0,
  lastUsedAt: null,
  ...patch,
});

export const device = (id: string, groupId: string, patch: Partial<DeviceRow> = {}): DeviceRow => ({
  id,
  name: `Device ${id}`,
  userId: null,
  groupId,
  platform: 'linux',
  browser: 'chromium',
  extensionVersion: null,
  status: 'active',
  managed: false,
  enrolledAt: T0,
  lastSeenAt: null,
  appliedVersion: null,
  claimedEmail: null,
  ...patch,
});

export const auditEvent = (eventId: string, patch: Partial<NewAuditRow> = {}): NewAuditRow => ({
  ...BLANK_AUDIT_ROW,
  eventId,
  time: T0,
  kind: 'block',
  level: 'BLOCK',
  outcome: 'blocked',
  url: 'https://bad.test/x',
  ruleId: 'r1',
  ruleName: 'No bad',
  policyVersion: 1,
  receivedAt: T0,
  deviceId: 'd1',
  site: 'bad.test',
  hashVersion: 2,
  ...patch,
});

/** Appends events as the audit service does. */
export const append = (store: Store, rows: NewAuditRow[]) => store.appendAudit(rows, linkAuditRows);

/** A user with one passkey (the usual way users come to exist). */
export async function seedUser(store: Store, id: string, patch: Partial<UserRow> = {}) {
  await store.createUserWithPasskey(user(id, patch), passkey(`pk-${id}`, id));
}

/** A signed statement as the store keeps it (the store does not check signatures). */
export const SIGNED = { keyId: 'k1', payload: '{"type":"test"}', signature: 'c2ln' };

/** The chain's links and hashes, walked as the audit service walks them (no signatures). */
export async function verify(store: Store) {
  const walk = new ChainWalker((await store.getAuditCheckpoint()) ?? undefined);
  for (;;) {
    const rows = await store.listAudit({}, { order: 'asc', cursor: walk.seq, limit: 100 });
    if (rows.length === 0) return { ok: true, checked: walk.checked };
    for (const row of rows) {
      const broken = walk.next(toStoredEvent(row), row.detail);
      if (broken) return { ok: false, checked: walk.checked, firstBroken: broken };
    }
  }
}
