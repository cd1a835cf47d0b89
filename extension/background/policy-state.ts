import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { AccessException } from '../../core/exceptions/access-exception.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { PolicyPayload } from '../../core/policy/policy-payload.ts';
import type { Platform } from '../platform/types.ts';
import type { PolicyDelta } from '../../core/policy/policy-delta.ts';
import { urlListsAt } from '../../core/policy/url-schedules.ts';
import { editedDomains, MAX_OVERLAY_DOMAINS } from '../../core/policy/dnr-overlay.ts';
import {
  activatePolicy,
  compiledAsSigned,
  compilesAsSigned,
  exceptionsKey,
  patchActivePolicy,
  rulesInputOf,
  type ActivePolicy,
} from './active-policy.ts';
import {
  applyOverlay,
  applyRules,
  clearRules,
  dropOverlay,
  fallbackFor,
  ruleUpdateRecorded,
  RULES_OVERLAY,
  type OverlayRecord,
  type RulesState,
} from './apply-rules.ts';
import type { Enrollment, PolicyHead, StateStore, StoredPolicy } from './state-store.ts';
import { rebuiltText } from '../../core/policy/policy-delta.ts';
import { isStringArray } from '../shared/guards.ts';
import { replayStoredDeltas, verifyStoredPolicy } from './verify-delta.ts';
import type { VerifiedPolicy } from './verify-policy.ts';

/** One verified delta, as PolicySync hands it over. */
export interface DeltaStep {
  envelope: SignedEnvelope;
  delta: PolicyDelta;
  /** The payload it rebuilt, as signed (its SHA-256 is `delta.payloadSha256`). */
  signed: PolicyPayload;
  /** The same with the extension's defaults filled in, as enforced. */
  payload: PolicyPayload;
  lists: PolicyDelta['lists'];
}

/**
 * Below this many filters a delta updates the dynamic rules directly: Chromium's cost of an
 * update grows with the hosts installed (seconds at a million filters, bench/extension-apply),
 * and a small set gains nothing from an overlay and its fold.
 */
