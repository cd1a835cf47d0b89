// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UserRow } from '../../pwa/src/api/types.ts';
import { invitesText } from '../../pwa/src/lib/invites-text.ts';
import { choose, click, render, settle, type, type Rendered } from './support/render.tsx';
import { mockFetch } from './support/mock-fetch.ts';

// happy-dom has no IndexedDB: the app's one storage module is swapped for a Map.
vi.mock('../../pwa/src/storage/db.ts', async () =>
  (await import('./support/memory-cache-db.ts')).memoryCacheDb(),
);

const { UsersPage } = await import('../../pwa/src/admin/users-page.tsx');
const { SessionProvider } = await import('../../pwa/src/session/session.tsx');

const ada: UserRow = {
  id: 'u-ada',
  name: 'Ada Admin',
  email: 'ada@example.com',
  emailVerified: true,
  role: 'admin',
  groupId: null,
  groupName: null,
  disabled: false,
  createdAt: '2026-10-01T00:00:00Z',
};
const pat: UserRow = {
  id: 'u-pat',
  name: 'Pat Pending',
  email: 'pat@example.com',
  emailVerified: false,
  role: 'employee',
  groupId: 'g1',
  groupName: 'Sales',
  disabled: false,
  createdAt: '2026-10-01T00:00:00Z',
};
const groups = [
  { id: 'g1', name: 'Sales' },
  { id: 'g2', name: 'Support' },
];

let view: Rendered;
let users: UserRow[];
let api: ReturnType<typeof mockFetch>;
const copied: string[] = [];

beforeEach(() => {
  users = [ada, pat];
  copied.length = 0;
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: async (text: string) => void copied.push(text) },
  });
  api = mockFetch({
    'GET /api/v1/users': () => ({ json: { users } }),
    'GET /api/v1/groups': { json: { groups } },
    'POST /api/v1/users/u-pat/approve': () => {
      users = users.map((u) => (u.id === 'u-pat' ? { ...u, emailVerified: true } : u));
      return { json: { user: users[1] } };
    },
    'POST /api/v1/users/u-pat/reject': () => {
      users = users.filter((u) => u.id !== 'u-pat');
      return { json: { ok: true } };
    },
    'POST /api/v1/users/invite': ({ body }) => ({
      json: {
        email: (body as { email: string }).email,
        name: (body as { name?: string }).name ?? null,
        link: 'http://localhost/setup#one',
        expiresAt: '2026-12-10T12:00:00.000Z',
      },
    }),
    'POST /api/v1/users/invite/bulk': ({ body }) => {
      const { csv } = body as { csv: string };
      if (csv.includes('not-an-email')) {
        return {
          status: 400,
          json: {
            error: {
              code: 'validation_failed',
              message: 'line 3: "not-an-email" is not an email address (and 1 more problems).',
              details: {
                problems: [
                  { line: 3, message: '"not-an-email" is not an email address' },
                  { line: 4, message: 'there is no group named "Nope"' },
                ],
              },
            },
          },
        };
      }
      if (csv.includes('ada@example.com')) {
        return {
          status: 400,
          json: {
            error: {
              code: 'validation_failed',
              message: 'row 2: ada@example.com already has an account. Nobody was invited.',
              details: {
                problems: [{ row: 1, message: 'ada@example.com already has an account' }],
              },
            },
          },
        };
      }
      return {
        json: {
          invites: [
            {
              email: 'al@example.com',
              name: 'Al',
              link: 'http://localhost/setup#al',
              expiresAt: '2026-12-10T12:00:00.000Z',
            },
            {
              email: 'bo@example.com',
              name: 'Bo, Jr.',
              link: 'http://localhost/setup#bo',
              expiresAt: '2026-12-10T12:00:00.000Z',
            },
          ],
        },
      };
    },
  });
});
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

async function open() {
  view = render(
    <SessionProvider initial={{ status: 'signed-in', user: ada, offline: false }}>
      <UsersPage />
    </SessionProvider>,
  );
  await settle();
}

const posted = (path: string) =>
  api.calls.filter((c) => c.method === 'POST' && c.path === `/api/v1${path}`);

