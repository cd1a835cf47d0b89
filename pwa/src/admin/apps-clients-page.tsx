import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { oidcApi, type AppClient } from '../api/oidc-api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { TextField } from '../components/text-field.tsx';
import { useResource } from '../components/use-resource.ts';
import { DataTable } from '../components/data-table.tsx';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * `/admin/apps`: the company apps that sign in through Palisade (OpenID Connect clients).
 * Each belongs to an app family of the policy, whose `access` rule decides who may open it,
 * from which device, when and from where. The client secret is shown once.
 */
export function AppsClientsPage() {
  const clients = useResource(async () => (await oidcApi.clients()).clients, []);
  const [created, setCreated] = useState<{ client: AppClient; secret: string } | null>(null);
  const list = clients.data ?? [];
  return (
    <section>
      <h1 tabIndex={-1}>Apps signing in with Palisade</h1>
      <p class="hint">
        Connect an app as an OpenID Connect client: issuer <code>{location.origin}/oidc</code>,
        authorization code with PKCE, <code>client_secret_basic</code>. See “Connecting an app” in
        the README and the sample in <code>examples/crm</code>.
      </p>
      {created && (
        <section class="card" aria-labelledby="secret-title" id="client-created">
          <h2 id="secret-title">{created.client.name} registered</h2>
          <p>
            Client id <code id="new-client-id">{created.client.id}</code>
          </p>
          <p>
            Client secret <code id="new-client-secret">{created.secret}</code>{' '}
            <CopyButton text={created.secret} what="client secret" />
          </p>
          <p class="hint">
            Copy the secret into the app’s configuration now: it is shown only once and Palisade
            keeps only its hash.
          </p>
        </section>
      )}
      <ErrorText error={clients.error} />
      {clients.data && list.length === 0 && <p>No apps yet.</p>}
      {list.map((c) => (
        <ClientCard key={c.id} client={c} onDeleted={clients.reload} />
      ))}
      <NewClientForm
        onCreated={(result) => {
          setCreated(result);
          clients.reload();
        }}
      />
    </section>
  );
}

function ClientCard({ client, onDeleted }: { client: AppClient; onDeleted: () => void }) {
  const signins = useResource(async () => (await oidcApi.signins(client.id)).signins, [client.id]);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async () => {
    try {
      await oidcApi.deleteClient(client.id);
      onDeleted();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <section class="card" aria-labelledby={`client-${client.id}`}>
      <h2 id={`client-${client.id}`}>{client.name}</h2>
      <dl>
        <dt>Client id</dt>
        <dd>
          <code>{client.id}</code>
        </dd>
        <dt>App family</dt>
        <dd>
          <code>{client.appId}</code>
        </dd>
        <dt>Redirect URIs</dt>
        <dd>{client.redirectUris.join(', ')}</dd>
        <dt>Back-channel logout</dt>
        <dd>{client.backchannelLogoutUri ?? 'none (sessions end only when tokens expire)'}</dd>
      </dl>
      <h3>Recent sign-ins</h3>
      <ErrorText error={signins.error} />
      {signins.data?.length === 0 && <p>No sign-ins yet.</p>}
      {signins.data && signins.data.length > 0 && (
        <DataTable
          columns={['When', 'Person', 'Device', 'Trust', 'From', 'Ended']}
          items={signins.data}
          row={(s) => (
            <tr key={s.grantId}>
              <td>{new Date(s.createdAt).toLocaleString()}</td>
              <td>{s.userId}</td>
              <td>{s.deviceId ?? '—'}</td>
              <td>{s.trust}</td>
              <td>{s.clientAddress}</td>
              <td>
                {s.endedAt ? `${new Date(s.endedAt).toLocaleString()} (${s.endReason})` : 'live'}
              </td>
            </tr>
          )}
        />
      )}
      <ConfirmButton
        label="Remove this app"
        question={`Remove ${client.name}? Everyone signed in to it is signed out.`}
        confirmLabel="Remove"
        danger
        onConfirm={remove}
      />
      <ErrorText error={error} />
    </section>
  );
}

function NewClientForm({
  onCreated,
}: {
  onCreated: (r: { client: AppClient; secret: string }) => void;
}) {
  const [name, setName] = useState('');
  const [appId, setAppId] = useState('');
  const [redirects, setRedirects] = useState('');
  const [logout, setLogout] = useState('');
  const { busy, error, perform } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    await perform(async () => {
      onCreated(
        await oidcApi.createClient({
          name: name.trim(),
          appId: appId.trim(),
          redirectUris: lines(redirects),
          backchannelLogoutUri: logout.trim() || null,
        }),
      );
      setName('');
      setAppId('');
      setRedirects('');
      setLogout('');
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="new-client-title">
      <h2 id="new-client-title">Register an app</h2>
      <TextField
        id="client-name"
        label="Name"
        value={name}
        onValue={setName}
        required
        maxLength={100}
      />
      <TextField
        id="client-app-id"
        label="App family id"
        hint="The id of the app family in the policy (apps[].id); its access rule applies."
        value={appId}
        onValue={setAppId}
        required
        maxLength={100}
      />
      <div class="field">
        <label for="client-redirects">Redirect URIs, one a line</label>
        <textarea
          id="client-redirects"
          rows={2}
          value={redirects}
          onInput={(e) => setRedirects(e.currentTarget.value)}
          required
        />
      </div>
      <TextField
        id="client-logout"
        label="Back-channel logout URI (optional)"
        hint="Palisade posts a logout token here when a device is revoked or a person disabled."
        value={logout}
        onValue={setLogout}
        maxLength={2000}
      />
      <button type="submit" class="primary" disabled={busy}>
        Register app
      </button>
      <ErrorText error={error} />
    </form>
  );
}
