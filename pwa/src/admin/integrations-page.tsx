import { useEffect } from 'preact/hooks';
import { siemApi } from '../api/siem-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { AlertRules } from './alert-rules.tsx';
import { IntegrationForm } from './integration-form.tsx';
import { IntegrationList } from './integration-list.tsx';
import { DataTable } from '../components/data-table.tsx';

/**
 * SIEM destinations with their delivery status and lag, the alert rules, and the alerts
 * raised. The status refreshes every few seconds while the page is open.
 */
export function IntegrationsPage() {
  const integrations = useResource(() => siemApi.integrations(), []);
  const rules = useResource(async () => (await siemApi.alertRules()).alertRules, []);
  const alerts = useResource(async () => (await siemApi.alerts(50)).alerts, []);
  useEffect(() => {
    const timer = setInterval(() => {
      integrations.reload();
      alerts.reload();
    }, 5000);
    return () => clearInterval(timer);
  }, []);

  return (
    <section>
      <h1 tabIndex={-1}>Integrations and alerts</h1>
      <section class="card" aria-labelledby="dest-title">
        <h2 id="dest-title">SIEM destinations</h2>
        <p class="hint">
          The audit trail is streamed to each destination in order, at least once: what was not
          acknowledged is sent again after a failure or a restart.
        </p>
        {integrations.data && !integrations.data.secretsSealed && (
          <p class="note" role="note">
            Webhook signing secrets are stored unencrypted: set <code>SECRETS_KEY</code> on the
            server to encrypt them at rest.
          </p>
        )}
        <ErrorText error={integrations.error} />
        {integrations.data && (
          <IntegrationList
            integrations={integrations.data.integrations}
            onChanged={integrations.reload}
          />
        )}
        <h3>Add a destination</h3>
        <IntegrationForm onCreated={integrations.reload} />
      </section>
      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Alert rules</h2>
        <ErrorText error={rules.error} />
        {rules.data && <AlertRules rules={rules.data} onChanged={rules.reload} />}
      </section>
      <section class="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">Recent alerts</h2>
        <ErrorText error={alerts.error} />
        {alerts.data?.length === 0 && <p>No alerts raised.</p>}
        {alerts.data && alerts.data.length > 0 && (
          <DataTable
            columns={['When', 'Rule', 'What happened']}
            items={alerts.data}
            row={(a) => (
              <tr key={a.id}>
                <td>{new Date(a.firedAt).toLocaleString()}</td>
                <td>{a.ruleName}</td>
                <td>{a.summary}</td>
              </tr>
            )}
          />
        )}
      </section>
    </section>
  );
}
