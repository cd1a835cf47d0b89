import { request } from './request.ts';

const id = encodeURIComponent;

export type AlertType =
  'device_silent' | 'device_removed' | 'policy_refused' | 'chain_broken' | 'rule_blocks';

export interface Integration {
  id: string;
  name: string;
  kind: 'syslog' | 'webhook';
  format: 'cef' | 'json' | 'ocsf';
  events: 'all' | 'alerts';
  enabled: boolean;
  target:
    | { host: string; port: number; tls: boolean; caPem: string | null; facility: number }
    | { url: string };
  hasSecret: boolean;
  secretSealed: boolean;
  createdAt: string;
  updatedAt: string;
  delivery: {
    cursorSeq: number;
    lagEvents: number;
    lagSeconds: number;
    delivered: number;
    attempts: number;
    lastError: string | null;
    lastAttemptAt: string | null;
    lastDeliveredAt: string | null;
    nextAttemptAt: string | null;
    leaseOwner: string | null;
  };
}

export type NewIntegration =
  | {
      kind: 'syslog';
      name: string;
      format: Integration['format'];
      events: Integration['events'];
      startAt: 'now' | 'oldest';
      target: { host: string; port: number; tls: boolean; caPem: string | null };
    }
  | {
      kind: 'webhook';
      name: string;
      format: 'json' | 'ocsf';
      events: Integration['events'];
      startAt: 'now' | 'oldest';
      target: { url: string };
    };

export interface AlertRule {
  id: string;
  name: string;
  type: AlertType;
  threshold: number | null;
  windowMinutes: number | null;
  policyRuleId: string | null;
  enabled: boolean;
  createdAt: string;
}

export interface Alert {
  id: string;
  alertRuleId: string;
  ruleName: string;
  type: AlertType;
  subject: string;
  summary: string;
  firedAt: string;
}

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
