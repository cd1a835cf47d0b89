// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../pwa/src/api/api-error.ts';
import type { Device, User } from '../../pwa/src/api/types.ts';
import { click, render, settle, type Rendered } from './support/render.tsx';
import { mockFetch } from './support/mock-fetch.ts';

// happy-dom has no IndexedDB: the app's one storage module is swapped for a Map.
vi.mock('../../pwa/src/storage/db.ts', async () =>
  (await import('./support/memory-cache-db.ts')).memoryCacheDb(),
);

// No extension runs in happy-dom: this browser's one is found installed and not yet paired.
vi.mock('../../pwa/src/extension/extension-bridge.ts', () => ({
  detectExtension: async () => ({ version: '1.0.0', enrolled: false }),
  pairExtension: async () => ({ ok: true }),
}));

const { AdminDevicesPage } = await import('../../pwa/src/admin/devices-page.tsx');
const { DeviceError } = await import('../../pwa/src/employee/device-error.tsx');
const { HomePage } = await import('../../pwa/src/employee/home-page.tsx');
const { ExtensionPairing } = await import('../../pwa/src/employee/extension-pairing.tsx');
const { Layout } = await import('../../pwa/src/components/layout.tsx');
const { SessionProvider } = await import('../../pwa/src/session/session.tsx');

const base = {
  groupId: 'g1',
  groupName: 'Sales',
  platform: 'Linux',
  browser: 'Chromium',
  extensionVersion: '1.0.0',
  status: 'active' as const,
  enrolledAt: '2026-12-01T00:00:00.000Z',
  lastSeenAt: null,
  appliedVersion: 1,
};
const devices: Device[] = [
  // Set up by the browser policy for ada@, and nobody has proven it is theirs.
  {
    ...base,
    id: 'd-claim',
    name: 'Kiosk',
    userId: null,
    userName: null,
    managed: true,
    claimedEmail: 'ada@example.com',
  },
  // Managed and claimed: Olga signed in from it and proved it.
  {
    ...base,
    id: 'd-olga',
    name: 'Olga’s Chromebook',
    userId: 'u-olga',
    userName: 'Olga',
    managed: true,
    claimedEmail: 'olga@example.com',
  },
  {
    ...base,
    id: 'd-eve',
    name: 'Eve’s laptop',
    userId: 'u-eve',
    userName: 'Eve',
    managed: false,
    claimedEmail: null,
  },
];

let view: Rendered;
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

describe('whose device it is', () => {
  it('shows a proven person, else the email a managed browser claims, marked as a claim', async () => {
    mockFetch({
      'GET /api/v1/groups': { json: { groups: [] } },
      'GET /api/v1/devices': { json: { devices } },
      'GET /api/v1/devices/d-claim': { json: { device: devices[0] } },
    });
    view = render(<AdminDevicesPage />);
    await settle();
    const rows = [...view.container.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].slice(0, 4).map((c) => c.textContent),
    );
    expect(rows).toEqual([
      ['Kiosk', 'claimed: ada@example.com', 'Sales', 'Managed'],
      ['Olga’s Chromebook', 'Olga', 'Sales', 'Managed'],
      ['Eve’s laptop', 'Eve', 'Sales', 'Paired'],
    ]);
    const claim = view.container.querySelector('.claimed')!;
    expect(claim.getAttribute('title')).toMatch(/managed configuration says.*not proof/);
    expect(view.text()).toMatch(/claimed: What this browser’s managed configuration says/);

    click(view.getByRole('button', 'Kiosk'));
    await settle();
    const facts = view.container.querySelector('.facts')!.textContent!;
    expect(facts).toContain('Personnobody yet');
    expect(facts).toMatch(
      /Claimed emailada@example\.comWhat this browser’s managed configuration says/,
    );
    expect(facts).toContain('Managed (force-installed');
  });
});

describe('the employee’s side', () => {
  it('says the device limit is reached, what it means and where the devices are', () => {
    const error = new ApiError(
      'device_limit',
      'You already have 2 devices, the most your group allows (2). Ask an admin to revoke one you no longer use.',
      409,
    );
    view = render(<DeviceError error={error} />);
    const alert = view.getByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('device_limit');
    expect(alert.textContent).toMatch(
      /^This browser was not added: you have reached your group’s device limit\./,
    );
    expect(alert.textContent).toContain('the most your group allows (2)');
    expect(view.getByRole('link', 'My status').getAttribute('href')).toBe('/');
  });

  it('stops pairing at the device limit and says so where the person clicked', async () => {
    const api = mockFetch({
      'POST /api/v1/me/devices': {
        status: 409,
        json: {
          error: {
            code: 'device_limit',
            message:
              'You already have 5 devices, the most your group allows (5). Ask an admin to revoke one you no longer use.',
          },
        },
      },
    });
    view = render(<ExtensionPairing userId="u-eve" />);
    await settle();
    click(view.getByRole('button', 'Pair the extension'));
    await settle();
    const alert = view.getByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('device_limit');
    expect(alert.textContent).toMatch(/reached your group’s device limit/);
    // No pairing token is asked for a device that was never made.
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/me/devices']);
  });

  it('shows any other error as one', () => {
    view = render(<DeviceError error={new ApiError('network', 'You are offline.')} />);
    expect(view.getByRole('alert').textContent).toBe('You are offline.');
    expect(view.queryByRole('link')).toBeNull();
  });

  const eve: User = {
    id: 'u-eve',
    name: 'Eve',
    email: 'eve@example.com',
    role: 'employee',
    groupId: 'g1',
    groupName: 'Sales',
  };

  it.each([
    { emailVerified: false, note: true },
    { emailVerified: true, note: false },
    // A session cached by an older app has no emailVerified: nothing is claimed about it.
    { emailVerified: undefined, note: false },
  ])(
    'notes an account awaiting approval on the home page and header ($emailVerified)',
    async ({ emailVerified, note }) => {
      mockFetch({
        'GET /api/v1/me/devices': { json: { devices: [] } },
        'GET /api/v1/me/policy': {
          status: 404,
          json: { error: { code: 'no_group', message: 'No policy.' } },
        },
      });
      view = render(
        <SessionProvider
          initial={{ status: 'signed-in', user: { ...eve, emailVerified }, offline: false }}
        >
          <Layout>
            <HomePage />
          </Layout>
        </SessionProvider>,
      );
      await settle();
      const shown = view.container.querySelector('[data-testid="awaiting-approval"]');
      expect(shown !== null).toBe(note);
      expect(
        view.container.querySelector('.account')!.textContent!.includes('awaiting approval'),
      ).toBe(note);
      if (note) expect(shown!.textContent).toMatch(/confirm that eve@example\.com is your address/);
    },
  );
});
