// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device, User } from '../../pwa/src/api/types.ts';
import { fakeExtensionBridge, type FakeBridge } from './support/fake-extension-bridge.ts';
import { mockFetch } from './support/mock-fetch.ts';
import { click, render, settle, type Rendered } from './support/render.tsx';

// happy-dom has no IndexedDB: the app's one storage module is swapped for a Map.
vi.mock('../../pwa/src/storage/db.ts', async () =>
  (await import('./support/memory-cache-db.ts')).memoryCacheDb(),
);

const { HomePage } = await import('../../pwa/src/employee/home-page.tsx');
const { SessionProvider } = await import('../../pwa/src/session/session.tsx');

const pat: User = {
  id: 'u-pat',
  name: 'Pat Person',
  email: 'pat@corp.test',
  role: 'employee',
  groupId: 'g1',
  groupName: 'Staff',
  emailVerified: true,
};

const managedDevice: Device = {
  id: 'd-managed',
  name: 'Front desk Chromebook',
  userId: 'u-pat',
  userName: 'Pat Person',
  groupId: 'g1',
  groupName: 'Staff',
  platform: 'ChromeOS',
  browser: 'Chrome',
  extensionVersion: '0.1.0',
  status: 'active',
  enrolledAt: '2026-12-01T00:00:00.000Z',
  lastSeenAt: null,
  appliedVersion: 1,
  managed: true,
  claimedEmail: 'pat@corp.test',
};

const MANAGED_HELLO = { version: '0.1.0', enrolled: true, managed: true, deviceId: 'd-managed' };
const TOKEN = 'claim-token-from-the-server-0123';

let view: Rendered;
let bridge: FakeBridge | undefined;
afterEach(() => {
  view.unmount();
  bridge?.uninstall();
  bridge = undefined;
  vi.unstubAllGlobals();
});

/** The employee's home page with the server's answers; `devices` is what GET /me/devices says. */
function api(devices: () => Device[], claim: { status?: number; json: unknown }) {
  return mockFetch({
    'GET /api/v1/me/devices': () => ({ json: { devices: devices() } }),
    'GET /api/v1/me/policy': {
      status: 404,
      json: { error: { code: 'no_group', message: 'No policy.' } },
    },
    'POST /api/v1/me/device-claims': claim,
  });
}

async function home() {
  view = render(
    <SessionProvider initial={{ status: 'signed-in', user: pat, offline: false }}>
      <HomePage />
    </SessionProvider>,
  );
  await settle(10);
}

const claimButton = () => view.queryByRole('button', 'Confirm this browser is mine');
const calls = (a: ReturnType<typeof mockFetch>) => a.calls.map((c) => `${c.method} ${c.path}`);

describe('a managed browser, on the employee’s home page', () => {
  it('offers the claim, says what it means, and confirms it with the extension', async () => {
    let mine = false;
    const server = api(() => (mine ? [managedDevice] : []), {
      json: { token: TOKEN, expiresAt: '2026-12-03T12:05:00.000Z' },
    });
    bridge = fakeExtensionBridge({
      hello: MANAGED_HELLO,
      claim: (token) => {
        mine = token === TOKEN;
        return { ok: true, user: { name: pat.name, email: pat.email } };
      },
    });
    await home();

    const offer = view.container.querySelector('[data-testid="managed-claim"]')!;
    expect(offer.textContent).toContain(
      'This browser is managed by your organisation — confirm it is yours.',
    );
    expect(offer.textContent).toMatch(/events it records .* carry your name and email/);
    expect(view.getByRole('link', 'transparency page').getAttribute('href')).toBe('/transparency');
    // Managed: never offered pairing.
    expect(view.queryByRole('button', 'Pair the extension')).toBeNull();
    expect(view.text()).toContain('installed and managed by your organisation.');

    click(claimButton()!);
    await settle(10);
    // The token the server issued for this session is the one the extension got.
    expect(bridge.claims).toEqual([TOKEN]);
    expect(view.getByRole('status').textContent).toBe(
      'Confirmed: this browser is yours, Pat Person (pat@corp.test). Its events now carry your name.',
    );
    expect(claimButton()).toBeNull();
    // The device list is asked again, and now shows the browser.
    expect(calls(server).filter((c) => c === 'GET /api/v1/me/devices')).toHaveLength(2);
    expect(view.text()).toContain('Front desk Chromebook');
  });

  it('offers nothing when the browser is already this person’s', async () => {
    api(() => [managedDevice], { json: { token: TOKEN, expiresAt: '' } });
    bridge = fakeExtensionBridge({ hello: MANAGED_HELLO });
    await home();
    expect(claimButton()).toBeNull();
    expect(view.text()).toContain('This browser is yours: the events it records carry your name.');
  });

  it.each([
    {
      code: 'conflict',
      message: 'Your administrator set this browser up for another person; ask them to change it.',
      shown: /^Your administrator set this browser up for another person; ask them to change it\.$/,
    },
    {
      code: 'token_invalid',
      message: 'This claim token is unknown, used or expired. Start again from the app.',
      shown: /^This claim token is unknown, used or expired\. Start again from the app\.$/,
    },
    {
      code: 'device_limit',
      message: 'You already have 5 devices, the most your group allows (5).',
      shown: /reached your group’s device limit\..*the most your group allows \(5\)/,
    },
  ])('shows the extension’s refusal plainly: $code', async ({ code, message, shown }) => {
    api(() => [], { json: { token: TOKEN, expiresAt: '' } });
    bridge = fakeExtensionBridge({
      hello: MANAGED_HELLO,
      claim: () => ({ ok: false, code, message }),
    });
    await home();
    click(claimButton()!);
    await settle(10);
    const alert = view.getByRole('alert');
    expect(alert.getAttribute('data-code')).toBe(code);
    expect(alert.textContent).toMatch(shown);
    expect(view.queryByRole('status')).toBeNull();
    // The person may try again (a new token each time).
    expect(claimButton()!.hasAttribute('disabled')).toBe(false);
  });

  it('asks the extension nothing when the server gives no token', async () => {
    api(() => [], {
      status: 429,
      json: { error: { code: 'rate_limited', message: 'Too many requests. Try again later.' } },
    });
    bridge = fakeExtensionBridge({
      hello: MANAGED_HELLO,
      claim: () => ({ ok: true, user: { name: pat.name, email: pat.email } }),
    });
    await home();
    click(claimButton()!);
    await settle(10);
    expect(view.getByRole('alert').textContent).toBe('Too many requests. Try again later.');
    expect(bridge.claims).toEqual([]);
  });

  it('a browser the organisation is still setting up offers neither pairing nor a claim', async () => {
    api(() => [], { json: { token: TOKEN, expiresAt: '' } });
    bridge = fakeExtensionBridge({ hello: { version: '0.1.0', enrolled: false, managed: true } });
    await home();
    expect(claimButton()).toBeNull();
    expect(view.queryByRole('button', 'Pair the extension')).toBeNull();
    expect(view.text()).toContain('managed by your organisation, which is still setting it up.');
  });

  it('an unmanaged browser is paired as before, never claimed', async () => {
    api(() => [], { json: { token: TOKEN, expiresAt: '' } });
    bridge = fakeExtensionBridge({ hello: { version: '0.1.0', enrolled: false, managed: false } });
    await home();
    expect(claimButton()).toBeNull();
    expect(view.getByRole('button', 'Pair the extension')).toBeTruthy();
  });
});
