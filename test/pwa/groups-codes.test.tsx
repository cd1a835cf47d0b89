// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupsPage } from '../../pwa/src/admin/groups-page.tsx';
import type { EnrollmentCode, Group } from '../../pwa/src/api/types.ts';
import { click, render, settle, type, type Rendered } from './support/render.tsx';
import { mockFetch } from './support/mock-fetch.ts';

const CODE = 'ABCD-EFGH-JKMN';
let view: Rendered;
let api: ReturnType<typeof mockFetch>;
let codes: EnrollmentCode[];
let groups: Group[];

beforeEach(() => {
  groups = [
    {
      id: 'g1',
      name: 'Sales',
      createdAt: '2026-10-01T00:00:00Z',
      userCount: 2,
      deviceCount: 3,
      maxDevicesPerUser: 5,
    },
  ];
  codes = [
    {
      id: 'c-old',
      code: null,
      hint: 'WXYZ',
      link: null,
      emailDomain: null,
      groupId: 'g1',
      groupName: 'Sales',
      expiresAt: null,
      maxUses: null,
      uses: 1,
      revoked: false,
      createdAt: '2026-11-01T00:00:00.000Z',
    },
  ];
  api = mockFetch({
    'GET /api/v1/groups': () => ({ json: { groups } }),
    'PATCH /api/v1/groups/g1': ({ body }) => {
      const { maxDevicesPerUser } = body as { maxDevicesPerUser: number };
      if (maxDevicesPerUser > 1000)
        return { status: 400, json: { error: { code: 'validation_failed', message: 'too many' } } };
      groups = [{ ...groups[0]!, maxDevicesPerUser }];
      return { json: { group: groups[0] } };
    },
    // Like the server: the list never carries a code or its link, only the hint.
    'GET /api/v1/enrollment-codes': () => ({ json: { enrollmentCodes: codes } }),
    'POST /api/v1/enrollment-codes': ({ body }) => {
      const { emailDomain } = body as { emailDomain?: string };
      if (emailDomain === 'not a domain') {
        return {
          status: 400,
          json: {
            error: {
              code: 'validation_failed',
              message: 'emailDomain: must be a domain such as example.com',
              details: {
                issues: [{ path: 'emailDomain', message: 'must be a domain such as example.com' }],
              },
            },
          },
        };
      }
      const row = {
        ...codes[0]!,
        id: 'c-new',
        hint: 'JKMN',
        emailDomain: emailDomain ?? null,
        uses: 0,
        createdAt: '2026-12-03T00:00:00.000Z',
      };
      codes = [...codes, row];
      const link = `http://localhost/enroll#${CODE}`;
      return { json: { enrollmentCode: { ...row, code: CODE, link }, link } };
    },
  });
});
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

async function open() {
  view = render(<GroupsPage />);
  await settle();
}

const codeRows = () => [
  ...view.getByRole('heading', 'Enrollment codes').closest('section')!.querySelectorAll('tbody tr'),
];

describe('enrollment codes are shown once', () => {
  it('lists an old code by its last characters, with no link to copy', async () => {
    await open();
    const [row] = codeRows();
    expect(row!.querySelector('th')!.textContent).toBe('…WXYZ');
    expect(row!.textContent).toContain('Any');
    expect(view.queryByRole('button', /Copy link/)).toBeNull();
    expect(view.getByRole('button', 'Revoke')).toBeTruthy();
  });

  it('shows a new code and its link once, with the warning, and then only the hint', async () => {
    await open();
    type(view.getByLabel('Email domain (optional)'), '@Corp.Example');
    click(view.getByRole('button', 'Create enrollment code'));
    await settle();
    const sent = api.calls.find(
      (c) => c.method === 'POST' && c.path === '/api/v1/enrollment-codes',
    );
    expect(sent?.body).toMatchObject({ groupId: 'g1', emailDomain: 'corp.example' });

    const status = view.getByRole('status', /will not be shown again/);
    expect(status.textContent).toMatch(
      /^Copy the code and the link now: they will not be shown again\./,
    );
    expect((view.getByLabel(/^Enrollment link/) as HTMLInputElement).value).toBe(
      `http://localhost/enroll#${CODE}`,
    );
    expect(view.getByLabel(/^Enrollment link/).closest('.field')!.textContent).toContain(
      '(addresses at @corp.example only)',
    );
    expect((view.getByLabel(/^Enrollment code/) as HTMLInputElement).value).toBe(CODE);
    expect(view.getByRole('button', 'Copy enrollment link')).toBeTruthy();
    expect(view.getByRole('button', 'Copy enrollment code')).toBeTruthy();

    // The list, reloaded from the server, has the new code by its hint and its domain.
    const fresh = codeRows().find((r) => r.querySelector('th')!.textContent === '…JKMN');
    expect(fresh?.textContent).toContain('@corp.example');
    const list = view
      .getByRole('heading', 'Enrollment codes')
      .closest('section')!
      .querySelector('table');
    expect(list?.textContent).not.toContain(CODE);
  });

  it('puts a bad email domain’s error beside the field', async () => {
    await open();
    type(view.getByLabel('Email domain (optional)'), 'not a domain');
    click(view.getByRole('button', 'Create enrollment code'));
    await settle();
    const field = view.getByLabel('Email domain (optional)');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(view.container.querySelector('#code-email-domain-error')?.textContent).toMatch(
      /must be a domain/,
    );
    expect(view.queryByRole('status', /will not be shown again/)).toBeNull();
  });
});

describe('devices per person', () => {
  it('is edited per group and saved with PATCH', async () => {
    await open();
    const input = view.getByLabel('Devices per person in Sales') as HTMLInputElement;
    expect(input.value).toBe('5');
    const save = view.getByRole('button', 'Save the device limit of Sales') as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing changed yet
    type(input, '2');
    click(save);
    await settle();
    const patch = api.calls.find((c) => c.method === 'PATCH');
    expect(patch).toMatchObject({ path: '/api/v1/groups/g1', body: { maxDevicesPerUser: 2 } });
    expect(view.getByRole('status', 'Saved.')).toBeTruthy();
    expect((view.getByLabel('Devices per person in Sales') as HTMLInputElement).value).toBe('2');
  });

  it('refuses what the server would refuse before sending it', async () => {
    await open();
    const input = view.getByLabel('Devices per person in Sales');
    for (const bad of ['0', '1.5', '']) {
      type(input, bad);
      expect(
        (view.getByRole('button', 'Save the device limit of Sales') as HTMLButtonElement).disabled,
      ).toBe(true);
      expect(input.getAttribute('aria-invalid')).toBe('true');
    }
    expect(api.calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
  });
});
