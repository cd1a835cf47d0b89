import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { siemApi, type Integration } from '../api/siem-api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { TableHead } from '../components/table-head.tsx';

const where = (i: Integration) =>
  'url' in i.target
    ? new URL(i.target.url).host
    : `${i.target.host}:${i.target.port}${i.target.tls ? ' (TLS)' : ''}`;

function status(i: Integration): string {
  const d = i.delivery;
  if (!i.enabled) return 'Paused';
  if (d.attempts > 0) return `Failing (${d.attempts} attempts)`;
  if (d.lagEvents === 0) return 'Up to date';
  return `${d.lagEvents} events behind (${d.lagSeconds} s)`;
}

/** Each destination with where its delivery stands, and what can be done with it. */
export function IntegrationList({
  integrations,
  onChanged,
}: {
  integrations: Integration[];
  onChanged(): void;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const test = (i: Integration) =>
    act(async () => {
      const r = await siemApi.testIntegration(i.id);
      setTested({
        ...tested,
        [i.id]: r.ok ? 'Test event accepted.' : `Test failed: ${r.error ?? ''}`,
      });
    });

  if (integrations.length === 0) return <p>No destinations yet. Add one below.</p>;
  return (
    <div class="table-wrap">
      <ErrorText error={error} />
      <table>
        <TableHead
          columns={['Destination', 'Sends', 'Delivery', 'Delivered', 'Last delivery', 'Actions']}
        />
        <tbody>
          {integrations.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                {i.name}
                <div class="hint">
                  {i.kind} · {where(i)}
                </div>
              </th>
              <td>
                {i.format.toUpperCase()} · {i.events === 'all' ? 'every event' : 'alerts only'}
              </td>
              <td>
                <span data-testid="delivery-status">{status(i)}</span>
                {i.delivery.lastError && <div class="error-text">{i.delivery.lastError}</div>}
                {tested[i.id] && <div role="status">{tested[i.id]}</div>}
              </td>
              <td>{i.delivery.delivered}</td>
              <td>
                {i.delivery.lastDeliveredAt
                  ? new Date(i.delivery.lastDeliveredAt).toLocaleString()
                  : '—'}
              </td>
              <td>
                <div class="row">
                  <button type="button" onClick={() => void test(i)}>
                    Send test
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      void act(() => siemApi.updateIntegration(i.id, { enabled: !i.enabled }))
                    }
                  >
                    {i.enabled ? 'Pause' : 'Resume'}
                  </button>
                  <ConfirmButton
                    label="Delete"
                    question={`Stop sending to ${i.name} and forget it? Events not yet delivered to it will not be.`}
                    confirmLabel="Delete destination"
                    danger
                    onConfirm={() => act(() => siemApi.deleteIntegration(i.id))}
                  />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
