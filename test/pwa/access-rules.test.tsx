// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import type { Device, UserRow } from '../../pwa/src/api/types.ts';
import { PolicyEditPage } from '../../pwa/src/admin/policy-edit-page.tsx';
import { PolicySimulator } from '../../pwa/src/admin/policy-simulator.tsx';
import { draftPolicy } from './support/draft-policy.ts';
import { deviceRow } from './support/device-row.ts';
import { mockFetch } from './support/mock-fetch.ts';
import { choose, click, render, settle, type, type Rendered } from './support/render.tsx';

const users: UserRow[] = [
  {
    id: 'u1',
    name: 'Sam Sales',
    email: 'sam@example.com',
    emailVerified: true,
    role: 'employee',
    groupId: 'g1',
    groupName: 'Sales',
    disabled: false,
    createdAt: '2026-10-01T00:00:00Z',
  },
  {
    id: 'u2',
    name: 'Fay Finance',
    email: 'fay@example.com',
    emailVerified: true,
    role: 'employee',
    groupId: 'g2',
    groupName: 'Finance',
    disabled: false,
    createdAt: '2026-10-01T00:00:00Z',
  },
];
const devices: Device[] = [
  deviceRow({ id: 'd1', name: 'Sam laptop', userId: 'u1', enrolledAt: '2026-11-01T00:00:00Z' }),
  deviceRow({
    id: 'd2',
    name: 'Sam old phone',
    userId: 'u1',
    status: 'revoked',
    managed: false,
    enrolledAt: '2026-10-01T00:00:00Z',
  }),
];

let view: Rendered;
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

describe('access rule form', () => {
  let api: ReturnType<typeof mockFetch>;
  beforeEach(() => {
    history.replaceState(null, '', '/admin/policies/p1');
    const policy = draftPolicy({
      name: 'Apps',
      apps: [{ id: 'crm', name: 'CRM', urls: ['crm.example.com'] }],
    });
    api = mockFetch({
      'GET /api/v1/groups': {
        json: {
          groups: [
            { id: 'g1', name: 'Sales' },
            { id: 'g2', name: 'Finance' },
          ],
        },
      },
      'GET /api/v1/users': { json: { users } },
      'GET /api/v1/devices': { json: { devices } },
      'GET /api/v1/policies/p1': { json: { policy } },
      'PUT /api/v1/policies/p1': ({ body }) => ({
        json: { policy: { ...policy, document: (body as { document: unknown }).document } },
      }),
    });
  });

  it('edits every part of the rule, shows each problem by its field, and saves the rule', async () => {
    view = render(<PolicyEditPage id="p1" />);
    await settle();
    click(view.getByLabel('Check access at sign-in'));
    // The access rule's own group boxes (the policy's "Applies to" has boxes named alike).
    const accessGroups = view.container.querySelector('#f-apps-0-access-groups')!;
    const sales = [...accessGroups.querySelectorAll('label')].find(
      (l) => l.textContent === 'Sales',
    )!;
    click(sales.querySelector('input')!);
    choose(view.getByLabel('Browser must be'), 'managed');
    type(view.getByLabel('Minimum Chrome version'), '120');
    type(view.getByLabel('Policy fetched within (minutes)'), '60');
    click(view.getByLabel(/Palisade must also run in private/));
    click(view.getByLabel('Only at certain times'));
    const zone = view.getByLabel('Time zone') as HTMLInputElement;
    type(zone, 'Europe/Pariss');
    expect(
      view.container.querySelector('#f-apps-0-access-when-timeZone-diagnostics')?.textContent,
    ).toMatch(/not an IANA time zone — did you mean "Europe\/Paris"/);
    expect(zone.getAttribute('aria-invalid')).toBe('true');
    type(zone, 'Europe/Paris');
    expect(view.container.querySelector('#f-apps-0-access-when-timeZone-diagnostics')).toBeNull();

    // Window 1 defaults to Monday–Friday 08:00–19:00; an empty window is flagged beside it.
    type(view.getByLabel('Window 1 to'), '08:00');
    expect(
      view.container.querySelector('#f-apps-0-access-when-windows-0-diagnostics')?.textContent,
    ).toMatch(/window is empty/);
    type(view.getByLabel('Window 1 to'), '19:00');
    click(view.getByLabel('Sat')); // the first window also covers Saturday now

    const networks = view.getByLabel('Client networks allowed (CIDR)');
    type(networks, '203.0.113.0/24\n10.0.0.1/8');
    expect(
      view.container.querySelector('#f-apps-0-access-where-networks-diagnostics')?.textContent,
    ).toMatch(/Line 2: .*starts at 10\.0\.0\.0\/8/);
    expect((view.getByRole('button', 'Review changes') as HTMLButtonElement).disabled).toBe(true);
    type(networks, '203.0.113.0/24\n10.0.0.0/8');
    type(view.getByLabel('Devices per person at once'), '2');
    expect(view.getByRole('status', /No problems found/)).toBeTruthy();

    click(view.getByRole('button', 'Save draft'));
    await settle();
    const put = api.calls.find((c) => c.method === 'PUT');
    expect((put?.body as { document: PolicyDocument }).document.apps?.[0]?.access).toEqual({
      groups: ['Sales'],
      device: {
        trust: 'managed',
        minBrowserVersion: { chrome: 120 },
        maxPolicyAgeMinutes: 60,
        incognitoCovered: true,
      },
      when: {
        timeZone: 'Europe/Paris',
        windows: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '19:00' }],
      },
      where: { networks: ['203.0.113.0/24', '10.0.0.0/8'] },
      maxDevicesPerUser: 2,
    });
  });

  it('flags an access group that does not exist, once the groups are known', async () => {
    view = render(<PolicyEditPage id="p1" />);
    await settle();
    click(view.getByRole('tab', 'JSON'));
    type(
      view.getByLabel('Policy JSON'),
      JSON.stringify({
        apps: [
          { id: 'crm', name: 'CRM', urls: ['crm.example.com'], access: { groups: ['Sails'] } },
        ],
      }),
    );
    expect(view.text()).toMatch(
      /there is no group named "Sails"; create it first or use one of: "Sales", "Finance"/,
    );
    click(view.getByRole('tab', 'Form'));
    expect(view.text()).toMatch(/Sails no such group/);
  });
});

