import { useRowAction } from '../components/use-row-action.tsx';
import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { authApi } from '../api/auth-api.ts';
import { createPasskey } from '../auth/create-passkey.ts';
import { ErrorText } from '../components/error-text.tsx';
import { TextField } from '../components/text-field.tsx';
import { useOnline } from '../components/use-online.ts';
import { useResource } from '../components/use-resource.ts';
import { formatDateTime } from '../lib/format.ts';

/** The signed-in person's passkeys: add another (e.g. a phone), remove one — never the last. */
export function PasskeysPage() {
  const list = useResource(async () => (await authApi.passkeys()).passkeys, []);
  const online = useOnline();
  const [name, setName] = useState('');
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<ApiError | null>(null);
  const rows = useRowAction();
  const [added, setAdded] = useState<string | null>(null);
  const passkeys = list.data ?? [];

  const add = async (e: Event) => {
    e.preventDefault();
    setAdding(true);
    setAddError(null);
    setAdded(null);
    try {
      const options = await authApi.passkeyOptions();
      const response = await createPasskey(options);
      const { passkey } = await authApi.passkeyVerify({ response, name: name.trim() || undefined });
      setAdded(passkey.name);
      setName('');
      list.reload();
    } catch (err) {
      setAddError(toApiError(err));
    } finally {
      setAdding(false);
    }
  };

  const remove = (id: string) =>
    rows.run(id, async () => {
      await authApi.removePasskey(id);
      list.reload();
    });

  return (
    <section>
      <h1 tabIndex={-1}>Passkeys</h1>
      <p>
        Each passkey signs you in on one device or password manager. Keep at least two so losing one
        device does not lock you out.
      </p>
      <ErrorText error={list.error} />
      {list.loading && !list.data && <p class="loading">Loading…</p>}
      <ul class="passkey-list" aria-label="Your passkeys">
        {passkeys.map((p) => (
          <li key={p.id} class="card row">
            <div>
              <strong>{p.name}</strong>
              <span class="hint block">
                Created {formatDateTime(p.createdAt)} · last used{' '}
                {formatDateTime(p.lastUsedAt, 'never')}
                {p.backedUp ? ' · synced' : ''}
              </span>
              {rows.errorFor(p.id)}
            </div>
            <button
              type="button"
              onClick={() => void remove(p.id)}
              disabled={passkeys.length <= 1 || !online}
              aria-label={`Remove passkey ${p.name}`}
              title={passkeys.length <= 1 ? 'Your only passkey cannot be removed' : undefined}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {passkeys.length === 1 && (
        <p class="hint">Your only passkey cannot be removed: add another first.</p>
      )}
      <form class="card stack" onSubmit={add}>
        <h2>Add a passkey</h2>
        <TextField
          id="passkey-name"
          label="Name (optional)"
          value={name}
          onValue={setName}
          placeholder="e.g. My phone"
          maxLength={100}
          error={null}
        />
        <div class="field">
          <button type="submit" class="primary" disabled={adding || !online}>
            {adding ? 'Waiting for your passkey…' : 'Add a passkey'}
          </button>
          {!online && <p class="hint">You are offline: adding a passkey needs the network.</p>}
          {added && (
            <p class="success" role="status">
              Passkey “{added}” added.
            </p>
          )}
          <ErrorText error={addError} />
        </div>
      </form>
    </section>
  );
}
