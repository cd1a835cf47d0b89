import type { z } from 'zod';
import type * as c from '../../../contract/responses.ts';
import type { BodyOf } from '../../../contract/routes.ts';
import { request } from './request.ts';

const id = encodeURIComponent;

export type AlertType = z.output<typeof c.alertType>;
/** A SIEM destination: never its secret. */
export type Integration = z.output<typeof c.integration>;
export type NewIntegration = BodyOf<'POST /api/v1/integrations'>;
export type AlertRule = z.output<typeof c.alertRule>;
export type Alert = z.output<typeof c.alert>;

/** SIEM destinations, alert rules and alerts (admin; alerts also for auditors). */
export const siemApi = {
  integrations: () =>
    request<{ integrations: Integration[]; secretsSealed: boolean }>('GET', '/integrations'),
  /** The only answer that carries a webhook's signing secret. */
  createIntegration: (body: NewIntegration) =>
    request<{ integration: Integration; secret?: string }>('POST', '/integrations', body),
  updateIntegration: (
    integrationId: string,
    patch: { enabled?: boolean; rotateSecret?: true; name?: string },
  ) =>
    request<{ integration: Integration; secret?: string }>(
      'PATCH',
      `/integrations/${id(integrationId)}`,
      patch,
    ),
  deleteIntegration: (integrationId: string) =>
    request<{ ok: true }>('DELETE', `/integrations/${id(integrationId)}`),
  testIntegration: (integrationId: string) =>
    request<{ ok: boolean; error: string | null }>(
      'POST',
      `/integrations/${id(integrationId)}/test`,
      {},
    ),
  alertRules: () => request<{ alertRules: AlertRule[] }>('GET', '/alert-rules'),
  createAlertRule: (body: {
    name: string;
    type: AlertType;
    threshold?: number | null;
    windowMinutes?: number | null;
    policyRuleId?: string | null;
  }) => request<{ alertRule: AlertRule }>('POST', '/alert-rules', body),
  updateAlertRule: (ruleId: string, patch: { enabled?: boolean }) =>
    request<{ alertRule: AlertRule }>('PATCH', `/alert-rules/${id(ruleId)}`, patch),
  deleteAlertRule: (ruleId: string) =>
    request<{ ok: true }>('DELETE', `/alert-rules/${id(ruleId)}`),
  alerts: (limit = 50) => request<{ alerts: Alert[] }>('GET', `/alerts?limit=${limit}`),
};
