import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { AuditRecorder } from './audit-recorder.ts';
import type { PolicyState } from './policy-state.ts';
import type { PushedPolicy } from './push-channel.ts';
import { ApiError, type PolicyResponse, type ServerApi } from './server-api.ts';
import type { Enrollment, StateStore } from './state-store.ts';
import { verifyPolicy } from './verify-policy.ts';

export interface SyncDeps {
  store: StateStore;
  state: PolicyState;
  subtle: Subtle;
  recorder: AuditRecorder;
  apiFor: (enrollment: Enrollment) => ServerApi;
  now: () => Date;
  onAuthLost: (kind: 'revoked' | 'wiped') => Promise<void>;
}

export type SyncResult = 'updated' | 'unchanged' | 'refused' | 'failed' | 'skipped';

/**
 * Fetches the signed effective policy (If-None-Match) — or takes the one a push carried —
 * verifies it against the pinned key, refuses anything that fails or is older than what is
 * enforced (a replayed old policy could loosen it), applies it, and acknowledges the
 * version. Calls are coalesced: a request during a sync runs once more after it (with a
 * fetch), never in parallel.
 */
export class PolicySync {
  private running: Promise<SyncResult> | null = null;
  private again = false;

  constructor(private readonly deps: SyncDeps) {}

  sync(pushed?: PushedPolicy): Promise<SyncResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run(pushed).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.sync();
      }
    });
    return this.running;
  }

  private async run(pushed?: PushedPolicy): Promise<SyncResult> {
    const { store } = this.deps;
    const [enrollment, status] = await Promise.all([store.enrollment(), store.status()]);
    if (!enrollment || status.revoked) return 'skipped';
    const api = this.deps.apiFor(enrollment);
    const stored = await store.policy();
    try {
      // A pushed envelope is trusted no more than a fetched one: it is verified below.
      const res: PolicyResponse = pushed
        ? { status: 200, envelope: pushed.envelope, etag: pushed.etag }
        : await api.policy(stored?.etag ?? null);
      const at = this.deps.now().toISOString();
      if (res.status === 304) {
        await store.updateStatus({ lastSyncAt: at, lastSyncError: undefined });
        if (stored && status.ackedVersion !== stored.version) await this.ack(api, stored.version);
        return 'unchanged';
      }
      const verified = await verifyPolicy(this.deps.subtle, res.envelope, enrollment.publicKey);
      if (!verified.ok) return this.refuse(verified.reason, verified.message);
      const payload = verified.payload;
      if (stored && payload.version < stored.version) {
        return this.refuse(
          'rollback',
          `version ${payload.version} is older than ${stored.version}`,
        );
      }
      await this.deps.state.install(res.envelope as SignedEnvelope, payload, res.etag);
      await store.updateStatus({ lastSyncAt: at, lastSyncError: undefined });
      await this.ack(api, payload.version);
      return 'updated';
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.kind === 'revoked' || error.kind === 'wiped') {
        await this.deps.onAuthLost(error.kind);
        return 'failed';
      }
      await store.updateStatus({ lastSyncError: error.message });
      return 'failed';
    }
  }

  private async ack(api: ServerApi, version: number): Promise<void> {
    await api.ack(version);
    await this.deps.store.updateStatus({ ackedVersion: version });
  }

  /** Keeps the current policy and records the refusal: someone may be tampering. */
  private async refuse(reason: string, message: string): Promise<SyncResult> {
    const active = this.deps.state.active;
    await this.deps.store.updateStatus({ lastSyncError: `policy refused: ${message}` });
    await this.deps.recorder.record(
      { kind: 'policy', level: 'BLOCK', outcome: 'blocked', detail: { reason } },
      { auditUrlDetail: 'none', policyVersion: active?.version },
    );
    return 'refused';
  }
}
