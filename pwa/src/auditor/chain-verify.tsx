import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { auditApi } from '../api/audit-api.ts';
import type { ChainVerification } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';

/** Recomputes the audit hash chain on the server and says whether any record was altered. */
export function ChainVerify() {
  const [result, setResult] = useState<ChainVerification | null>(null);
  const { busy, error, perform } = useAction();
  const run = async () => {
    await perform(async () => {
      setResult(await auditApi.verify());
    });
  };
  return (
    <section class="card" aria-labelledby="verify-title">
      <h2 id="verify-title">Chain verification</h2>
      <p class="hint">
        Every record carries the hash of the one before it; changing or removing any record breaks
        the chain from there on.
      </p>
      <button type="button" onClick={run} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify the audit chain'}
      </button>
      <div role="status">
        {result?.ok && (
          <p class="verdict verdict-allow">
            <strong>Intact.</strong> {result.checked.toLocaleString()} records checked; none altered
            or missing.
          </p>
        )}
        {result && !result.ok && (
          <p class="verdict verdict-block">
            <strong>Broken</strong> at record #{result.firstBroken?.seq}:{' '}
            {result.firstBroken?.reason}. {result.checked.toLocaleString()} records checked.
          </p>
        )}
      </div>
      <ErrorText error={error} />
    </section>
  );
}
