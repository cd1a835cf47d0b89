import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { createPagePlatform } from '../../platform/browser.ts';
import { callBackground } from '../../shared/call-background.ts';
import type { StatusView } from '../../shared/messages.ts';
import { TabSection } from './tab-section.tsx';

const platform = createPagePlatform();

/** The toolbar popup: state, sync, queue, and what is enforced on the current tab. */
function Popup() {
  const [status, setStatus] = useState<StatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);

  const load = useCallback(async (type: 'status.get' | 'sync.now') => {
    const reply = await callBackground(platform, type, {});
    if (reply.ok) {
      setStatus(reply.value);
      setError(null);
    } else setError(reply.message);
  }, []);

  useEffect(() => {
    void load('status.get');
    // Live while open: queued events drain and syncs complete in front of the user.
    const timer = setInterval(() => void load('status.get'), 2_000);
    return () => clearInterval(timer);
  }, [load]);

  const syncNow = async () => {
    setSyncing(true);
    await load('sync.now');
    setSyncing(false);
  };

  if (!status) return <p class="popup">{error ?? 'Loading…'}</p>;
  return (
    <div class="popup">
      <header>
        <img src="../icons/icon-32.png" alt="" />
        <h1>Palisade</h1>
        <StateBadge status={status} />
      </header>
      {status.revoked && (
        <p class="alert" role="alert">
          This device was revoked by your organisation. Palisade no longer syncs, and keeps
          enforcing the last policy it received. Ask your administrator to enroll it again.
        </p>
      )}
      {status.wiped && !status.enrolled && (
        <p class="alert" role="alert">
          This device was wiped: its policy and queued events were removed.
        </p>
      )}
      {!status.enrolled ? (
        <>
          <p>Not enrolled. Pair this browser from your organisation's Palisade portal.</p>
          {status.lastSyncError && <p class="muted">{status.lastSyncError}</p>}
        </>
      ) : (
        <dl>
          <dt>User</dt>
          <dd>{status.user ? `${status.user.name} <${status.user.email}>` : 'Managed device'}</dd>
          <dt>Device</dt>
          <dd>
            <code>{status.deviceId}</code> {status.via === 'managed' ? '(managed)' : '(paired)'}
          </dd>
          <dt>Server</dt>
          <dd>{status.serverUrl}</dd>
          <dt>Policy</dt>
          <dd>
            {status.policy ? `${status.policy.name} · v${status.policy.version}` : 'none yet'}
          </dd>
          <dt>Last sync</dt>
          <dd>
            {status.lastSyncAt ? new Date(status.lastSyncAt).toLocaleString() : 'never'}
            {status.pushConnected ? ' · live' : ' · offline'}
          </dd>
          {status.lastSyncError && (
            <>
              <dt>Sync problem</dt>
              <dd>{status.lastSyncError}</dd>
            </>
          )}
          <dt>Queued events</dt>
          <dd>
            {status.queued}
            {status.dropped > 0 && ` (${status.dropped} dropped: queue full)`}
          </dd>
        </dl>
      )}
      {status.tab && <TabSection tab={status.tab} />}
      <footer>
        <span class="muted">Records only what a policy acts on.</span>
        {status.enrolled && !status.revoked && (
          <button type="button" onClick={syncNow} disabled={syncing}>
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
        )}
      </footer>
      {error && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function StateBadge({ status }: { status: StatusView }) {
  if (status.revoked) return <span class="badge bad">Revoked</span>;
  if (!status.enrolled) return <span class="badge">Not enrolled</span>;
  return <span class="badge ok">Enrolled</span>;
}

render(<Popup />, document.getElementById('app')!);
