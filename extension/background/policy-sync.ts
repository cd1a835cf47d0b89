import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { AuditRecorder } from './audit-recorder.ts';
import type { DeltaStep, PolicyState } from './policy-state.ts';
import type { PushedPolicy } from './push-channel.ts';
import { ApiError, type PolicyResponse, type ServerApi } from './server-api.ts';
import type { Enrollment, StateStore } from './state-store.ts';
import { patchPolicyPayload } from '../../core/policy/policy-delta.ts';
import type { PolicyPayload } from '../../core/policy/policy-payload.ts';
import { verifyDelta } from './verify-delta.ts';
import { verifyPolicy, withDefaults } from './verify-policy.ts';

export interface SyncDeps {
  store: StateStore;
  state: PolicyState;
  subtle: Subtle;
  recorder: AuditRecorder;
  apiFor: (enrollment: Enrollment) => ServerApi;
  now: () => Date;
  /**
   * A hint that the device's standing changed — a 401 or 410, another group's envelope —
   * which only a signed command can confirm (DeviceCommands.recheck).
   */
  recheck: (claimed?: { command: 'wipe' | 'revoke'; via: string }) => Promise<unknown>;
}

export type SyncResult = 'updated' | 'unchanged' | 'refused' | 'failed' | 'skipped';

/**
 * Fetches the signed effective policy (If-None-Match) — or takes the one a push carried —
 * verifies it against the pinned key, refuses anything that fails, names another group
 * than the device's, or is older than what is enforced or than the last signed move allows
 * (a replayed old policy or another group's could loosen it), applies it, and acknowledges
 * the version. When it holds the stored version it asks for signed deltas from it instead
 * (docs/delta-sync.md), checked the same way. Calls are coalesced: a request during a sync runs once more after it (with a
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
    const stored = await store.policyHead();
    try {
      // A delta applies to the policy in memory, which must be the stored version.
      const delta = stored !== null && this.deps.state.active?.version === stored.version;
      // What a push carried is trusted no more than a fetched answer: it is verified below.
      // Pushed deltas are for the devices holding their base; the others ask for their own.
      let res: PolicyResponse =
        pushed && 'envelope' in pushed
          ? { status: 200, envelope: pushed.envelope, etag: pushed.etag }
          : pushed && delta && stored.etag === pushed.baseEtag
            ? { status: 200, deltas: pushed.deltas, etag: pushed.etag }
            : await api.policy(stored?.etag ?? null, { delta });
      const at = this.deps.now().toISOString();
      if (res.status === 304) {
        await store.updateStatus({ lastSyncAt: at, lastSyncError: undefined });
        if (stored && status.ackedVersion !== stored.version) await this.ack(api, stored.version);
        return 'unchanged';
      }
      if ('deltas' in res) {
        const outcome = await this.applyDeltas(enrollment, res.deltas, res.etag);
        if (outcome === 'updated') {
          await store.updateStatus({ lastSyncAt: at, lastSyncError: undefined });
          await this.ack(api, this.deps.state.active!.version);
        }
        if (outcome !== 'full') return outcome;
        // Another base, another group, or a result that is not the signed one: take the
        // full envelope, which goes through every check below.
        res = await api.policy(null);
        if (res.status === 304 || 'deltas' in res) return 'failed';
      }
      const verified = await verifyPolicy(this.deps.subtle, res.envelope, enrollment.publicKey);
      if (!verified.ok) return this.refuse(verified.reason, verified.message);
      const payload = verified.payload;
      const bound = await this.boundGroup(enrollment, payload.groupId);
      if (!bound) return 'skipped'; // the signed answer was a wipe or a revoke
      if (payload.groupId !== bound.groupId) {
        return this.refuse(
          'wrong_group',
          `the policy is for group ${payload.groupId}, this device is in ${bound.groupId}`,
        );
      }
      const floor = Math.max(stored?.version ?? 0, bound.minVersion ?? 0);
      if (payload.version < floor) {
        return this.refuse('rollback', `version ${payload.version} is older than ${floor}`);
      }
      await this.deps.state.install(res.envelope as SignedEnvelope, payload, res.etag);
      await store.updateStatus({ lastSyncAt: at, lastSyncError: undefined });
      await this.ack(api, payload.version);
      return 'updated';
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      await store.updateStatus({ lastSyncError: error.message });
      // Anyone on the path can answer 401 or 410: ask for the signed command instead.
      if (error.kind === 'revoked' || error.kind === 'wiped') {
        await this.deps.recheck({
          command: error.kind === 'wiped' ? 'wipe' : 'revoke',
          via: 'sync',
        });
      }
      return 'failed';
    }
  }

  /**
   * Verifies each signed delta as a full envelope is verified, checks it continues from the
   * policy held, for this device's group, at a version the floor allows, and installs the
   * rebuilt policy. 'full' asks the caller for the full envelope instead.
   */
  private async applyDeltas(
    enrollment: Enrollment,
    deltas: unknown[],
    etag: string | null,
  ): Promise<SyncResult | 'full'> {
    const active = this.deps.state.active;
    if (!active || deltas.length === 0 || !enrollment.groupId) return 'full';
    const floor = Math.max(active.version, enrollment.minVersion ?? 0);
    let base: PolicyPayload = active.payload;
    const steps: DeltaStep[] = [];
    for (const envelope of deltas) {
      const verified = await verifyDelta(this.deps.subtle, envelope, enrollment.publicKey);
      if (!verified.ok) return this.refuse(verified.reason, verified.message);
      const d = verified.delta;
      // Another group: a move this device may have missed; the full path asks for it.
      if (d.groupId !== enrollment.groupId) return 'full';
      if (d.version <= d.baseVersion || d.version < floor) {
        return this.refuse('rollback', `version ${d.version} is older than ${floor}`);
      }
      const patched = patchPolicyPayload(base, d);
      if (!patched.ok) return 'full';
      base = withDefaults(patched.payload);
      steps.push({
        envelope: envelope as SignedEnvelope,
        delta: d,
        signed: patched.payload,
        payload: base,
        lists: patched.lists,
      });
    }
    // A result whose SHA-256 is not the signed one (checked there, or right after an overlay).
    return (await this.deps.state.installDelta(steps, etag)) ? 'updated' : 'full';
  }

  /**
   * The group (and version floor) the device is bound to. An envelope naming another group
   * is either a move this device missed or someone serving it a laxer group's policy: ask
   * the server for the signed `move`. An enrollment older than group binding learns its
   * group from the signed policy it already enforces, else from this one.
   */
  private async boundGroup(enrollment: Enrollment, offered: string): Promise<Enrollment | null> {
    if (enrollment.groupId === offered) return enrollment;
    await this.deps.recheck();
    const [now, status] = await Promise.all([
      this.deps.store.enrollment(),
      this.deps.store.status(),
    ]);
    if (!now || status.revoked) return null;
    if (now.groupId) return now;
    const groupId = this.deps.state.active?.payload.groupId ?? offered;
    await this.deps.store.updateEnrollment({ groupId });
    return { ...now, groupId };
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
