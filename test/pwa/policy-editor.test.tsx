// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PolicyEditPage } from '../../pwa/src/admin/policy-edit-page.tsx';
import { click, render, settle, type Rendered, type } from './support/render.tsx';
import { draftPolicy } from './support/draft-policy.ts';
import { mockFetch } from './support/mock-fetch.ts';

const policy = draftPolicy({
  name: 'Baseline',
  urlBlocklist: ['gambling.example'],
  urlAllowlist: [],
  dataControls: [
    {
      name: 'No copy out',
      rule_id: 'copy-out',
      restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
    },
  ],
});

let view: Rendered;
let api: ReturnType<typeof mockFetch>;
beforeEach(() => {
  history.replaceState(null, '', '/admin/policies/p1');
  api = mockFetch({
    'GET /api/v1/groups': { json: { groups: [{ id: 'g1', name: 'Sales' }] } },
    'GET /api/v1/policies/p1': { json: { policy } },
    'PUT /api/v1/policies/p1': ({ body }) => ({
      json: { policy: { ...policy, document: (body as { document: unknown }).document } },
    }),
  });
});
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

async function open() {
  view = render(<PolicyEditPage id="p1" />);
  await settle();
}

describe('policy editor validation display', () => {
  it('shows each diagnostic under its field, with the line it is on, and lists all of them', async () => {
    await open();
    expect(view.getByRole('status', /No problems found/)).toBeTruthy();

    const blocklist = view.getByLabel('Blocked sites') as HTMLTextAreaElement;
    // A blank line sits between the entries: entry [1] is on line 3.
    type(blocklist, 'gambling.example\n\nhtp:/bad filter');

    const under = view.container.querySelector('#f-urlBlocklist-diagnostics')!;
    expect(under.textContent).toMatch(/Error.*Line 3:/);
    expect(under.querySelector('[data-path="urlBlocklist[1]"]')).not.toBeNull();
    expect(blocklist.getAttribute('aria-invalid')).toBe('true');
    expect(blocklist.getAttribute('aria-describedby')).toContain('f-urlBlocklist-diagnostics');

    const summary = view.getByRole('heading', /^1 error$/);
    expect(summary).toBeTruthy();
    // The summary's entry names the path and takes the keyboard to the field.
    const jump = view.getByRole('button', 'urlBlocklist[1]');
    click(jump);
    expect(document.activeElement).toBe(blocklist);
  });

  it('puts a data-control diagnostic beside the rule field it is about', async () => {
    await open();
    const ruleId = view.getByLabel('Rule id') as HTMLInputElement;
    type(ruleId, '');
    const under = view.container.querySelector('#f-dataControls-0-rule_id-diagnostics');
    expect(under?.textContent).toMatch(/rule_id|empty|required/i);
    expect(ruleId.getAttribute('aria-invalid')).toBe('true');
    // Publishing waits until the errors are fixed.
    expect((view.getByRole('button', 'Review changes') as HTMLButtonElement).disabled).toBe(true);
    type(ruleId, 'copy-out');
    expect(view.getByRole('status', /No problems found/)).toBeTruthy();
  });

  it('reports unknown fields and JSON syntax errors in the JSON view', async () => {
    await open();
    click(view.getByRole('tab', 'JSON'));
    const json = view.getByLabel('Policy JSON') as HTMLTextAreaElement;

    type(json, '{ "urlBlockList": ["x.example"] }');
    expect(view.text()).toMatch(/unknown field "urlBlockList" — did you mean "urlBlocklist"\?/);
    expect(view.getByRole('button', 'urlBlockList')).toBeTruthy();

    type(json, '{ "urlBlocklist": [ }');
    expect(view.getByRole('alert').textContent).toMatch(/Line 1, column/);
    // The form cannot show a document that does not parse.
    expect((view.getByRole('tab', 'Form') as HTMLButtonElement).disabled).toBe(true);

    type(json, '{ "name": "Fixed", "urlBlocklist": ["x.example"] }');
    expect(view.queryByRole('alert')).toBeNull();
    click(view.getByRole('tab', 'Form'));
    expect((view.getByLabel('Blocked sites') as HTMLTextAreaElement).value).toBe('x.example');
  });

  it('saves the draft and shows the server diagnostics it refuses with', async () => {
    await open();
    type(view.getByLabel('Policy name'), 'Baseline 2');
    click(view.getByRole('button', 'Save draft'));
    await settle();
    const put = api.calls.find((c) => c.method === 'PUT');
    expect(put?.body).toMatchObject({ document: { name: 'Baseline 2' } });
    expect(view.text()).toMatch(/Saved at/);

    api = mockFetch({
      'PUT /api/v1/policies/p1': {
        status: 422,
        json: {
          error: {
            code: 'invalid_policy',
            message: 'The policy has 1 error.',
            details: {
              diagnostics: [
                { path: 'targetGroups[0]', severity: 'error', message: 'no group named "Ghosts".' },
              ],
            },
          },
        },
      },
    });
    type(view.getByLabel('Policy name'), 'Baseline 3');
    click(view.getByRole('button', 'Save draft'));
    await settle();
    expect(view.getByRole('alert').textContent).toBe('The policy has 1 error.');
    expect(view.text()).toMatch(/no group named "Ghosts"/);
  });
});
