import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { siemApi, type Integration, type NewIntegration } from '../api/siem-api.ts';
import { CopyableValue } from '../components/copyable-value.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { TextField } from '../components/text-field.tsx';

/** Adds a syslog or webhook destination; a webhook's signing secret is shown here, once. */
export function IntegrationForm({ onCreated }: { onCreated(): void }) {
  const [kind, setKind] = useState<'syslog' | 'webhook'>('syslog');
  const [name, setName] = useState('');
  const [format, setFormat] = useState<Integration['format']>('cef');
  const [events, setEvents] = useState<Integration['events']>('all');
  const [startAt, setStartAt] = useState<'now' | 'oldest'>('now');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('6514');
  const [tls, setTls] = useState(true);
  const [caPem, setCaPem] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, error, perform } = useAction();

  const chooseKind = (k: 'syslog' | 'webhook') => {
    setKind(k);
    setFormat(k === 'syslog' ? 'cef' : 'ocsf');
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSecret(null);
    const body: NewIntegration =
      kind === 'syslog'
        ? {
            kind,
            name: name.trim(),
            format,
            events,
            startAt,
            target: { host: host.trim(), port: Number(port), tls, caPem: caPem.trim() || null },
          }
        : {
            kind,
            name: name.trim(),
            format: format === 'cef' ? 'json' : format,
            events,
            startAt,
            target: { url: url.trim() },
          };
    await perform(async () => {
      const created = await siemApi.createIntegration(body);
      setSecret(created.secret ?? null);
      setName('');
      onCreated();
    });
  };

  return (
    <form class="stack" onSubmit={submit} aria-label="New destination">
      <div class="grid-3">
        <div class="field">
          <label for="int-kind">Kind</label>
          <select
            id="int-kind"
            value={kind}
            onChange={(e) => chooseKind(e.currentTarget.value as 'syslog' | 'webhook')}
          >
            <option value="syslog">Syslog (RFC 5424 over TCP or TLS)</option>
            <option value="webhook">Webhook (signed HTTPS POST)</option>
          </select>
        </div>
        <div class="field">
          <label for="int-format">Payload</label>
          <select
            id="int-format"
            value={format}
            onChange={(e) => setFormat(e.currentTarget.value as Integration['format'])}
          >
            {kind === 'syslog' && <option value="cef">CEF</option>}
            <option value="json">JSON (Palisade events)</option>
            <option value="ocsf">OCSF JSON</option>
          </select>
        </div>
        <div class="field">
          <label for="int-events">Send</label>
          <select
            id="int-events"
            value={events}
            onChange={(e) => setEvents(e.currentTarget.value as Integration['events'])}
          >
            <option value="all">Every audit event</option>
            <option value="alerts">Alerts only</option>
          </select>
        </div>
      </div>
      <TextField
        id="int-name"
        label="Name"
        value={name}
        onValue={setName}
        required
        maxLength={200}
      />
      {kind === 'syslog' ? (
        <>
          <div class="grid-3">
            <TextField
              id="int-host"
              label="Host"
              value={host}
              onValue={setHost}
              required
              spellcheck={false}
            />
            <TextField
              id="int-port"
              label="Port"
              type="number"
              value={port}
              onValue={setPort}
              required
              inputMode="numeric"
            />
            <div class="field">
              <label>
                <input
                  type="checkbox"
                  checked={tls}
                  onChange={(e) => setTls(e.currentTarget.checked)}
                />{' '}
                TLS
              </label>
            </div>
          </div>
          {tls && (
            <div class="field">
              <label for="int-ca">Pinned CA certificate (PEM, optional)</label>
              <p class="hint" id="int-ca-hint">
                When given, only certificates this CA issued are accepted, instead of the system’s
                trusted CAs.
              </p>
              <textarea
                id="int-ca"
                aria-describedby="int-ca-hint"
                rows={4}
                spellcheck={false}
                value={caPem}
                onInput={(e) => setCaPem(e.currentTarget.value)}
              />
            </div>
          )}
        </>
      ) : (
        <TextField
          id="int-url"
          label="URL"
          type="url"
          value={url}
          onValue={setUrl}
          required
          spellcheck={false}
        />
      )}
      <div class="field">
        <label for="int-start">Start with</label>
        <select
          id="int-start"
          value={startAt}
          onChange={(e) => setStartAt(e.currentTarget.value as 'now' | 'oldest')}
        >
          <option value="now">Events from now on</option>
          <option value="oldest">The whole trail kept, oldest first</option>
        </select>
      </div>
      <div class="field">
        <button type="submit" class="primary" disabled={busy || !name.trim()}>
          Add destination
        </button>
        <ErrorText error={error} />
      </div>
      {secret && (
        <div class="created-link stack" role="status">
          <p class="note">
            <strong>Copy the signing secret now: it will not be shown again.</strong> Your receiver
            checks the <code>webhook-signature</code> header with it (Standard Webhooks).
          </p>
          <CopyableValue id="int-secret" value={secret} what="signing secret" code />
        </div>
      )}
    </form>
  );
}
