// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccessRequest } from '../../pwa/src/api/types.ts';
import { AccessRequestsPage } from '../../pwa/src/admin/access-requests-page.tsx';
import { MyAccessRequests } from '../../pwa/src/employee/my-access-requests.tsx';
import { choose, click, render, settle, type, type Rendered } from './support/render.tsx';
import { mockFetch } from './support/mock-fetch.ts';

const request = (patch: Partial<AccessRequest> = {}): AccessRequest => ({
  id: 'r1',
  state: 'pending',
  url: 'https://social.test',
  blockFilter: 'social.test',
  filter: '.social.test',
  reason: 'Customer support page',
  scope: null,
  expiresAt: null,
  createdAt: '2026-12-03T10:00:00.000Z',
  decidedAt: null,
  decidedBy: null,
  note: null,
  device: { id: 'd1', name: 'Emma laptop' },
  user: { id: 'u1', name: 'Emma Employee', email: 'emma@corp.test' },
  ...patch,
});

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
  vi.unstubAllGlobals();
});

describe('the admin’s access request queue', () => {
  it('shows the reason and approves for the chosen time and scope', async () => {
    let pending = [request()];
    const { calls } = mockFetch({
      'GET /api/v1/access-requests': ({ url }) => ({
        json: { requests: url.searchParams.get('status') === 'pending' ? pending : [] },
      }),
      'POST /api/v1/access-requests/r1/decision': () => {
        pending = [];
        return { json: { request: request({ state: 'approved' }) } };
      },
    });
    view = render(<AccessRequestsPage />);
    await settle();
    expect(view.text()).toContain('Customer support page');
    expect(view.text()).toContain('Emma Employee · Emma laptop');
    choose(view.getByLabel('For'), '1d');
    choose(view.getByLabel('Covers'), 'device');
    click(view.getByRole('button', 'Approve'));
    await settle();
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v1/access-requests/r1/decision',
      body: { decision: 'approve', duration: '1d', scope: 'device' },
    });
    expect(view.text()).toContain('No requests are waiting.');
  });

  it('offers only "this device" for a device nobody claimed, and denies with a note', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/access-requests': ({ url }) => ({
        json: { requests: url.searchParams.get('status') ? [request({ user: null })] : [] },
      }),
      'POST /api/v1/access-requests/r1/decision': {
        json: { request: request({ state: 'denied' }) },
      },
    });
    view = render(<AccessRequestsPage />);
    await settle();
    const scope = view.getByLabel('Covers') as HTMLSelectElement;
    expect([...scope.options].map((o) => o.value)).toEqual(['device']);
    type(view.getByLabel('Note (sent with a denial)'), 'Use the approved tool');
    click(view.getByRole('button', 'Deny'));
    await settle();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      decision: 'deny',
      note: 'Use the approved tool',
    });
  });
});

describe('the employee’s requests', () => {
  it('shows each state, the note and the end of an approval', async () => {
    mockFetch({
      'GET /api/v1/me/access-requests': {
        json: {
          requests: [
            request({ id: 'a', state: 'approved', expiresAt: '2026-12-03T11:00:00.000Z' }),
            request({ id: 'b', filter: '.games.test', state: 'denied', note: 'Not for work' }),
          ],
        },
      },
    });
    view = render(<MyAccessRequests />);
    await settle();
    const text = view.text();
    expect(text).toContain('Approved');
    expect(text).toContain('Denied');
    expect(text).toContain('Note: Not for work');
    expect(text).toContain('.games.test');
  });
});
