import { exceptionFilterFor } from '../../core/exceptions/access-exception.ts';
import { reduceUrl } from '../../core/audit/reduce-url.ts';
import type { KeyValueArea, NavigationDetails, Platform } from '../platform/types.ts';
import type { BlockedInfo } from '../shared/messages.ts';
import { judgeNavigation, type ActivePolicy, type NavigationVerdict } from './active-policy.ts';
import { BLOCKED_PAGE_PATH, OVERLAY_RULE_ID } from './apply-rules.ts';
import { guardSessionRule, MAX_GUARD_SESSION_RULES } from './guard-session-rule.ts';
import type { AuditRecorder } from './audit-recorder.ts';
import type { PolicyState } from './policy-state.ts';

export interface BlockRecord {
  url?: string;
  filter: string | null;
  reason: BlockedInfo['reason'];
  /** The full URL blocked, for the blocked page to load once access is granted (device only). */
  target: string;
  /** What "Request access" would ask for, when a URL filter decided (core exceptionFilterFor). */
  exceptionFilter: string | null;
}

type Blocked = Extract<NavigationVerdict, { blocked: true }>;

/** How long the blocked page waits for the guard to finish judging its navigation. */
const WAIT_MS = 3_000;

/**
 * Judges each navigation locally (nothing leaves the device for a navigation no policy
 * acts on). For a blocked one it records the audit event and keeps what the blocked page
 * shows — the URL already reduced to the policy's auditUrlDetail — in storage.session.
 * Where DNR does not decide (compile-dnr's contract: other schemes, irregular authorities,
 * uncovered filters, plain `block` rules past the redirect budget) it enforces the core
 * matcher's verdict itself, in every frame, as Chrome's URLBlocklist does:
 * - the top-level frame is sent to the blocked page (`tabs.update`);
 * - a sub-frame is sent to the blocked page (`location.replace` run in it, which also
 *   cancels the navigation if it has not committed yet), again when it commits anyway (the
 *   navigation outran the guard), and a session rule for that exact URL makes the browser
 *   redirect any later load of it (a reload, another tab) before a request leaves.
 * webNavigation cannot hold a navigation back, so the first request for such a sub-frame
 * may still reach the blocked site's server; what it serves is replaced by the blocked page.
 */
