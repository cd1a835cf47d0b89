// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyPayload } from '../../core/policy/policy-payload.ts';
import { OfflineBanner } from '../../pwa/src/components/offline-banner.tsx';
import { render, settle, type Rendered } from './support/render.tsx';
import { cacheSignedPolicy } from './support/cache-signed-policy.ts';
import type { CachedRecord } from './support/memory-cache-db.ts';
import { mockFetch } from './support/mock-fetch.ts';

// happy-dom has no IndexedDB: the app's one storage module is swapped for a Map.
const store = vi.hoisted(() => new Map<string, CachedRecord>());
vi.mock('../../pwa/src/storage/db.ts', async () =>
  (await import('./support/memory-cache-db.ts')).memoryCacheDb(store),
);

const { TransparencyPage } = await import('../../pwa/src/employee/transparency-page.tsx');

let view: Rendered;
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
  store.clear();
});

describe('offline banner', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('is absent online', () => {
    view = render(<OfflineBanner offline={false} updatedAt="2026-11-28T11:55:00Z" now={now} />);
    expect(view.container.textContent).toBe('');
  });

  it('says offline and how old the shown data is', () => {
    view = render(<OfflineBanner offline updatedAt="2026-11-28T11:55:00Z" now={now} />);
    const banner = view.getByRole('status');
    expect(banner.textContent).toMatch(
      /^Offline — last updated 5 minutes ago \(.+\)\. Changes need the network\.$/,
    );
    expect(banner.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-28T11:55:00Z');
  });

  it('says so when nothing is cached yet', () => {
    view = render(<OfflineBanner offline now={now} />);
    expect(view.getByRole('status').textContent).toMatch(
      /Offline — nothing saved on this browser yet/,
    );
  });
});

describe('transparency page offline', () => {
  let payload: PolicyPayload;

  beforeEach(async () => {
    // The signed-in session is cached too: the policy must name this person's group.
    payload = await cacheSignedPolicy(store, {
      version: 7,
      issuedAt: '2026-11-27T09:00:00.000Z',
      at: '2026-11-28T08:00:00.000Z',
      policy: { urlBlocklist: ['casino.example'] },
    });
  });

  it('shows the cached, verified policy under the offline banner', async () => {
    mockFetch({}, { offline: true });
    view = render(<TransparencyPage />);
    await settle(10);
    expect(view.getByRole('status', /^Offline/).textContent).toMatch(/last updated/);
    expect(view.getByRole('list', 'Blocked sites').textContent).toContain('casino.example');
    expect(view.container.querySelector('[data-testid="url-detail"]')?.textContent).toBe(
      'the site only',
    );
  });

  it('refuses a cached policy whose signature does not verify', async () => {
    const cached = store.get('policy')!.value as { envelope: { payload: string } };
    // A tampered cache tries to loosen the policy: drop the blocklist.
    cached.envelope.payload = JSON.stringify({
      ...payload,
      policy: { ...payload.policy, urlBlocklist: [] },
    });
    mockFetch({}, { offline: true });
    view = render(<TransparencyPage />);
    await settle(10);
    expect(view.queryByRole('list', 'Blocked sites')).toBeNull();
    expect(view.text()).not.toContain('No sites are blocked');
    expect(view.getByRole('alert').getAttribute('data-code')).toBe('policy_unverified');
  });
});
