import { nextExpiry } from '../../core/exceptions/access-exception.ts';
import { verifyExceptionList } from '../../core/exceptions/exception-list.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { KeyValueArea, Platform } from '../platform/types.ts';
import type { AccessRequestState, AccessStatus } from '../shared/messages.ts';
import { ExtensionError } from '../shared/reply.ts';
import { judgeNavigation } from './active-policy.ts';
import type { AuditRecorder } from './audit-recorder.ts';
import type { BlockRecord } from './navigation-guard.ts';
import type { PolicyState } from './policy-state.ts';
import { ApiError, type AccessRequestRecord, type ServerApi } from './server-api.ts';
import type { Enrollment, StateStore } from './state-store.ts';

/** Fires when the next access exception ends, so it is dropped on time even offline. */
export const EXPIRY_ALARM = 'palisade-exception-expiry';
const REQUESTS_KEY = 'accessRequests';

export interface AccessRequestsDeps {
  platform: Platform;
  store: StateStore;
  state: PolicyState;
  subtle: Subtle;
  recorder: AuditRecorder;
  /** The block a blocked page in this frame stands for (NavigationGuard.recordFor). */
  blockOf: (tabId: number, frameId: number) => Promise<BlockRecord | undefined>;
  apiFor: (enrollment: Enrollment) => ServerApi;
  now: () => number;
}

/**
 * The device's side of access requests (docs/access-requests.md): the blocked page's
 * "Request access", the requests' states it shows, and the signed exception list — fetched
 * or pushed, verified against the pinned key and this device's id, never older than the
 * one in force, stored signed and verified again at each start, and applied as allow
 * filters until each exception's own expiry, which the device enforces on its own clock.
 */
export class AccessRequests {
  private syncing: Promise<void> | null = null;

  constructor(private readonly deps: AccessRequestsDeps) {}

  private get session(): KeyValueArea {
    return this.deps.platform.storage.session;
  }

  /** Worker start, before the policy is compiled: the stored list, verified again. */
  async load(): Promise<void> {
    const [enrollment, stored] = await Promise.all([
      this.deps.store.enrollment(),
      this.deps.store.exceptions(),
    ]);
    if (!enrollment || !stored) return;
    const check = await this.verify(enrollment, stored.signed);
    // A list that no longer verifies is dropped; sync fetches the current one.
    this.deps.state.exceptions = check.ok ? check.list.exceptions : [];
  }

  /** A pushed list (verified like a fetched one), then the requests' new states. */
  async pushed(signed: unknown): Promise<void> {
    await this.accept(signed);
    await this.refreshRequests().catch(() => undefined);
  }

  /** Fetches the current list; coalesced, and quiet when the server is unreachable. */
  sync(): Promise<void> {
    this.syncing ??= this.fetchList().finally(() => (this.syncing = null));
    return this.syncing;
  }

  /** Minute tick and expiry alarm: drop what ended, and set the alarm for the next end. */
  async expire(): Promise<void> {
    await this.deps.state.expireExceptions();
    await this.scheduleExpiry();
  }

  /** "Request access" on the blocked page of this frame. */
  async request(tabId: number, frameId: number, reason: string): Promise<AccessStatus> {
    const record = await this.deps.blockOf(tabId, frameId);
    if (!record?.exceptionFilter || !record.filter) {
      throw new ExtensionError('refused', 'access to this page cannot be requested');
    }
    const api = await this.api();
    if (!api) throw new ExtensionError('not_enrolled', 'this browser is not enrolled');
    try {
      const request = await api.requestAccess({
        url: record.url ?? null,
        blockFilter: record.filter,
        filter: record.exceptionFilter,
        reason: reason.trim(),
      });
      await this.remember([request]);
    } catch (error) {
      if (error instanceof ApiError)
        throw new ExtensionError(error.kind === 'network' ? 'network' : 'refused', error.message);
      throw error;
    }
    return this.status(tabId, frameId, false);
  }

  /** What the blocked page shows: the request's state, and whether the page is allowed now. */
  async status(tabId: number, frameId: number, refresh: boolean): Promise<AccessStatus> {
    if (refresh) await this.refreshRequests().catch(() => undefined);
    const record = await this.deps.blockOf(tabId, frameId);
    if (!record) return { request: null, allowed: false };
    const requests = await this.cached();
    const latest = requests.find((r) => r.filter === record.exceptionFilter) ?? null;
    const active = this.deps.state.active;
    const allowed = active !== null && !judgeNavigation(active, record.target).blocked;
    return {
      request: latest && stateOf(latest),
      allowed,
      ...(allowed ? { target: record.target } : {}),
    };
  }

  private async fetchList(): Promise<void> {
    const api = await this.api();
    if (!api) return;
    try {
      await this.accept(await api.exceptions());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  private async accept(signed: unknown): Promise<void> {
    const enrollment = await this.deps.store.enrollment();
    if (!enrollment) return;
    const stored = await this.deps.store.exceptions();
    const check = await this.verify(enrollment, signed, stored?.issuedAtMs);
    if (!check.ok) {
      // A stale list is a replay or a reordering (a push and a fetch crossing): not an alarm.
      if (check.code === 'stale') return;
      await this.deps.recorder.record(
        {
          kind: 'policy',
          level: 'BLOCK',
          outcome: 'blocked',
          detail: { reason: check.code, exceptions: true },
        },
        { auditUrlDetail: 'none', policyVersion: this.deps.state.active?.version },
      );
      return;
    }
    await this.deps.store.setExceptions({ signed, issuedAtMs: check.issuedAtMs });
    await this.deps.state.setExceptions(check.list.exceptions);
    await this.scheduleExpiry();
  }

  private verify(enrollment: Enrollment, signed: unknown, notBeforeMs?: number) {
    return verifyExceptionList(this.deps.subtle, signed, {
      pinned: { keyId: enrollment.publicKey.keyId, jwk: enrollment.publicKey.jwk },
      deviceId: enrollment.deviceId,
      notBeforeMs,
    });
  }

  private async scheduleExpiry(): Promise<void> {
    const next = nextExpiry(this.deps.state.exceptions, this.deps.now());
    if (next === null) return;
    // Alarms fire no sooner than 30 s from now; the minute tick backs this up.
    const minutes = Math.max(0.5, (next - this.deps.now()) / 60_000);
    await this.deps.platform.alarms.create(EXPIRY_ALARM, { delayInMinutes: minutes });
  }

  private async refreshRequests(): Promise<void> {
    const api = await this.api();
    if (!api) return;
    await this.remember(await api.accessRequests(), true);
  }

  /** Keeps the requests' states in storage.session (this browser session only). */
  private async remember(requests: AccessRequestRecord[], replace = false): Promise<void> {
    const kept = replace
      ? []
      : (await this.cached()).filter((r) => !requests.some((n) => n.id === r.id));
    const all = [...requests, ...kept].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    await this.session.set({ [REQUESTS_KEY]: all.slice(0, 50) });
  }

  private async cached(): Promise<AccessRequestRecord[]> {
    const value = (await this.session.get(REQUESTS_KEY))[REQUESTS_KEY];
    return Array.isArray(value) ? (value as AccessRequestRecord[]) : [];
  }

  private async api(): Promise<ServerApi | null> {
    const [enrollment, status] = await Promise.all([
      this.deps.store.enrollment(),
      this.deps.store.status(),
    ]);
    return enrollment && !status.revoked ? this.deps.apiFor(enrollment) : null;
  }
}

function stateOf(r: AccessRequestRecord): AccessRequestState {
  return { state: r.state, filter: r.filter, expiresAt: r.expiresAt, note: r.note };
}
