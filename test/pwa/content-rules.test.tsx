// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataControlRule } from '../../core/policy/types.ts';
import { CONTENT_PRIVACY, explainDataControls } from '../../pwa/src/lib/explain-data-controls.ts';
import { click, render, settle, type Rendered } from './support/render.tsx';
import { cacheSignedPolicy } from './support/cache-signed-policy.ts';
import type { CachedRecord } from './support/memory-cache-db.ts';
import { draftPolicy } from './support/draft-policy.ts';
import { mockFetch } from './support/mock-fetch.ts';

// happy-dom has no IndexedDB: the app's one storage module is swapped for a Map.
const store = vi.hoisted(() => new Map<string, CachedRecord>());
vi.mock('../../pwa/src/storage/db.ts', async () =>
  (await import('./support/memory-cache-db.ts')).memoryCacheDb(store),
);

const { TransparencyPage } = await import('../../pwa/src/employee/transparency-page.tsx');
const { PolicyEditPage } = await import('../../pwa/src/admin/policy-edit-page.tsx');

const RULE: DataControlRule = {
  name: 'No cards on personal sites',
  rule_id: 'cards',
  destinations: { urls: ['personal.example'] },
  content: {
    detectors: ['payment_card', 'iban'],
    patterns: [{ id: 'prj', pattern: 'PRJ-\\d{6}' }],
    min_count: 2,
  },
  restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
};

let view: Rendered | undefined;
afterEach(() => {
  view?.unmount();
  view = undefined;
  vi.unstubAllGlobals();
  store.clear();
});

describe('content rules in words', () => {
  it('names the detectors, the company patterns and the count', () => {
    const [r] = explainDataControls([RULE], []);
    expect(r!.content).toBe(
      'payment card numbers, bank account numbers (iban) or the company pattern “prj”, at least 2 times',
    );
    expect(explainDataControls([{ ...RULE, content: undefined }], [])[0]!.content).toBeNull();
  });

  it('the transparency page says the content is checked on the device and never leaves it', async () => {
    await cacheSignedPolicy(store, {
      version: 3,
      issuedAt: '2026-11-27T09:00:00.000Z',
      at: '2026-11-28T08:00:00.000Z',
      policy: { dataControls: [RULE] },
    });
    mockFetch({}, { offline: true });
    view = render(<TransparencyPage />);
    await settle(10);
    expect(view.text()).toContain('when it contains payment card numbers');
    expect(view.text()).toContain(CONTENT_PRIVACY);
    expect(CONTENT_PRIVACY).toMatch(/never leaves your device/);
  });
});

describe('data-controls editor', () => {
  /** The policy editor on a draft holding `rule` alone. */
  const openEditor = async (rule: DataControlRule): Promise<Rendered> => {
    const policy = draftPolicy({ name: 'Baseline', dataControls: [rule] });
    history.replaceState(null, '', '/admin/policies/p1');
    mockFetch({
      'GET /api/v1/groups': { json: { groups: [] } },
      'GET /api/v1/policies/p1': { json: { policy } },
    });
    const editor = render(<PolicyEditPage id="p1" />);
    await settle();
    return editor;
  };

  it('sets and clears built-in detectors, keeping the rest of the rule', async () => {
    view = await openEditor({
      name: 'r',
      rule_id: 'r',
      restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
    });
    const box = view.getByLabel('Private keys') as HTMLInputElement;
    click(box);
    await settle();
    click(view.getByRole('tab', 'JSON'));
    const json = () => JSON.parse((view!.getByLabel('Policy JSON') as HTMLTextAreaElement).value);
    expect(json().dataControls[0].content).toEqual({ detectors: ['private_key'] });
    expect(view.getByRole('status', /No problems found/)).toBeTruthy();
  });

  it('tells the employee that a WARN with requireJustification records their reason', () => {
    const [rule] = explainDataControls(
      [
        {
          name: 'w',
          rule_id: 'w',
          requireJustification: true,
          restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
        },
      ],
      [],
    );
    expect(rule!.restrictions[0]!.outcome).toMatch(/your choice and your reason are recorded/);
  });

  it('asks for a reason on WARN when the admin ticks it', async () => {
    view = await openEditor({
      name: 'w',
      rule_id: 'w',
      restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
    });
    click(view.getByLabel('On WARN, ask why (the reason is recorded)'));
    await settle();
    click(view.getByRole('tab', 'JSON'));
    const json = () => JSON.parse((view!.getByLabel('Policy JSON') as HTMLTextAreaElement).value);
    expect(json().dataControls[0].requireJustification).toBe(true);
    expect(view.getByRole('status', /No problems found/)).toBeTruthy();
  });
});