describe('access simulator', () => {
  const doc: PolicyDocument = {
    apps: [
      {
        id: 'crm',
        name: 'CRM',
        urls: ['crm.example.com'],
        access: {
          groups: ['Sales'],
          device: { minBrowserVersion: { chrome: 120 } },
          when: {
            timeZone: 'UTC',
            windows: [{ days: [1, 2, 3, 4, 5], from: '00:00', to: '24:00' }],
          },
          where: { networks: ['203.0.113.0/24'] },
          maxDevicesPerUser: 1,
        },
      },
    ],
  };
  const verdict = () => view.getByRole('status', 'Access verdict').textContent ?? '';

  it('answers for a person, a device, a time and an address, naming each failed condition', () => {
    view = render(<PolicySimulator document={doc} users={users} devices={devices} />);
    type(view.getByLabel('Time (your clock)'), '2026-12-02T12:00'); // a Wednesday
    type(view.getByLabel('Client address'), '203.0.113.7');
    // Without Palisade, the device conditions fail.
    expect(verdict()).toMatch(/Refused: 2 conditions not met/);
    expect(verdict()).toMatch(/Open this app in the browser where Palisade is installed/);

    choose(view.getByLabel('Device'), 'd1');
    expect(verdict()).toMatch(/Allowed: CRM opens for Sam Sales/);

    type(view.getByLabel('Browser version'), '118');
    expect(verdict()).toMatch(/Your browser is Chrome 118; this app needs Chrome 120 or later/);
    type(view.getByLabel('Browser version'), '131');

    type(view.getByLabel('Time (your clock)'), '2026-12-06T10:00'); // a Sunday
    type(view.getByLabel('Client address'), '198.51.100.4');
    type(view.getByLabel('Other devices signed in to the app'), '1');
    const items = [...view.getByRole('status', 'Access verdict').querySelectorAll('li')].map(
      (li) => li.dataset.condition,
    );
    expect(items).toEqual(['when', 'where', 'device_limit']);
    expect(verdict()).toMatch(/Available Monday–Friday 00:00–24:00 UTC time/);
    expect(verdict()).toMatch(/Your network \(198\.51\.100\.4\) is not one this app accepts/);
    expect(verdict()).toMatch(/at most 1 device\./);
  });

  it('counts a revoked device as no Palisade and checks the group', () => {
    view = render(<PolicySimulator document={doc} users={users} devices={devices} />);
    type(view.getByLabel('Time (your clock)'), '2026-12-02T12:00');
    type(view.getByLabel('Client address'), '203.0.113.7');
    choose(view.getByLabel('Device'), 'd2');
    expect(verdict()).toMatch(/where Palisade is installed/);
    choose(view.getByLabel('Person'), 'u2');
    expect(verdict()).toMatch(/not in a group allowed to use CRM/);
  });
});
