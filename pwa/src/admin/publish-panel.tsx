import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { adminApi } from '../api/admin-api.ts';
import type { DiffEntry } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { DiffList } from './diff-list.tsx';

interface Props {
  policyId: string | null;
  liveVersion: number | null | undefined;
  /** Saves unsaved changes first; resolves to the (possibly new) policy id, or null on failure. */
  saveFirst(): Promise<string | null>;
  canPublish: boolean;
  onPublished(version: number): void;
}

/** Review the diff against the live version, then publish — signed and pushed to devices. */
export function PublishPanel({ policyId, liveVersion, saveFirst, canPublish, onPublished }: Props) {
  const [diff, setDiff] = useState<DiffEntry[] | null>(null);
  const [busy, setBusy] = useState<'review' | 'publish' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [published, setPublished] = useState<number | null>(null);

  const review = async () => {
    setBusy('review');
    setError(null);
    setPublished(null);
    try {
      const id = await saveFirst();
      if (!id) return;
      setDiff((await adminApi.diff(id)).diff);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const publish = async () => {
    if (!policyId) return;
    setBusy('publish');
    setError(null);
    try {
      const { version } = await adminApi.publish(policyId);
      setPublished(version);
      setDiff(null);
      onPublished(version);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="publish-title">
      <h2 id="publish-title">Publish</h2>
      <p class="hint">
        {liveVersion ? `Live: version ${liveVersion}.` : 'Not published yet.'} Publishing signs the
        policy and pushes it to devices at once.
      </p>
      <button type="button" onClick={review} disabled={!canPublish || busy !== null}>
        {busy === 'review' ? 'Saving and comparing…' : 'Review changes'}
      </button>
      {!canPublish && <p class="hint">Fix the errors first.</p>}
      {diff && (
        <div class="stack">
          <h3>Changes to publish</h3>
          <DiffList diff={diff} />
          <div class="row">
            <button
              type="button"
              class="primary"
              onClick={publish}
              disabled={busy !== null || (diff.length === 0 && !!liveVersion)}
            >
              {busy === 'publish' ? 'Publishing…' : 'Publish now'}
            </button>
            <button type="button" onClick={() => setDiff(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {published !== null && (
        <p class="success" role="status">
          Published version {published}. Devices are being updated — see the rollout below.
        </p>
      )}
      <ErrorText error={error} />
    </section>
  );
}
