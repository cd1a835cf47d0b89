import { normalizeJustification } from '../../core/policy/justification.ts';
import type { DownloadItem, Platform } from '../platform/types.ts';
import type { AuditRecorder } from './audit-recorder.ts';
import type { PolicyState } from './policy-state.ts';
import type { TabMessenger } from './tab-messenger.ts';

/**
 * Data controls of class FILE_DOWNLOAD, through the downloads API (a content script cannot
 * see every download). The source is the page the download came from (its referrer), else
 * the file's own URL. BLOCK cancels and erases the download, WARN pauses it and asks in the
 * active tab (no answer possible → cancelled: fail closed), REPORT lets it run.
 */
export class DownloadGuard {
  constructor(
    private readonly deps: {
      platform: Platform;
      state: PolicyState;
      recorder: AuditRecorder;
      tabs: TabMessenger;
      ready: Promise<unknown>;
    },
  ) {}

  async onCreated(item: DownloadItem): Promise<void> {
    await this.deps.ready;
    const active = this.deps.state.active;
    if (!active) return;
    const source = sourceUrl(item);
    const { level, rule, justify } = active.controls.decide({
      action: 'download',
      source: { url: source },
    });
    if (!level || level === 'ALLOW' || !rule) return;
    const { downloads } = this.deps.platform;
    const record = (
      outcome: 'blocked' | 'proceeded' | 'cancelled' | 'allowed',
      detail?: Record<string, string | boolean>,
    ) =>
      this.deps.recorder.record(
        {
          kind: 'download',
          action: 'download',
          level,
          outcome,
          url: source,
          ruleId: rule.rule_id,
          ruleName: rule.name,
          detail,
        },
        { auditUrlDetail: active.policy.auditUrlDetail, policyVersion: active.version },
      );
    const custom = active.policy.messages.dataControlNotice;
    const base = { ruleName: rule.name, contact: active.policy.messages.contact };

    if (level === 'REPORT') return void (await record('allowed'));
    if (level === 'BLOCK') {
      await this.stop(item);
      await record('blocked');
      return this.deps.tabs.notify({
        ...base,
        title: 'Download blocked',
        body: custom ?? 'Your organisation does not allow downloading this file here.',
      });
    }
    await downloads.pause(item.id).catch(() => undefined);
    const file = item.filename ? ` “${basename(item.filename)}”` : '';
    const answer = await this.deps.tabs.confirm({
      ...base,
      title: 'Download this file?',
      body:
        custom ?? `Your organisation asks you to confirm before downloading${file} from this site.`,
      ...(justify ? { justify } : {}),
    });
    // The reason comes from a page's content script: kept only in its recorded form.
    const reason = justify ? normalizeJustification(answer?.justification ?? '') : null;
    if (answer?.proceed && (!justify || reason)) {
      await downloads.resume(item.id).catch(() => undefined);
      await record('proceeded', reason ? { justification: reason } : undefined);
    } else {
      await this.stop(item);
      await record('cancelled');
    }
  }

  /** Cancel, then remove any bytes already written, then drop it from the list. */
  private async stop(item: DownloadItem): Promise<void> {
    const { downloads } = this.deps.platform;
    await downloads.cancel(item.id).catch(() => undefined);
    await downloads.removeFile(item.id).catch(() => undefined);
    await downloads.erase(item.id).catch(() => undefined);
  }
}

function sourceUrl(item: DownloadItem): string {
  const url = item.referrer || item.finalUrl || item.url;
  return url.startsWith('blob:') ? url.slice(5) : url;
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