export const OVERLAY_MIN_FILTERS = 10_000;

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

  /** The rule updates, one at a time: a delta's fold runs between the callers' own. */
  private ruleWork: Promise<unknown> = Promise.resolve();
  /** An overlay's fold into the dynamic rules is queued and has not started. */
  private foldQueued = false;
  /** The last delta applied under an overlay, not yet checked and stored whole (the fold). */
  private unfolded: { step: DeltaStep; head: PolicyHead; deltas: SignedEnvelope[] } | null = null;

  constructor(
    private readonly deps: {
      platform: Platform;
      store: StateStore;
      subtle: Subtle;
      now?: () => number;
    },
  ) {}

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.ruleWork.then(work);
    this.ruleWork = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the rule work queued so far, any fold included, is done (tests). */
  async folded(): Promise<void> {
    do await this.exclusive(async () => undefined);
    while (this.foldQueued);
  }

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
  load(): Promise<Extract<VerifiedPolicy, { ok: false }> | null> {
    return this.exclusive(() => this.loadNow());
  }

  private async loadNow(): Promise<Extract<VerifiedPolicy, { ok: false }> | null> {
    const { store, platform } = this.deps;
    const [enrollment, stored] = await Promise.all([store.enrollment(), store.policy()]);
    this.setRules(await this.recordedRules());
    if (!enrollment || !stored) return null;
    const verified = await this.verifiedStored(stored, enrollment.publicKey);
    if (!verified.ok) {
      // Keep enforcing what the browser already has (without an overlay the matcher would
      // have judged); drop the bad copy so sync refetches.
      if (this.rules?.overlay) await dropOverlay(platform);
      await store.clearPolicy();
      return verified;
    }
    this.active = activatePolicy(verified.payload, this.exceptions, this.at());
    if (this.rules?.overlay && this.rules.version === this.active.version) {
      // A fold the worker did not finish: the overlay again first (a browser restart drops
      // session rules), then the update.
      this.setRules(
        await applyOverlay(platform, this.rules, this.rules.version, this.rules.overlay),
      );
      await this.applyRules();
    } else if (
      this.rules?.version !== this.active.version ||
      (this.rules.schedule ?? '') !== this.active.lists.key ||
      (this.rules.exceptions ?? '') !== this.active.exceptionsKey
    ) {
      await this.applyRules();
    }
    return null;
  }

  /**
   * The rules state as recorded: the installed set's, with a pending overlay's record over
   * it. An overlay rule in the browser with no record (the worker stopped between the two)
   * is dropped: nothing would send its domains to the navigation check.
   */
  private async recordedRules(): Promise<RulesState | null> {
    const { platform } = this.deps;
    const { rules, [RULES_OVERLAY]: overlay } = await platform.storage.local.get([
      'rules',
      RULES_OVERLAY,
    ]);
    const installed = isRulesState(rules) ? rules : null;
    if (installed && isOverlayRecord(overlay) && overlay.version > installed.version)
      return { ...installed, version: overlay.version, overlay: overlay.domains };
    await dropOverlay(platform);
    return installed;
  }

  /**
   * The stored policy verified, with any deltas stored after it replayed (a fold the worker
   * did not reach): the result is then stored whole, as the fold would have.
   */
  private async verifiedStored(
    stored: StoredPolicy,
    key: Enrollment['publicKey'],
  ): Promise<VerifiedPolicy> {
    const { store, subtle } = this.deps;
    const verified = await verifyStoredPolicy(subtle, stored, key);
    const deltas = verified.ok ? await store.policyDeltas() : [];
    if (!verified.ok || deltas.length === 0) return verified;
    const replayed = await replayStoredDeltas(subtle, verified.payload, deltas, key);
    if (!replayed.ok) return replayed;
    const head = await store.policyHead();
    // The head names the last delta stored: a delta missing from storage shows here.
    if (head?.version !== replayed.payload.version)
      return { ok: false, reason: 'bad_payload', message: 'a stored delta is missing' };
    await store.setPolicy({ envelope: replayed.last, payload: replayed.text, ...head });
    return { ok: true, payload: replayed.payload };
  }

  /**
   * URL schedules opened or closed since the policy was compiled: compile it again for
   * `now` and replace the rules. Called every minute (the tick alarm); a no-op otherwise.
   */
  followSchedule(now = new Date()): Promise<boolean> {
    return this.exclusive(async () => {
      const active = this.active;
      if (!active?.policy.urlSchedules?.length) return false;
      if (urlListsAt(active.policy, now).key === active.lists.key) return false;
      this.active = activatePolicy(active.payload, this.exceptions, now);
      await this.applyRules();
      return true;
    });
  }

  /** Stores, compiles and applies a payload that was just verified. */
  async install(
    envelope: SignedEnvelope,
    payload: PolicyPayload,
    etag: string | null,
  ): Promise<void> {
    return this.exclusive(async () => {
      const appliedAt = new Date().toISOString();
      // Stored while the rules are compiled and installed, and the matcher built while the
      // browser indexes them: seconds at a million filters, and none of it needs the other.
      // The rules state is recorded only once the policy is stored: if the worker dies
      // before, load() finds the rules are not the stored version's and applies those again.
      const storing = this.deps.store.setPolicy({
        envelope,
        etag,
        version: payload.version,
        appliedAt,
      });
      const now = this.at();
      const input = rulesInputOf(payload, this.exceptions, now);
      let next: ActivePolicy | null = null;
      const rules = await applyRules(this.deps.platform, input, this.rules, () => {
        next = activatePolicy(payload, this.exceptions, now, input);
      });
      await storing;
      // (Built after the plan, so it carries it.)
      this.active = next ?? activatePolicy(payload, this.exceptions, now, input);
      await this.record(rules);
    });
  }

  /**
   * A new verified exception list: recompiled and applied at once. The rules are applied
   * before the new matchers take over, so a blocked page that sees its URL allowed and
   * reloads it never meets the old DNR rules.
   */
  setExceptions(list: readonly AccessException[]): Promise<void> {
    return this.exclusive(async () => {
      this.exceptions = list;
      // Each sync fetches the list again: the same live exceptions change no rule.
      if (this.active && exceptionsKey(list, this.now()) === this.active.exceptionsKey) return;
      await this.reactivate();
    });
  }

  /** Drops exceptions whose time is up (on the minute tick and the expiry alarm; offline too). */
  expireExceptions(): Promise<boolean> {
    return this.exclusive(async () => {
      if (!this.active || exceptionsKey(this.exceptions, this.now()) === this.active.exceptionsKey)
        return false;
      await this.reactivate();
      return true;
    });
  }

  private async reactivate(): Promise<void> {
    if (!this.active) return;
    const next = activatePolicy(this.active.payload, this.exceptions, this.at());
    const rules = await applyRules(this.deps.platform, next, this.rules);
    this.active = next;
    await this.record(rules);
  }

  /**
   * Installs the policy verified deltas rebuilt, patching the matcher once per step (each
   * with the payload it produced, starting from this.active). A small change to a large
   * policy is enforced at once: the signed deltas are stored beside the policy (not the 20 MB
   * payload), an overlay takes the change (`overlayDomains`), and the fold right after checks
   * the result's signed SHA-256, stores it whole and brings the dynamic rules up to it.
   * Anything else is checked, stored and applied (only the rules that differ) now. False when
   * the result is not the signed one: the caller fetches the full envelope.
   */
  installDelta(steps: readonly DeltaStep[], etag: string | null): Promise<boolean> {
    return this.exclusive(async () => {
      const last = steps.at(-1)!;
      const head = { etag, version: last.payload.version, appliedAt: new Date().toISOString() };
      const prev = this.active;
      const next = (): ActivePolicy => {
        let active = prev;
        for (const step of steps)
          active = active
            ? patchActivePolicy(active, step.payload, step.lists, this.exceptions, this.at())
            : null;
        return active ?? activatePolicy(last.payload, this.exceptions, this.at());
      };
      const patchedOnly = prev && this.rules ? this.overlayDomains(prev, steps) : null;
      if (!patchedOnly) {
        if (!(await this.storeRebuilt(last, head))) return false;
        this.active = next();
        await this.applyRules();
        return true;
      }
      // Recorded before the overlay is installed: if the worker stops in between, load()
      // replays the deltas, installs the overlay and folds. The matcher is patched meanwhile.
      const deltas = [...(this.unfolded?.deltas ?? []), ...steps.map((s) => s.envelope)];
      const overlay: OverlayRecord = { version: head.version, domains: patchedOnly };
      const recorded = this.deps.store.setPolicyDeltas(deltas, head, { [RULES_OVERLAY]: overlay });
      this.active = next();
      await recorded;
      this.unfolded = { step: last, head, deltas };
      const rules = await applyOverlay(this.deps.platform, this.rules!, head.version, patchedOnly);
      this.setRules(rules);
      this.foldSoon();
      return true;
    });
  }

  /**
   * The domains an overlay must hold to enforce `steps` over the installed rules (a pending
   * overlay's included), or null when
   * the dynamic rules must change now: they are not `prev`'s as recorded, the policy is small,
   * a schedule or an exception shapes the lists, httpsOnly changed (its rules would), or some
   * edited filter is not confined to domains (core/policy/dnr-overlay.ts).
   */
  private overlayDomains(prev: ActivePolicy, steps: readonly DeltaStep[]): string[] | null {
    const rules = this.rules;
    // (With `triggers: null` the navigation check judges every URL: the overlay still holds.)
    if (!rules?.keys || rules.error !== undefined) return null;
    if (rules.version !== prev.version || (rules.exceptions ?? '') !== '') return null;
    if (rules.schedule !== undefined && rules.schedule.includes('1')) return null;
    const nextPolicy = steps.at(-1)!.payload.policy;
    if (!compiledAsSigned(prev) || !compilesAsSigned(nextPolicy, this.exceptions, this.at()))
      return null;
    const size = prev.policy.urlBlocklist.length + prev.policy.urlAllowlist.length;
    if (size < OVERLAY_MIN_FILTERS) return null;
    if (JSON.stringify(prev.policy.httpsOnly) !== JSON.stringify(nextPolicy.httpsOnly)) return null;
    const domains = new Set(rules.overlay ?? []);
    let before = prev.payload.policy;
    for (const step of steps) {
      if (!editedDomains(before.urlBlocklist, step.lists.urlBlocklist, domains)) return null;
      if (!editedDomains(before.urlAllowlist, step.lists.urlAllowlist, domains)) return null;
      before = step.payload.policy;
    }
    return domains.size <= MAX_OVERLAY_DOMAINS ? [...domains] : null;
  }

  /**
   * Folds a pending overlay into the dynamic rules once the work that queued it is done: the
   * usual rule update (only the rules that differ), which removes the overlay when it is in.
   */
  private foldSoon(): void {
    if (this.foldQueued) return;
    this.foldQueued = true;
    void this.exclusive(async () => {
      this.foldQueued = false;
      if (this.unfolded && !(await this.storeUnfolded())) return;
      if (this.rules?.overlay && this.active) await this.applyRules();
    }).catch(() => undefined);
  }

  /**
   * The fold's first step: the policy the deltas rebuilt, checked against the SHA-256 the
   * last one signs and stored whole in place of the deltas. A mismatch (a bug: every input
   * was signed) drops the stored policy, so the next sync fetches the full envelope; until
   * then the overlay and the patched matcher keep enforcing.
   */
  private async storeUnfolded(): Promise<boolean> {
    const { step, head } = this.unfolded!;
    this.unfolded = null;
    if (await this.storeRebuilt(step, head)) return true;
    await this.deps.store.clearPolicy();
    await this.deps.store.updateStatus({
      lastSyncError: 'policy refused: the policy rebuilt from a delta is not the signed one',
    });
    return false;
  }

  /** Stores a delta's rebuilt policy whole, beside the delta; false when it is not the signed one. */
  private async storeRebuilt(step: DeltaStep, head: PolicyHead): Promise<boolean> {
    const text = await rebuiltText(this.deps.subtle, step.signed, step.delta);
    if (text === null) return false;
    await this.deps.store.setPolicy({ envelope: step.envelope, payload: text, ...head });
    return true;
  }

  /** Wipe: no policy, no rules. */
  clear(): Promise<void> {
    return this.exclusive(async () => {
      this.active = null;
      this.exceptions = [];
      this.setRules(null);
      await clearRules(this.deps.platform);
      await this.deps.platform.storage.local.remove('rules');
      await ruleUpdateRecorded(this.deps.platform);
    });
  }

  private async applyRules(): Promise<void> {
    if (!this.active) return;
    await this.record(await applyRules(this.deps.platform, this.active, this.rules));
  }

  private async record(rules: RulesState): Promise<void> {
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
    (r.triggers === null || isStringArray(r.triggers)) &&
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

function isOverlayRecord(v: unknown): v is OverlayRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.version === 'number' && isStringArray(r.domains);
}
