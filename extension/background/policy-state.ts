import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { AccessException } from '../../core/exceptions/access-exception.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { PolicyPayload } from '../../core/policy/policy-payload.ts';
import type { Platform } from '../platform/types.ts';
import type { PolicyDelta } from '../../core/policy/policy-delta.ts';
import { urlListsAt } from '../../core/policy/url-schedules.ts';
import {
  activatePolicy,
  exceptionsKey,
  patchActivePolicy,
  type ActivePolicy,
} from './active-policy.ts';
import {
  applyRules,
  clearRules,
  fallbackFor,
  ruleUpdateRecorded,
  type RulesState,
} from './apply-rules.ts';
import type { StateStore } from './state-store.ts';
import { verifyStoredPolicy } from './verify-delta.ts';
import type { VerifiedPolicy } from './verify-policy.ts';

/**
 * The policy being enforced: the verified payload compiled into matchers (in memory,
 * rebuilt when the worker restarts) and the DNR rules (kept by the browser).
 */
export class PolicyState {
  active: ActivePolicy | null = null;
  rules: RulesState | null = null;
  /** True for URLs the navigation guard must send to the blocked page itself. */
  needsFallback: (url: string) => boolean = fallbackFor(null);
  /** The device's verified access exceptions (expired ones included until dropped). */
  exceptions: readonly AccessException[] = [];

  constructor(
    private readonly deps: {
      platform: Platform;
      store: StateStore;
      subtle: Subtle;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private at(): Date {
    return new Date(this.now());
  }

  /**
   * At worker start: re-verify the stored envelope with the pinned key, compile it, and
   * re-apply the rules if the browser's set is not this version's (a crash between storing
   * and applying). Returns the failed verification, if any, for the caller to report.
   * Its group is not checked again: it was when it was installed, and after a move it is
   * the old group's until the new group's envelope arrives — enforced until then.
   */
  async load(): Promise<Extract<VerifiedPolicy, { ok: false }> | null> {
    const { store, subtle, platform } = this.deps;
    const [enrollment, stored] = await Promise.all([store.enrollment(), store.policy()]);
    const { rules } = await platform.storage.local.get('rules');
    this.setRules(isRulesState(rules) ? rules : null);
    if (!enrollment || !stored) return null;
    const verified = await verifyStoredPolicy(subtle, stored, enrollment.publicKey);
    if (!verified.ok) {
      // Keep enforcing what the browser already has; drop the bad copy so sync refetches.
      await store.clearPolicy();
      return verified;
    }
    this.active = activatePolicy(verified.payload, this.exceptions, this.at());
    if (
      this.rules?.version !== this.active.version ||
      (this.rules.schedule ?? '') !== this.active.lists.key ||
      (this.rules.exceptions ?? '') !== this.active.exceptionsKey
    ) {
      await this.applyRules();
    }
    return null;
  }

  /**
   * URL schedules opened or closed since the policy was compiled: compile it again for
   * `now` and replace the rules. Called every minute (the tick alarm); a no-op otherwise.
   */
  async followSchedule(now = new Date()): Promise<boolean> {
    const active = this.active;
    if (!active?.policy.urlSchedules?.length) return false;
    if (urlListsAt(active.policy, now).key === active.lists.key) return false;
    this.active = activatePolicy(active.payload, this.exceptions, now);
    await this.applyRules();
    return true;
  }

  /** Stores, compiles and applies a payload that was just verified. */
  async install(
    envelope: SignedEnvelope,
    payload: PolicyPayload,
    etag: string | null,
  ): Promise<void> {
    const appliedAt = new Date().toISOString();
    // Stored first: if the worker dies before the rules are applied, load() re-applies.
    await this.deps.store.setPolicy({ envelope, etag, version: payload.version, appliedAt });
    this.active = activatePolicy(payload, this.exceptions, this.at());
    await this.applyRules();
  }

  /**
   * A new verified exception list: recompiled and applied at once. The rules are applied
   * before the new matchers take over, so a blocked page that sees its URL allowed and
   * reloads it never meets the old DNR rules.
   */
  async setExceptions(list: readonly AccessException[]): Promise<void> {
    this.exceptions = list;
    // Each sync fetches the list again: the same live exceptions change no rule.
    if (this.active && exceptionsKey(list, this.now()) === this.active.exceptionsKey) return;
    await this.reactivate();
  }

  /** Drops exceptions whose time is up (on the minute tick and the expiry alarm; offline too). */
  async expireExceptions(): Promise<boolean> {
    if (!this.active || exceptionsKey(this.exceptions, this.now()) === this.active.exceptionsKey)
      return false;
    await this.reactivate();
    return true;
  }

  private async reactivate(): Promise<void> {
    if (!this.active) return;
    const next = activatePolicy(this.active.payload, this.exceptions, this.at());
    const rules = await applyRules(this.deps.platform, next, this.rules);
    this.active = next;
    this.setRules(rules);
    await this.deps.platform.storage.local.set({ rules });
    await ruleUpdateRecorded(this.deps.platform);
  }

  /**
   * Installs the policy a verified delta rebuilt: stores the full payload beside the signed
   * delta (which binds its bytes), patches the matcher once per delta in `steps` (each with
   * the payload it produced, starting from this.active) and changes only the DNR rules that
   * differ.
   */
  async installDelta(
    delta: SignedEnvelope,
    text: string,
    steps: readonly { payload: PolicyPayload; lists: PolicyDelta['lists'] }[],
    etag: string | null,
  ): Promise<void> {
    const payload = steps.at(-1)!.payload;
    const appliedAt = new Date().toISOString();
    await this.deps.store.setPolicy({
      envelope: delta,
      payload: text,
      etag,
      version: payload.version,
      appliedAt,
    });
    let active = this.active;
    for (const step of steps)
      active = active
        ? patchActivePolicy(active, step.payload, step.lists, this.exceptions, this.at())
        : null;
    this.active = active ?? activatePolicy(payload, this.exceptions, this.at());
    await this.applyRules();
  }

  /** Wipe: no policy, no rules. */
  async clear(): Promise<void> {
    this.active = null;
    this.exceptions = [];
    this.setRules(null);
    await clearRules(this.deps.platform);
    await this.deps.platform.storage.local.remove('rules');
    await ruleUpdateRecorded(this.deps.platform);
  }

  private async applyRules(): Promise<void> {
    if (!this.active) return;
    const rules = await applyRules(this.deps.platform, this.active, this.rules);
    this.setRules(rules);
    await this.deps.platform.storage.local.set({ rules });
    await ruleUpdateRecorded(this.deps.platform);
  }

  private setRules(rules: RulesState | null): void {
    this.rules = rules;
    this.needsFallback = fallbackFor(rules);
  }
}

function isRulesState(v: unknown): v is RulesState {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.version === 'number' &&
    (r.triggers === null ||
      (Array.isArray(r.triggers) && r.triggers.every((t) => typeof t === 'string'))) &&
    (r.keys === undefined ||
      (Array.isArray(r.keys) &&
        r.keys.every(
          (k) =>
            Array.isArray(k) &&
            k.length === 2 &&
            Number.isInteger(k[0]) &&
            typeof k[1] === 'string',
        )))
  );
}
