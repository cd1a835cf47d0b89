// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { filterFromQuery, filterToQuery } from '../../pwa/src/auditor/audit-filter-query.ts';
import { AuditFilters } from '../../pwa/src/auditor/audit-filters.tsx';
import { AuditPage } from '../../pwa/src/auditor/audit-page.tsx';
import type { AuditFilter } from '../../pwa/src/api/types.ts';
import { choose, click, render, settle, type Rendered, type } from './support/render.tsx';
import { mockFetch } from './support/mock-fetch.ts';

let view: Rendered;
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

function submit(form: HTMLElement) {
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

describe('audit filters', () => {
  it('applies every filter at once, on submit only', () => {
    const onApply = vi.fn<(f: AuditFilter) => void>();
    view = render(<AuditFilters value={{}} onApply={onApply} />);
    choose(view.getByLabel('Kind'), 'navigation');
    type(view.getByLabel('User id'), 'u-42');
    type(view.getByLabel('Device id'), 'd-7');
    type(view.getByLabel('Rule'), 'gambling.example');
    type(view.getByLabel('Address contains'), 'casino');
    type(view.getByLabel('From'), '2026-11-01T08:00');
    expect(onApply).not.toHaveBeenCalled();

    click(view.getByRole('button', 'Apply filters'));
    expect(onApply).toHaveBeenCalledTimes(1);
    const f = onApply.mock.calls[0]![0];
    expect(f).toMatchObject({
      kind: 'navigation',
      userId: 'u-42',
      deviceId: 'd-7',
      ruleId: 'gambling.example',
      url: 'casino',
    });
    // Local time in the form, an ISO instant in the filter.
    expect(f.from).toBe(new Date('2026-11-01T08:00').toISOString());
    expect(f.to).toBeUndefined();
  });

  it('applies a time preset at once and clears everything', () => {
    const onApply = vi.fn<(f: AuditFilter) => void>();
    const now = Date.parse('2026-11-28T12:00:00Z');
    view = render(<AuditFilters value={{ kind: 'print' }} onApply={onApply} now={() => now} />);
    click(view.getByRole('button', 'Last 24 hours'));
    expect(onApply).toHaveBeenLastCalledWith({
      kind: 'print',
      from: '2026-11-27T12:00:00.000Z',
      to: undefined,
    });
    click(view.getByRole('button', 'Clear'));
    expect(onApply).toHaveBeenLastCalledWith({});
    expect((view.getByLabel('Kind') as HTMLSelectElement).value).toBe('');
  });

  it('round-trips through the address bar', () => {
    const f = { kind: 'clipboard', url: 'mail', from: '2026-11-01T00:00:00.000Z' };
    expect(filterFromQuery(new URLSearchParams(filterToQuery(f)))).toEqual(f);
    expect(filterToQuery({ kind: ' ', ruleId: undefined })).toBe('');
  });
});

describe('audit page with filters', () => {
  const event = (seq: number) => ({
    seq,
    id: `e${seq}`,
    time: `2026-11-28T10:0${seq}:00.000Z`,
    receivedAt: `2026-11-28T10:0${seq}:01.000Z`,
    kind: 'navigation',
    level: 'BLOCK',
    outcome: 'blocked',
    url: `https://casino${seq}.example`,
    ruleId: 'casino',
    userId: 'u-1',
    userEmail: 'ann@example.com',
    deviceId: 'd-1',
    prevHash: 'x',
    hash: 'y',
  });
  let api: ReturnType<typeof mockFetch>;
  beforeEach(() => {
    history.replaceState(null, '', '/audit');
    api = mockFetch({
      'GET /api/v1/audit': ({ url }) =>
        url.searchParams.get('cursor')
          ? { json: { events: [event(1)], nextCursor: null } }
          : { json: { events: [event(3), event(2)], nextCursor: 'c2' } },
      'GET /api/v1/audit/stats': {
        json: { overTime: [], topRules: [{ ruleId: 'casino', count: 3 }], topSites: [] },
      },
    });
  });

  it('queries with the filter, keeps it in the address and in the export links, and pages with the cursor', async () => {
    view = render(<AuditPage />);
    await settle();
    expect(view.getAllByRole('row').length).toBe(1 + 2);

    choose(view.getByLabel('Kind'), 'navigation');
    type(view.getByLabel('Address contains'), 'casino');
    submit(view.getByRole('search', 'Filter audit events'));
    await settle();

    expect(location.search).toBe('?kind=navigation&url=casino');
    const last = api.calls.filter((c) => c.path.startsWith('/api/v1/audit?')).at(-1)!;
    expect(last.path).toBe('/api/v1/audit?kind=navigation&url=casino&limit=50');
    expect(view.getByRole('link', 'Export CSV').getAttribute('href')).toBe(
      '/api/v1/audit/export?kind=navigation&url=casino&format=csv',
    );
    expect(view.getByRole('link', 'Export NDJSON').getAttribute('href')).toContain('format=ndjson');

    click(view.getByRole('button', 'Load older events'));
    await settle();
    expect(api.calls.at(-1)!.path).toContain('cursor=c2');
    expect(view.getAllByRole('row').length).toBe(1 + 3);
    expect(view.queryByRole('button', 'Load older events')).toBeNull();

    // A row opens its full event; "only this user" narrows the filter.
    click(view.getByRole('button', /^Event 2,/));
    expect(view.getByRole('heading', 'Event #2')).toBeTruthy();
    expect(view.text()).toContain('https://casino2.example');
    click(view.getByRole('button', 'Only this user'));
    await settle();
    expect(location.search).toBe('?userId=u-1&kind=navigation&url=casino');
  });
});
