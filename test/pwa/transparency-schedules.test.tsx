// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cacheSignedPolicy } from './support/cache-signed-policy.ts';
import type { CachedRecord } from './support/memory-cache-db.ts';
import { mockFetch } from './support/mock-fetch.ts';
import { render, settle, type Rendered } from './support/render.tsx';

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
});

const HOURS = {
  timeZone: 'Europe/Paris',
  windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }],
};

describe('transparency page', () => {
  it('tells the employee which rules and sites apply only at certain times', async () => {
    await cacheSignedPolicy(store, {
      version: 4,
      issuedAt: '2026-12-01T09:00:00.000Z',
      at: '2026-12-01T10:00:00.000Z',
      policy: {
        urlSchedules: [{ name: 'Office hours', when: HOURS, urlBlocklist: ['games.example'] }],
        dataControls: [
          {
            name: 'No printing in office hours',
            rule_id: 'print-hours',
            when: HOURS,
            restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
          },
        ],
      },
    });
    mockFetch({}, { offline: true });
    view = render(<TransparencyPage />);
    await settle(10);
    expect(view.text()).toContain('Office hours: Monday–Friday 08:00–19:00 Paris time');
    expect(view.getByRole('list', 'Blocked: Office hours').textContent).toContain('games.example');
    expect(view.text()).toMatch(/Printing, only Monday–Friday 08:00–19:00 Paris time: blocked/i);
  });
});
