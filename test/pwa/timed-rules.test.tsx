// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import { PolicyEditPage } from '../../pwa/src/admin/policy-edit-page.tsx';
import { PolicySimulator } from '../../pwa/src/admin/policy-simulator.tsx';
import { draftPolicy } from './support/draft-policy.ts';
import { mockFetch } from './support/mock-fetch.ts';
import { choose, click, render, settle, type, type Rendered } from './support/render.tsx';

let view: Rendered;
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

describe('data-control rules with when', () => {
  it('the simulator takes a time when some rule has one', () => {
    const doc: PolicyDocument = {
      dataControls: [
        {
          name: 'No printing on weekdays',
          rule_id: 'print-weekdays',
          when: {
            timeZone: 'UTC',
            windows: [{ days: [1, 2, 3, 4, 5], from: '00:00', to: '24:00' }],
          },
          restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
        },
      ],
    };
    view = render(<PolicySimulator document={doc} />);
    choose(view.getByLabel('Action'), 'print');
    type(view.getByLabel('From page (A)'), 'https://corp.example/report');
    const at = view.getByLabel('When (your clock)');
    type(at, '2026-12-02T12:00'); // a Wednesday
    expect(view.getByRole('status', 'Data verdict').textContent).toMatch(
      /BLOCK .* “No printing on weekdays”/,
    );
    type(at, '2026-12-06T10:00'); // a Sunday
    expect(view.getByRole('status', 'Data verdict').textContent).toMatch(
      /Allowed: no rule applies/,
    );
  });

  it('the simulator judges URL schedules at the time asked', () => {
    const doc: PolicyDocument = {
      urlSchedules: [
        {
          name: 'Weekends',
          when: { timeZone: 'UTC', windows: [{ days: [6, 7], from: '00:00', to: '24:00' }] },
          urlBlocklist: ['crm.example.com'],
        },
      ],
    };
    view = render(<PolicySimulator document={doc} />);
    type(view.getByLabel('Address to test'), 'https://crm.example.com/');
    const at = view.getByLabel('When (your clock)');
    type(at, '2026-12-02T12:00'); // a Wednesday
    expect(view.getByRole('status', 'URL verdict').textContent).toMatch(
      /Allowed: no filter matches/,
    );
    type(at, '2026-12-06T10:00'); // a Sunday
    expect(view.getByRole('status', 'URL verdict').textContent).toMatch(
      /Blocked by the filter crm\.example\.com/,
    );
  });

  it('the simulator asks no time when no rule has one', () => {
    view = render(<PolicySimulator document={{ urlBlocklist: ['x.example'] }} />);
    expect(view.container.querySelector('#sim-at')).toBeNull();
  });

  it('the rule editor sets when, with its diagnostics by the field', async () => {
    history.replaceState(null, '', '/admin/policies/p1');
    const policy = draftPolicy({
      name: 'Timed',
      dataControls: [
        {
          name: 'No copy out',
          rule_id: 'copy-out',
          restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
        },
      ],
    });
    const api = mockFetch({
      'GET /api/v1/groups': { json: { groups: [] } },
      'GET /api/v1/policies/p1': { json: { policy } },
      'PUT /api/v1/policies/p1': ({ body }) => ({
        json: { policy: { ...policy, document: (body as { document: unknown }).document } },
      }),
    });
    view = render(<PolicyEditPage id="p1" />);
    await settle();
    click(view.getByLabel(/Only at certain times \(on the device’s clock\)/));
    const zone = view.getByLabel('Time zone');
    type(zone, 'Mars/Olympus');
    expect(
      view.container.querySelector('#f-dataControls-0-when-timeZone-diagnostics')?.textContent,
    ).toMatch(/not an IANA time zone/);
    type(zone, 'Europe/Berlin');
    type(view.getByLabel('Window 1 from'), '22:00');
    type(view.getByLabel('Window 1 to'), '06:00');
    click(view.getByRole('button', 'Save draft'));
    await settle();
    const put = api.calls.find((c) => c.method === 'PUT');
    expect((put?.body as { document: PolicyDocument }).document.dataControls?.[0]?.when).toEqual({
      timeZone: 'Europe/Berlin',
      windows: [{ days: [1, 2, 3, 4, 5], from: '22:00', to: '06:00' }],
    });
  });

  it('the editor adds sites blocked at certain times, with diagnostics by each field', async () => {
    history.replaceState(null, '', '/admin/policies/p2');
    const policy = {
      id: 'p2',
      name: 'Sites',
      document: { name: 'Sites' },
      liveVersion: null,
      publishedAt: null,
    };
    const api = mockFetch({
      'GET /api/v1/groups': { json: { groups: [] } },
      'GET /api/v1/policies/p2': { json: { policy } },
      'PUT /api/v1/policies/p2': ({ body }) => ({
        json: { policy: { ...policy, document: (body as { document: unknown }).document } },
      }),
    });
    view = render(<PolicyEditPage id="p2" />);
    await settle();
    click(view.getByRole('button', 'Add sites at certain times'));
    expect(view.container.querySelector('#f-urlSchedules-0-name-diagnostics')?.textContent).toMatch(
      /must not be empty/,
    );
    type(view.getByLabel('Schedule name'), 'Office hours');
    type(view.getByLabel('Blocked sites at these times'), 'games.example\nhtp:/bad');
    expect(
      view.container.querySelector('#f-urlSchedules-0-urlBlocklist-diagnostics')?.textContent,
    ).toMatch(/Line 2/);
    type(view.getByLabel('Blocked sites at these times'), 'games.example');
    type(view.getByLabel('Time zone'), 'Europe/Paris');
    click(view.getByRole('button', 'Save draft'));
    await settle();
    const put = api.calls.find((c) => c.method === 'PUT');
    expect((put?.body as { document: PolicyDocument }).document.urlSchedules).toEqual([
      {
        name: 'Office hours',
        when: {
          timeZone: 'Europe/Paris',
          windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }],
        },
        urlBlocklist: ['games.example'],
      },
    ]);
  });
});