describe('bulk invite', () => {
  it('lists every problem with its line, and says nobody was invited', async () => {
    await open();
    type(
      view.getByLabel('People to invite, as CSV'),
      'name,email,group\nAl,al@example.com,Sales\nBo,not-an-email,Sales\nCy,cy@example.com,Nope\n',
    );
    click(view.getByRole('button', 'Create invitations'));
    await settle();
    const alert = view.getByRole('alert');
    expect(alert.textContent).toMatch(/^Nobody was invited\. Fix these 2 problems/);
    const items = [...view.getByRole('list', 'Problems in the list').querySelectorAll('li')];
    expect(items.map((li) => li.textContent)).toEqual([
      'Line 3: "not-an-email" is not an email address',
      'Line 4: there is no group named "Nope"',
    ]);
    expect(view.getByLabel('People to invite, as CSV').getAttribute('aria-invalid')).toBe('true');
    // The list stays, to be fixed in place.
    expect((view.getByLabel('People to invite, as CSV') as HTMLTextAreaElement).value).toContain(
      'not-an-email',
    );
  });

  it('places a problem with a person by their place in the list', async () => {
    await open();
    type(
      view.getByLabel('People to invite, as CSV'),
      'Al,al@example.com,Sales\nAda,ada@example.com,Sales',
    );
    click(view.getByRole('button', 'Create invitations'));
    await settle();
    expect(view.getByRole('list', 'Problems in the list').textContent).toBe(
      'Person 2 in the list: ada@example.com already has an account',
    );
  });

  it('shows a link per person with its own Copy button, and copies all as CSV or lines', async () => {
    await open();
    type(
      view.getByLabel('People to invite, as CSV'),
      'Al,al@example.com,Sales\r\n"Bo, Jr.",bo@example.com,Sales\r\n',
    );
    click(view.getByRole('button', 'Create invitations'));
    await settle();
    expect(posted('/users/invite/bulk')[0]?.body).toEqual({
      csv: 'Al,al@example.com,Sales\r\n"Bo, Jr.",bo@example.com,Sales\r\n',
    });
    const table = view.container.querySelector('table[aria-label="Invitation links"]')!;
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.children].slice(0, 3).map((c) => c.textContent),
    );
    expect(rows).toEqual([
      ['Al', 'al@example.com', 'http://localhost/setup#al'],
      ['Bo, Jr.', 'bo@example.com', 'http://localhost/setup#bo'],
    ]);
    expect(view.getByRole('status', /2 invitations created/)).toBeTruthy();

    click(view.getByRole('button', 'Copy invitation link for bo@example.com'));
    click(view.getByRole('button', 'Copy all as CSV invitation links'));
    click(view.getByRole('button', 'Copy all as lines invitation links'));
    await settle();
    expect(copied).toEqual([
      'http://localhost/setup#bo',
      'name,email,link\r\nAl,al@example.com,http://localhost/setup#al\r\n"Bo, Jr.",bo@example.com,http://localhost/setup#bo\r\n',
      'Al <al@example.com> http://localhost/setup#al\nBo, Jr. <bo@example.com> http://localhost/setup#bo',
    ]);
    // The list is done with: the box is empty for the next one.
    expect((view.getByLabel('People to invite, as CSV') as HTMLTextAreaElement).value).toBe('');
  });

  it('reads a picked .csv file into the box to check before sending', async () => {
    await open();
    const input = view.getByLabel('Or pick a .csv file') as HTMLInputElement;
    const file = new File(['name,email,group\nAl,al@example.com,Sales\n'], 'staff.csv', {
      type: 'text/csv',
    });
    Object.defineProperty(input, 'files', { configurable: true, value: [file] });
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect((view.getByLabel('People to invite, as CSV') as HTMLTextAreaElement).value).toBe(
      'name,email,group\nAl,al@example.com,Sales\n',
    );
    expect(view.getByRole('status', /Read staff\.csv/)).toBeTruthy();
    expect(posted('/users/invite/bulk')).toHaveLength(0);
  });
});

