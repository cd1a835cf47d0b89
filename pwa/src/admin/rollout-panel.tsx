import { useEffect } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { formatRelative } from '../lib/format.ts';

/**
 * How far a publish has got: per group, devices on the newest version vs not yet. Polls
 * while on screen, since devices acknowledge within seconds of a push.
 */
export function RolloutPanel({ pollMs = 3000 }: { pollMs?: number }) {
  const rollout = useResource(async () => (await adminApi.rollout()).groups, []);
  useEffect(() => {
    if (!pollMs) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') rollout.reload();
    }, pollMs);
    return () => clearInterval(t);
  }, [pollMs]);

  const groups = rollout.data ?? [];
  return (
    <section class="card" aria-labelledby="rollout-title">
      <div class="row">
        <h2 id="rollout-title">Rollout</h2>
        <button type="button" onClick={rollout.reload} aria-label="Refresh rollout">
          Refresh
        </button>
      </div>
      <ErrorText error={rollout.error} />
      {rollout.data && groups.length === 0 && <p>No groups yet.</p>}
      <ul class="rollout-list">
        {groups.map((g) => {
          const { total, current, behind } = g.devices;
          return (
            <li key={g.groupId} class="rollout-group">
              <div class="row">
                <strong>{g.groupName}</strong>
                <span>{g.version ? `version ${g.version}` : 'no policy published'}</span>
              </div>
              <label class="rollout-bar">
                <span>
                  {current} of {total} {total === 1 ? 'device' : 'devices'} on the newest version
                </span>
                <progress
                  max={Math.max(total, 1)}
                  value={current}
                  aria-label={`${g.groupName}: ${current} of ${total} devices current`}
                />
              </label>
              {behind.length > 0 && (
                <details>
                  <summary>{behind.length} not yet</summary>
                  <ul class="plain-list">
                    {behind.map((d) => (
                      <li key={d.id}>
                        {d.name} ({d.userName ?? 'no user'}) —{' '}
                        {d.appliedVersion ? `on version ${d.appliedVersion}` : 'no version yet'},
                        last seen {formatRelative(d.lastSeenAt)}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
