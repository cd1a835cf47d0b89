import type { SigningKeyPair } from '../../core/crypto/envelope.ts';
import type {
  AccessRequestStore,
  AuditStore,
  DeviceTrustStore,
  FleetStore,
  HousekeepingStore,
  IdentityStore,
  OidcStore,
  PolicyStore,
  SiemStore,
} from './store-slices.ts';

/**
 * Persistence, and nothing else: every method is one atomic unit of reading or writing
 * (a single statement or one transaction), with no business rules. Rules live in
 * `service/`. Methods are async so a PostgreSQL implementation (`pg`) fits the same
 * interface as the embedded better-sqlite3 one.
 *
 * Single-use things (challenges, invites, pairing tokens, enrollment-code uses) are
 * consumed with one conditional statement, so two concurrent requests — on one instance
 * or several — cannot both use them.
 */
export interface Store
  extends
    IdentityStore,
    FleetStore,
    DeviceTrustStore,
    PolicyStore,
    AccessRequestStore,
    AuditStore,
    SiemStore,
    OidcStore,
    HousekeepingStore {
  close(): Promise<void>;

  /**
   * Runs `fn` while no other holder of the same lock runs — in this process and, for a
   * store several instances share, in every instance. `envelopes` guards computing and
   * writing group envelopes, so each is signed from the state the previous one left.
   */
  withLock<T>(name: LockName, fn: () => Promise<T>): Promise<T>;

  /**
   * Only on stores several instances share (PostgreSQL): returns the policy signing key
   * kept in the database, creating it with `generate` under a lock if there is none, so
   * the first instance to start wins and all sign with the same key. The embedded SQLite
   * store leaves the key to a file in DATA_DIR (see `loadSigningKeyFor`).
   */
  sharedSigningKey?(generate: () => Promise<SigningKeyPair>): Promise<SigningKeyPair>;

  /**
   * Only on stores several instances share (PostgreSQL): messages between the instances.
   * Besides what they send, the store itself sends `{"type":"envelope","groupId","version"}`
   * in the transaction that writes a group envelope, so a change is announced exactly when
   * it commits, whoever made it.
   */
  readonly broadcast?: Broadcast;
}

export type LockName = 'envelopes';

/**
 * Messages between the server instances that share a database (PostgreSQL LISTEN/NOTIFY).
 * Delivery is at most once: a listener that was disconnected misses what was sent
 * meanwhile, which is why every (re)connection is reported — the caller re-syncs then.
 */
export interface Broadcast {
  /** Sends `payload` (under 8,000 bytes) to every listening instance, this one included. */
  send(payload: string): Promise<void>;
  /**
   * Listens until the returned function is called; resolves once listening. `connected`
   * runs once LISTEN is in effect, at first and after every reconnection (`connectionId`
   * names the database session); `disconnected` when the connection is lost.
   */
  listen(handlers: BroadcastHandlers): Promise<() => Promise<void>>;
}

export interface BroadcastHandlers {
  message(payload: string): void;
  connected(connectionId: string): void;
  disconnected(error: Error): void;
}

/** Thrown by a store when a unique constraint (e.g. a user's email) is violated. */
export class UniqueViolation extends Error {
  constructor(
    readonly constraint: string,
    options?: { cause?: unknown },
  ) {
    super(`unique constraint ${constraint} violated`, options);
    this.name = 'UniqueViolation';
  }
}