export class NavigationGuard {
  private readonly waiters = new Map<string, (r: BlockRecord) => void>();
  /** Full URL last recorded per frame, so a DNR error for it is not recorded twice. */
  private readonly recorded = new Map<string, string>();
  /** Session-rule updates, one at a time (each picks the next free id). */
  private sessionRules: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      platform: Platform;
      state: PolicyState;
      recorder: AuditRecorder;
      ready: Promise<unknown>;
    },
  ) {}

  private get session(): KeyValueArea {
    return this.deps.platform.storage.session;
  }

  async onBeforeNavigate(d: NavigationDetails): Promise<void> {
    if (d.url.startsWith(this.deps.platform.runtime.getURL('/'))) return;
    await this.deps.ready;
    const active = this.deps.state.active;
    const verdict = active ? judgeNavigation(active, d.url) : null;
    if (!active || !verdict?.blocked) {
      this.recorded.delete(key(d.tabId, d.frameId));
      await this.session.remove(key(d.tabId, d.frameId));
      return;
    }
    await this.block(d, active, verdict);
    if (!this.deps.state.needsFallback(d.url)) return;
    if (d.frameId === 0) await this.showBlockedPage(d.tabId);
    // With a session rule for this URL in place the browser redirects the frame itself
    // (sending it away too would navigate it twice); onCommitted catches any that slips by.
    else if (!(await this.addSessionRule(d.url))) await this.showBlockedPageInFrame(d);
  }

  /**
   * A sub-frame the guard stopped may still commit the blocked document, when the response
   * came before the frame was sent away: send it to the blocked page again.
   */
  async onCommitted(d: NavigationDetails): Promise<void> {
    if (d.frameId === 0 || d.url.startsWith(this.deps.platform.runtime.getURL('/'))) return;
    await this.deps.ready;
    const active = this.deps.state.active;
    if (!active || !this.deps.state.needsFallback(d.url)) return;
    const verdict = judgeNavigation(active, d.url);
    if (!verdict.blocked) return;
    if (this.recorded.get(key(d.tabId, d.frameId)) !== d.url) await this.block(d, active, verdict);
    await this.showBlockedPageInFrame(d);
  }

  /** A plain DNR `block` rule (past the redirect budget) leaves an error page: replace it. */
  async onErrorOccurred(d: NavigationDetails & { error: string }): Promise<void> {
    if (d.frameId !== 0 || !d.error.includes('ERR_BLOCKED_BY_CLIENT')) return;
    await this.deps.ready;
    const active = this.deps.state.active;
    const verdict = active ? judgeNavigation(active, d.url) : null;
    if (!active || !verdict?.blocked) return;
    if (this.recorded.get(key(d.tabId, d.frameId)) !== d.url) await this.block(d, active, verdict);
    await this.showBlockedPage(d.tabId);
  }

  /** What the blocked page in this frame should say. */
  async info(tabId: number, frameId: number): Promise<BlockedInfo> {
    const record = await this.recordFor(tabId, frameId);
    const policy = this.deps.state.active?.policy;
    const base = {
      policyName: policy?.name,
      message: policy?.messages.blockedPage,
      contact: policy?.messages.contact,
    };
    if (!record) return { found: false, filter: null, reason: 'url_filter', ...base };
    const { target: _device, exceptionFilter, ...shown } = record;
    return { found: true, ...shown, ...base, ...(exceptionFilter ? { exceptionFilter } : {}) };
  }

  /** The block this frame's blocked page stands for (waiting a moment for the guard). */
  async recordFor(tabId: number, frameId: number): Promise<BlockRecord | undefined> {
    const k = key(tabId, frameId);
    return ((await this.session.get(k))[k] as BlockRecord | undefined) ?? (await this.wait(k));
  }

  private async block(d: NavigationDetails, active: ActivePolicy, verdict: Blocked): Promise<void> {
    const k = key(d.tabId, d.frameId);
    const detail = active.policy.auditUrlDetail;
    const record: BlockRecord = {
      url: reduceUrl(d.url, detail),
      filter: verdict.filter,
      reason: verdict.reason,
      target: d.url,
      exceptionFilter:
        verdict.reason === 'url_filter' && verdict.filter
          ? exceptionFilterFor(d.url, verdict.filter)
          : null,
    };
    this.recorded.set(k, d.url);
    await this.session.set({ [k]: record });
    this.waiters.get(k)?.(record);
    await this.deps.recorder.record(
      {
        kind: 'navigation',
        action: 'navigate',
        level: 'BLOCK',
        outcome: 'blocked',
        url: d.url,
        ruleId: verdict.filter ?? undefined,
        ruleName: verdict.reason === 'https_only' ? 'httpsOnly' : 'urlBlocklist',
      },
      { auditUrlDetail: detail, policyVersion: active.version },
    );
  }

  private showBlockedPage(tabId: number): Promise<void> {
    return this.deps.platform.tabs.update(tabId, {
      url: this.deps.platform.runtime.getURL(BLOCKED_PAGE_PATH),
    });
  }

  /** Best effort: the frame may be gone (its parent navigated away), then nothing shows. */
  private async showBlockedPageInFrame(d: NavigationDetails): Promise<void> {
    const url = this.deps.platform.runtime.getURL(BLOCKED_PAGE_PATH);
    await this.deps.platform.tabs.navigateFrame(d.tabId, d.frameId, url).catch(() => undefined);
  }

  /**
   * A session rule redirecting this exact URL to the blocked page, so the browser stops the
   * next load before its request. The rules are cleared with every policy change
   * (apply-rules); past MAX_GUARD_SESSION_RULES the oldest goes. Best effort: a failure
   * leaves the guard's own check, which still runs on every navigation. Resolves true when
   * such a rule was already there (this navigation is then redirected by the browser).
   */
  private addSessionRule(url: string): Promise<boolean> {
    const dnr = this.deps.platform.dnr;
    const next = this.sessionRules.then(async () => {
      // A delta's overlay (apply-rules) is not the guard's to count or trim.
      const existing = (await dnr.getSessionRules()).filter((r) => r.id !== OVERLAY_RULE_ID);
      const ids = existing.map((r) => r.id).sort((a, b) => a - b);
      const rule = guardSessionRule(
        url,
        (ids[ids.length - 1] ?? OVERLAY_RULE_ID) + 1,
        BLOCKED_PAGE_PATH,
      );
      if (!rule) return false;
      const filter = rule.condition.urlFilter;
      if (existing.some((r) => r.condition.urlFilter === filter)) return true;
      const removeRuleIds = ids.slice(0, Math.max(0, ids.length + 1 - MAX_GUARD_SESSION_RULES));
      await dnr.updateSessionRules({ removeRuleIds, addRules: [rule] });
      return false;
    });
    this.sessionRules = next.catch(() => undefined);
    return next.catch(() => false);
  }

  /** The page may load before the guard has judged its navigation: wait a moment for it. */
  private wait(k: string): Promise<BlockRecord | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(k);
        resolve(undefined);
      }, WAIT_MS);
      this.waiters.set(k, (r) => {
        clearTimeout(timer);
        this.waiters.delete(k);
        resolve(r);
      });
    });
  }
}

const key = (tabId: number, frameId: number) => `blocked:${tabId}:${frameId}`;