describe('invite one person', () => {
  it('asks an employee’s name and group and sends them', async () => {
    await open();
    expect((view.getByLabel('Role') as HTMLSelectElement).value).toBe('employee');
    expect(view.getByLabel('Name').hasAttribute('required')).toBe(true);
    type(view.getByLabel('Email'), 'ivy@example.com');
    type(view.getByLabel('Name'), 'Ivy');
    choose(view.getByLabel('Group'), 'g2');
    click(view.getByRole('button', 'Create invitation'));
    await settle();
    expect(posted('/users/invite')[0]?.body).toEqual({
      email: 'ivy@example.com',
      role: 'employee',
      name: 'Ivy',
      groupId: 'g2',
    });
    expect(
      (view.getByLabel(/Invitation link for ivy@example\.com/) as HTMLInputElement).value,
    ).toBe('http://localhost/setup#one');
  });

  it('sends no group for an auditor, and the name only when given', async () => {
    await open();
    choose(view.getByLabel('Role'), 'auditor');
    expect(view.container.querySelector('#invite-group')).toBeNull();
    expect(view.getByLabel('Name (optional)').hasAttribute('required')).toBe(false);
    type(view.getByLabel('Email'), 'aud@example.com');
    click(view.getByRole('button', 'Create invitation'));
    await settle();
    expect(posted('/users/invite')[0]?.body).toEqual({ email: 'aud@example.com', role: 'auditor' });
  });
});

describe('approval queue', () => {
  const queue = () =>
    view.container.querySelector('table[aria-label="Accounts awaiting approval"]');

  it('lists only unverified accounts, and marks them in the people table', async () => {
    await open();
    const rows = [...queue()!.querySelectorAll('tbody tr')];
    expect(rows.map((r) => [...r.children].slice(0, 3).map((c) => c.textContent))).toEqual([
      ['Pat Pending', 'pat@example.com', 'Sales'],
    ]);
    const everyone = view.getByRole('heading', 'Everyone').closest('section')!;
    const badges = [...everyone.querySelectorAll('.badge')].map((b) => [
      b.closest('tr')!.querySelector('th')!.textContent,
      b.textContent,
    ]);
    expect(badges).toEqual([['Pat Pending', 'unverified']]);
  });

  it('approves: the account leaves the queue and loses its badge', async () => {
    await open();
    click(view.getByRole('button', 'Approve Pat Pending'));
    await settle();
    expect(posted('/users/u-pat/approve')).toHaveLength(1);
    expect(queue()).toBeNull();
    expect(view.text()).toContain('Nobody is waiting for approval.');
    expect(view.getByRole('status', /^Approved Pat Pending/)).toBeTruthy();
    expect(view.container.querySelector('.badge')?.textContent ?? '').not.toBe('unverified');
  });

  it('rejects only after saying it removes the account and revokes its devices', async () => {
    await open();
    click(view.getByRole('button', 'Reject'));
    expect(posted('/users/u-pat/reject')).toHaveLength(0);
    expect(view.getByRole('group', 'Reject').textContent).toMatch(
      /removes the account and revokes its devices/,
    );
    click(view.getByRole('button', 'Yes, reject Pat Pending'));
    await settle();
    expect(posted('/users/u-pat/reject')).toHaveLength(1);
    expect(queue()).toBeNull();
    expect(view.text()).not.toContain('pat@example.com');
  });
});

describe('invitesText', () => {
  it.each([
    {
      as: 'csv' as const,
      invites: [{ name: null, email: 'a@example.com', link: 'L' }],
      expect: 'name,email,link\r\n,a@example.com,L\r\n',
    },
    {
      as: 'csv' as const,
      invites: [{ name: 'Say "hi"', email: 'a@example.com', link: 'L' }],
      expect: 'name,email,link\r\n"Say ""hi""",a@example.com,L\r\n',
    },
    {
      as: 'lines' as const,
      invites: [{ name: null, email: 'a@example.com', link: 'L' }],
      expect: 'a@example.com L',
    },
  ])('$as of $invites.0.name', ({ as, invites, expect: want }) => {
    expect(invitesText(invites, as)).toBe(want);
  });
});
