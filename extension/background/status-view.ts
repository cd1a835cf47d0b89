import type { EnforcedControl, StatusView } from '../shared/messages.ts';
import { dataQuery } from '../shared/data-query.ts';
import { judgeNavigation, type ActivePolicy } from './active-policy.ts';
import type { Background } from './background.ts';

/** What the popup shows: state, sync health, queue, and what applies to the current tab. */
export async function statusView(bg: Background): Promise<StatusView> {
  await bg.ready;
  const [enrollment, status, stored, queued, dropped, tab] = await Promise.all([
    bg.store.enrollment(),
    bg.store.status(),
    bg.store.policyHead(),
    bg.queue.count(),
    bg.queue.dropped(),
    bg.platformTab(),
  ]);
  const active = bg.state.active;
  return {
    enrolled: enrollment !== null,
    via: enrollment?.via,
    serverUrl: enrollment?.serverUrl,
    deviceId: enrollment?.deviceId,
    user: enrollment?.user ? { name: enrollment.user.name, email: enrollment.user.email } : null,
    policy: active
      ? {
          name: active.policy.name,
          version: active.version,
          groupName: active.payload.groupName,
          appliedAt: stored?.appliedAt ?? active.payload.issuedAt,
        }
      : null,
    lastSyncAt: status.lastSyncAt,
    lastSyncError: status.lastSyncError,
    revoked: status.revoked,
    wiped: status.wiped,
    pushConnected: bg.push.connected,
    queued,
    dropped,
    tab: active && tab?.url && /^https?:/.test(tab.url) ? tabView(active, tab.url) : undefined,
  };
}

function tabView(active: ActivePolicy, url: string): NonNullable<StatusView['tab']> {
  const verdict = judgeNavigation(active, url);
  const controls: EnforcedControl[] = [];
  for (const action of ['copy', 'cut', 'paste', 'print', 'upload', 'download'] as const) {
    // Paste is asked without a source: the strongest rule that can apply to pasting here.
    const query =
      action === 'download'
        ? { action, source: { url } }
        : action === 'paste'
          ? { action, destination: { url } }
          : dataQuery(action, url);
    const { level, rule } = active.controls.decide(query);
    if (level && level !== 'ALLOW' && rule) controls.push({ action, level, ruleName: rule.name });
  }
  return {
    url,
    blocked: verdict.blocked,
    filter: verdict.blocked ? verdict.filter : null,
    controls,
  };
}
