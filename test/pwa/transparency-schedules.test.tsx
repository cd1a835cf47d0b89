// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSigningKeyPair, signEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { PolicyPayload } from '../../core/policy/policy-payload.ts';
import { mockFetch } from './support/mock-fetch.ts';
import { render, settle, type Rendered } from './support/render.tsx';

// happy-dom has no IndexedDB: the app's one storage module is swapped for a Map.
const store = vi.hoisted(
  () => new Map<string, { key: string; value: unknown; updatedAt: string }>(),
);
vi.mock('../../pwa/src/storage/db.ts', () => ({
  cacheDb: {
    get: async (key: string) => store.get(key),
    put: async (key: string, value: unknown, updatedAt = new Date().toISOString()) =>
      void store.set(key, { key, value, updatedAt }),
  },
}));
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
    const subtle = globalThis.crypto.subtle as unknown as Subtle;
    const keys = await generateSigningKeyPair(subtle);
    const payload: PolicyPayload = {
      v: 1,
      version: 4,
      issuedAt: '2026-12-01T09:00:00.000Z',
      groupId: 'g1',
      groupName: 'Sales',
      policy: {
        name: 'Sales',
        sources: ['Baseline'],
        urlBlocklist: [],
        urlAllowlist: [],
        urlSchedules: [{ name: 'Office hours', when: HOURS, urlBlocklist: ['games.example'] }],
        dataControls: [
          {
            name: 'No printing in office hours',
            rule_id: 'print-hours',
            when: HOURS,
            restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
          },
        ],
        httpsOnly: { hosts: [], mode: 'upgrade' },
        apps: [],
        auditUrlDetail: 'origin',
        messages: {},
      },
    };
    const envelope = await signEnvelope(
      subtle,
      JSON.stringify(payload),
      keys.keyId,
      keys.privateJwk,
    );
    const at = '2026-12-01T10:00:00.000Z';
    store.set('publicKey', {
      key: 'publicKey',
      value: { keyId: keys.keyId, alg: 'ES256', jwk: keys.publicJwk },
      updatedAt: at,
    });
    store.set('policy', { key: 'policy', value: { envelope, version: 4 }, updatedAt: at });
    store.set('me', {
      key: 'me',
      value: { id: 'u1', name: 'Sam', email: 'sam@corp.test', role: 'employee', groupId: 'g1' },
      updatedAt: at,
    });
    mockFetch({}, { offline: true });
    view = render(<TransparencyPage />);
    await settle(10);
    expect(view.text()).toContain('Office hours: Monday–Friday 08:00–19:00 Paris time');
    expect(view.getByRole('list', 'Blocked: Office hours').textContent).toContain('games.example');
    expect(view.text()).toMatch(/Printing, only Monday–Friday 08:00–19:00 Paris time: blocked/i);
  });
});
