// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppsClientsPage } from '../../pwa/src/admin/apps-clients-page.tsx';
import { AuditTable } from '../../pwa/src/auditor/audit-table.tsx';
import type { StoredAuditEvent } from '../../pwa/src/api/types.ts';
import { mockFetch } from './support/mock-fetch.ts';
import { click, render, settle, type, type Rendered } from './support/render.tsx';

let view: Rendered;
afterEach(() => {
  view?.unmount();
  vi.unstubAllGlobals();
});

const CRM = {
  id: 'app_crm',
  name: 'CRM',
  redirectUris: ['https://crm.example/callback'],
  appId: 'crm',
  backchannelLogoutUri: 'https://crm.example/backchannel-logout',
  createdAt: '2026-12-01T00:00:00.000Z',
};

describe('Apps admin page', () => {
  it('lists apps with their recent sign-ins, registers one and shows its secret once', async () => {
    let clients = [CRM];
    const api = mockFetch({
      'GET /api/v1/oidc/clients': () => ({ json: { clients } }),
      'GET /api/v1/oidc/clients/app_crm/signins': {
        json: {
          signins: [
            {
              grantId: 'g1',
              userId: 'u1',
              deviceId: 'd1',
              trust: 'managed',
              clientAddress: '10.1.2.3',
              createdAt: '2026-12-03T09:00:00.000Z',
              endedAt: '2026-12-03T10:00:00.000Z',
              endReason: 'device revoked',
            },
          ],
        },
      },
      'GET /api/v1/oidc/clients/app_wiki/signins': { json: { signins: [] } },
      'POST /api/v1/oidc/clients': ({ body }) => {
        const client = { ...CRM, ...(body as object), id: 'app_wiki' };
        clients = [...clients, client];
        return { status: 201, json: { client, secret: 'the-secret-shown-once' } };
      },
    });
    view = render(<AppsClientsPage />);
    await settle();
    expect(view.getByRole('heading', 'CRM')).toBeTruthy();
    expect(view.text()).toContain('10.1.2.3');
    expect(view.text()).toContain('(device revoked)');

    type(view.getByLabel('Name'), 'Wiki');
    type(view.getByLabel(/^App family id/), 'wiki');
    type(view.getByLabel('Redirect URIs, one a line'), 'https://wiki.example/cb\n\n');
    click(view.getByRole('button', 'Register app'));
    await settle();
    const sent = api.calls.find((c) => c.method === 'POST');
    expect(sent?.body).toEqual({
      name: 'Wiki',
      appId: 'wiki',
      redirectUris: ['https://wiki.example/cb'],
      backchannelLogoutUri: null,
    });
    expect(view.container.querySelector('#new-client-secret')!.textContent).toBe(
      'the-secret-shown-once',
    );
    expect(view.text()).toContain('it is shown only once');
  });
});

describe('audit table', () => {
  it('shows an access refusal with its failed conditions and the client', () => {
    const event = {
      seq: 7,
      id: 'e7',
      time: '2026-12-03T09:00:00.000Z',
      kind: 'access',
      outcome: 'blocked',
      ruleId: 'crm',
      ruleName: 'CRM',
      userEmail: 'pat@corp.test',
      target: 'client:app_crm',
      detail: { phase: 'sign-in', failed: 'device_trust,when' },
      receivedAt: '2026-12-03T09:00:00.000Z',
      hashVersion: 2,
      prevHash: '0',
      hash: '1',
    } as unknown as StoredAuditEvent;
    view = render(<AuditTable events={[event]} selected={null} onSelect={() => {}} busy={false} />);
    const row = view.container.querySelector('tbody tr')!.textContent!;
    expect(row).toContain('App access');
    expect(row).toContain('Access refused (device_trust, when)');
    expect(row).toContain('client:app_crm');
    expect(row).toContain('CRM');
  });
});
