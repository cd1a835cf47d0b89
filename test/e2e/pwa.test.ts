/**
 * The PWA in Debian's Chromium against the real server: first-admin setup, a group, an
 * enrollment code and a published policy; an employee enrolling with a passkey, signing
 * out and back in, reading the transparency page; an invited auditor searching,
 * charting, exporting and verifying the trail; the app opening offline.
 * WebAuthn runs through a CDP virtual authenticator (docs/development.md, "WebAuthn").
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { addVirtualAuthenticator } from '../pwa/e2e/virtual-authenticator.ts';
import { launchChromiumForPeople } from './support/launch-chromium.ts';
import { SCREENSHOT_DIR } from './support/screenshot-dir.ts';

const DOCS = SCREENSHOT_DIR;
const WIDE = { width: 1280, height: 860 };

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let employee: Page;
let employeeContext: BrowserContext;
let enrollLink = '';
let enrollCode = '';

async function newPage(viewport = WIDE): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  // A step that fails should fail in seconds, not at the test timeout.
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = await context.newPage();
  await addVirtualAuthenticator(context, page);
  return { context, page };
}

async function shot(page: Page, name: string): Promise<void> {
  // Wait for web fonts/layout to settle so screenshots are stable.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: join(DOCS, `pwa-${name}.png`), fullPage: true });
}

beforeAll(async () => {
  // The server serves dist/pwa, which the e2e global setup has just built.
  server = await startServer();
  browser = await launchChromiumForPeople();
  mkdirSync(DOCS, { recursive: true });
});

// On a failure, what each browser showed goes to the temp dir, for the person debugging it.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  let n = 0;
  for (const c of contexts) {
    for (const p of c.pages()) {
      const path = join(
        tmpdir(),
        `palisade-pwa-failure-${ctx.task.name.replace(/\W+/g, '-')}-${n++}.png`,
      );
      await p.screenshot({ path, fullPage: true }).catch(() => undefined);
      console.error(`screenshot of ${p.url()} → ${path}`);
    }
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('PWA in Chromium', () => {
  it('registers the first admin through the setup link', async () => {
    expect(server.setupLink).toMatch(/\/setup#/);
    ({ page: admin } = await newPage());
    await admin.goto(server.setupLink!);
    await admin.getByRole('heading', { name: 'Set up your Palisade account' }).waitFor();
    await shot(admin, 'setup');
    await admin.getByLabel('Your name').fill('Ada Admin');
    await admin.getByLabel('Work email').fill('ada@example.com');
    await admin.getByRole('button', { name: 'Create passkey' }).click();
    await admin.getByRole('heading', { name: 'Policies' }).waitFor();
    expect(new URL(admin.url()).pathname).toBe('/admin/policies');
  });

  it('creates a group and an enrollment code', async () => {
    await admin
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups & codes' })
      .click();
    await admin.getByLabel('New group name').fill('Sales');
    await admin.getByRole('button', { name: 'Create group' }).click();
    await admin.getByRole('rowheader', { name: 'Sales' }).waitFor();

    await admin.getByLabel('Group', { exact: true }).selectOption({ label: 'Sales' });
    await admin.getByLabel('Maximum uses').fill('5');
    await admin.getByLabel('Email domain (optional)').fill('example.com');
    await admin.getByRole('button', { name: 'Create enrollment code' }).click();
    // The code is stored hashed: the creation result is the one place it and its link appear.
    await admin
      .getByText('Copy the code and the link now: they will not be shown again.')
      .waitFor();
    const link = admin.getByLabel(/Enrollment link/);
    await link.waitFor();
    enrollLink = await link.inputValue();
    expect(enrollLink).toMatch(new RegExp(`^${server.origin}/enroll#.+`));
    const code = await admin.getByRole('textbox', { name: /^Enrollment code/ }).inputValue();
    enrollCode = code;
    expect(decodeURIComponent(enrollLink.split('#')[1]!)).toBe(code);
    await expect.poll(() => admin.getByRole('cell', { name: '0 of 5' }).count()).toBe(1);
    // The list knows the code only by its last characters, and cannot copy its link.
    const row = admin.getByRole('row').filter({ hasText: '0 of 5' });
    await row.getByRole('rowheader', { name: `…${code.slice(-4)}` }).waitFor();
    await row.getByRole('cell', { name: '@example.com' }).waitFor();
    expect(await row.getByRole('button', { name: /Copy link/ }).count()).toBe(0);
    // Each group's devices per person is edited in place.
    const limit = admin.getByLabel('Devices per person in Sales');
    expect(await limit.inputValue()).toBe('5');
    await limit.fill('3');
    await admin.getByRole('button', { name: 'Save the device limit of Sales' }).click();
    await admin.getByRole('row', { name: /Sales/ }).getByText('Saved.').waitFor();
    await shot(admin, 'admin-groups');
  });

  it('writes a policy with live validation, simulates it and publishes it', async () => {
    await admin.getByRole('link', { name: 'Policies' }).first().click();
    await admin.getByRole('link', { name: 'New policy' }).click();
    await admin.getByRole('heading', { name: 'New policy' }).waitFor();
    await admin.getByLabel('Policy name').fill('Sales baseline');
    await admin.getByRole('checkbox', { name: 'Sales' }).check();

    const blocked = admin.getByLabel('Blocked sites');
    await blocked.fill('casino.example\nhtp:/broken');
    // The diagnostic appears under the field, at the line it is about.
    await admin
      .locator('#f-urlBlocklist-diagnostics')
      .getByText(/Line 2/)
      .waitFor();
    await admin.getByRole('heading', { name: '1 error' }).waitFor();
    await blocked.fill('casino.example\nbet.example');
    await admin.getByText('No problems found.').waitFor();
    await admin.getByLabel('Allowed exceptions').fill('promo.casino.example');

    await admin.getByRole('button', { name: 'Add a data-control rule' }).click();
    await admin.getByLabel('Rule name').fill('No copying out of the CRM');
    await admin.getByLabel('Rule id').fill('crm-copy-out');
    await admin
      .getByRole('group', { name: 'From (sources)' })
      .getByLabel('Sites (URL filters)')
      .fill('crm.example');
    await admin.getByRole('button', { name: 'Add an app' }).click();
    await admin.getByLabel('App id').fill('crm');
    await admin.getByLabel('App name').fill('CRM');
    await admin.getByLabel('Its sites (URL filters)').fill('crm.example');
    await admin.getByLabel('List in the app catalog').check();
    await admin.getByLabel('Launch address').fill('https://crm.example/');
    await admin.getByLabel('Category').fill('Sales tools');
    await admin.getByLabel('Catalog description').fill('Customers, deals and pipeline.');
    await admin.getByLabel('Address detail kept in audit events').selectOption('origin');
    await admin.getByLabel('Whom to ask (email, URL or text)').fill('it@example.com');

    await admin.getByLabel('Address to test').fill('https://casino.example/roulette');
    await admin
      .getByRole('status', { name: 'URL verdict' })
      .getByText('Blocked by the filter casino.example')
      .waitFor();
    await admin.getByLabel('Address to test').fill('https://promo.casino.example/');
    await admin
      .getByRole('status', { name: 'URL verdict' })
      .getByText(/Allowed by the exception promo\.casino\.example/)
      .waitFor();
    await admin.getByLabel('From page (A)').fill('https://crm.example/accounts/1');
    await admin.getByLabel('To page (B)').fill('https://mail.personal.example/');
    await admin
      .getByRole('status', { name: 'Data verdict' })
      .getByText(/BLOCK.*No copying out of the CRM/)
      .waitFor();
    await shot(admin, 'policy-editor');

    await admin.getByRole('button', { name: 'Save draft' }).click();
    await admin.waitForURL(/\/admin\/policies\/[^/]+$/);
    await admin.getByRole('button', { name: 'Review changes' }).click();
    await admin.getByRole('heading', { name: 'Changes to publish' }).waitFor();
    await shot(admin, 'publish-diff');
    await admin.getByRole('button', { name: 'Publish now' }).click();
    await admin.getByText(/Published version \d+/).waitFor();
    await admin.getByRole('heading', { name: 'Rollout' }).waitFor();
  });

  it('enrolls an employee with the code and a passkey', async () => {
    ({ page: employee, context: employeeContext } = await newPage());
    await employee.goto(enrollLink);
    await employee.getByRole('heading', { name: 'Enroll this browser' }).waitFor();
    await shot(employee, 'enroll');
    await employee.getByLabel('Your name').fill('Eve Employee');
    await employee.getByLabel('Work email').fill('eve@example.com');
    await employee.getByRole('button', { name: 'Create passkey and enroll' }).click();
    await employee.getByRole('heading', { name: 'You are enrolled' }).waitFor();
    await employee.getByText(/Registered as “\w+ on Linux”/).waitFor();
    // No extension in this browser: the page says so and how to get it.
    await employee
      .getByText('The Palisade extension is not installed in this browser.')
      .waitFor({ timeout: 10_000 });
    await employee.getByRole('link', { name: 'Go to my status' }).click();
    await employee.getByRole('heading', { name: 'My status' }).waitFor();
    await employee
      .getByRole('rowheader', { name: /on Linux/ })
      .first()
      .waitFor();
    await employee.getByText(/policy version/).waitFor();
    await employee.getByText('The Palisade extension is not installed in this browser.').waitFor();
    await shot(employee, 'employee-home');
  });

  it('invites employees from a CSV list and approves the account a shared code made', async () => {
    // Eve joined with the shared code: her own header says an admin has yet to approve her.
    await employee.getByRole('banner').getByText('awaiting approval').waitFor();
    await employee.getByText('Your account is awaiting approval.').waitFor();

    await admin.getByRole('link', { name: 'Users' }).click();
    const queue = admin.getByRole('table', { name: 'Accounts awaiting approval' });
    await queue.getByRole('rowheader', { name: 'Eve Employee' }).waitFor();
    await queue.getByRole('cell', { name: 'Sales' }).waitFor();
    const everyone = admin.getByRole('region', { name: 'Everyone' });
    await everyone
      .getByRole('row', { name: /Eve Employee/ })
      .getByText('unverified')
      .waitFor();

    // A list with mistakes invites nobody and says each one with its line.
    const csv = admin.getByLabel('People to invite, as CSV');
    await csv.fill(
      'name,email,group\nAl Able,al@example.com,Sales\nBo Broken,not-an-email,Sales\nCy,cy@example.com,Nope',
    );
    await admin.getByRole('button', { name: 'Create invitations' }).click();
    const problems = admin.getByRole('list', { name: 'Problems in the list' });
    await problems.getByText('"not-an-email" is not an email address').waitFor();
    expect(await problems.getByRole('listitem').allTextContents()).toEqual([
      'Line 3: "not-an-email" is not an email address',
      'Line 4: there is no group named "Nope"',
    ]);
    // The same list picked as a file, fixed: a link for each person.
    await admin.getByLabel('Or pick a .csv file').setInputFiles({
      name: 'new-staff.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'name,email,group\r\nAl Able,al@example.com,Sales\r\n"Broken, Bo",bo@example.com,sales\r\n',
      ),
    });
    await admin.getByText('Read new-staff.csv').waitFor();
    expect(await csv.inputValue()).toContain('"Broken, Bo",bo@example.com');
    await admin.getByRole('button', { name: 'Create invitations' }).click();
    const links = admin.getByRole('table', { name: 'Invitation links' });
    await links.getByRole('rowheader', { name: 'Broken, Bo' }).waitFor();
    expect(await links.locator('tbody tr').count()).toBe(2);
    const boLink = await links
      .getByRole('row', { name: /bo@example\.com/ })
      .locator('code')
      .textContent();
    expect(boLink).toMatch(new RegExp(`^${server.origin}/setup#.+`));
    await admin.getByRole('button', { name: 'Copy all as CSV invitation links' }).waitFor();
    await shot(admin, 'admin-users');

    await queue.getByRole('button', { name: 'Approve Eve Employee' }).click();
    await admin.getByText(/^Approved Eve Employee/).waitFor();
    await admin.getByText('Nobody is waiting for approval.').waitFor();
    expect(
      await everyone
        .getByRole('row', { name: /Eve Employee/ })
        .getByText('unverified')
        .count(),
    ).toBe(0);
    // Bo's invitation proves his email: his account is verified from the start.
    const { page: bo } = await newPage();
    await bo.goto(boLink!);
    await bo.getByLabel('Your name').fill('Bo Broken');
    await bo.getByLabel('Work email').fill('bo@example.com');
    await bo.getByRole('button', { name: 'Create passkey' }).click();
    await bo.getByRole('heading', { name: 'My status' }).waitFor();
    expect(await bo.getByText('awaiting approval').count()).toBe(0);
    await bo.context().close();
  });

  it('shows the published rules on the transparency page', async () => {
    await employee.getByRole('link', { name: 'What is recorded' }).click();
    await employee.getByRole('heading', { name: 'What is enforced and recorded' }).waitFor();
    const blocked = employee.getByRole('list', { name: 'Blocked sites' });
    await blocked.getByText('casino.example', { exact: true }).waitFor();
    await expect
      .poll(() => blocked.textContent())
      .toContain('casino.example and all its subdomains');
    await employee
      .getByRole('list', { name: 'Allowed exceptions' })
      .getByText('promo.casino.example')
      .waitFor();
    await employee.getByRole('article', { name: 'No copying out of the CRM' }).waitFor();
    await expect.poll(() => employee.getByTestId('url-detail').textContent()).toBe('the site only');
    await employee.getByRole('heading', { name: 'What is never collected' }).waitFor();
    await employee.getByText('it@example.com').waitFor();
    await shot(employee, 'transparency');
  });

  it('lists the catalog apps and the passkeys', async () => {
    await employee.getByRole('link', { name: 'Apps', exact: true }).click();
    await employee.getByRole('heading', { name: 'Sales tools' }).waitFor();
    const open = employee.getByRole('link', { name: 'Open CRM' });
    expect(await open.getAttribute('href')).toBe('https://crm.example/');
    expect(await open.getAttribute('target')).toBe('_blank');
    await shot(employee, 'apps');

    await employee.getByRole('link', { name: 'Passkeys' }).click();
    await expect
      .poll(() =>
        employee.getByRole('list', { name: 'Your passkeys' }).getByRole('listitem').count(),
      )
      .toBe(1);
    // The only passkey cannot be removed.
    expect(await employee.getByRole('button', { name: /^Remove passkey/ }).isDisabled()).toBe(true);
    await employee.getByText('Your only passkey cannot be removed: add another first.').waitFor();
  });

  it('signs out and back in with the passkey', async () => {
    await employee.getByRole('button', { name: 'Sign out' }).click();
    await employee.getByRole('heading', { name: 'Sign in to Palisade' }).waitFor();
    await shot(employee, 'login');
    // Conditional UI may sign in on its own; otherwise the button does.
    const button = employee.getByRole('button', { name: 'Sign in with a passkey' });
    await button.click({ timeout: 2000 }).catch(() => undefined);
    await employee.getByRole('heading', { name: 'My status' }).waitFor();
    expect(new URL(employee.url()).pathname).toBe('/');
  });

  it('opens offline after one visit, from the service worker and IndexedDB', async () => {
    await employee.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    // Visit the transparency page online once so its data is cached too.
    await employee.getByRole('link', { name: 'What is recorded' }).click();
    await employee.getByRole('list', { name: 'Blocked sites' }).waitFor();
    await employeeContext.setOffline(true);
    try {
      const page = await employee.reload();
      // The app shell came from the Workbox precache, not the network.
      expect(page?.fromServiceWorker()).toBe(true);
      await employee.getByRole('heading', { name: 'What is enforced and recorded' }).waitFor();
      await employee
        .getByRole('status')
        .getByText(/^Offline/)
        .waitFor();
      await employee
        .getByRole('list', { name: 'Blocked sites' })
        .getByText('casino.example', { exact: true })
        .waitFor();
      await employee.getByRole('link', { name: 'My status' }).click();
      await employee
        .getByRole('rowheader', { name: /on Linux/ })
        .first()
        .waitFor();
      await shot(employee, 'offline');
    } finally {
      await employeeContext.setOffline(false);
    }
  });

  it('lets an invited auditor search, chart, export and verify the trail', async () => {
    // Blocked navigations reported by a device of the employee, as the extension would.
    const { credential } = await employee.evaluate(async () => {
      const res = await fetch('/api/v1/me/devices', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Probe device', platform: 'Linux', browser: 'Chromium' }),
      });
      return (await res.json()) as { credential: string };
    });
    const now = Date.now();
    const events = Array.from({ length: 6 }, (_, i) => ({
      id: `e2e-event-${i}-${now}`,
      time: new Date(now - (6 - i) * 60_000).toISOString(),
      kind: 'navigation',
      level: 'BLOCK',
      outcome: 'blocked',
      url: i % 2 ? 'https://casino.example' : 'https://roulette.bet.example',
      ruleId: i % 2 ? 'casino.example' : 'bet.example',
      action: 'navigate',
      policyVersion: 1,
    }));
    const res = await fetch(`${server.url}/api/v1/device/audit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);

    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByLabel('Role', { exact: true }).selectOption('auditor');
    await admin.getByLabel('Email', { exact: true }).fill('aud@example.com');
    await admin.getByRole('button', { name: 'Create invitation', exact: true }).click();
    const inviteLink = await admin
      .getByRole('textbox', { name: /^Invitation link for aud@/ })
      .inputValue();

    const { page: auditor } = await newPage();
    await auditor.goto(inviteLink);
    await auditor
      .getByRole('heading', { name: /Set up your Palisade account|Accept your invitation/ })
      .waitFor();
    await auditor.getByLabel('Your name').fill('Audrey Auditor');
    await auditor.getByLabel('Work email').fill('aud@example.com');
    await auditor.getByRole('button', { name: 'Create passkey' }).click();
    await auditor.getByRole('heading', { name: 'Audit', exact: true }).waitFor();

    await auditor.getByLabel('Kind').selectOption('navigation');
    await auditor.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => auditor.locator('table.audit-table tbody tr').count()).toBe(6);
    expect(new URL(auditor.url()).search).toBe('?kind=navigation');
    await auditor.getByRole('img', { name: /^Top rules: .*casino\.example 3/ }).waitFor();
    await auditor.locator('table.audit-table tbody tr').first().getByRole('button').click();
    await auditor.getByRole('heading', { name: /^Event #\d+$/ }).waitFor();
    await auditor.getByRole('button', { name: 'Verify the audit chain' }).click();
    await auditor.getByText(/Intact\./).waitFor();
    await shot(auditor, 'audit');

    const [download] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines.length).toBe(1 + 6);
    expect(csv).toContain('casino.example');
  });

  it('finds, revokes and wipes devices, each after a confirmation', async () => {
    await admin.getByRole('link', { name: 'Devices' }).click();
    await admin.getByRole('heading', { name: 'Devices' }).waitFor();
    await admin.getByLabel('Search').fill('Probe');
    await expect.poll(() => admin.locator('main table tbody tr').count()).toBe(1);
    await admin.getByRole('button', { name: 'Probe device' }).click();
    await admin.getByRole('heading', { name: 'Probe device', level: 2 }).waitFor();
    await admin.getByRole('button', { name: 'Wipe' }).click();
    await admin.getByText(/deletes its cached policy and queued audit events/).waitFor();
    await admin.getByRole('button', { name: 'Cancel' }).click();
    await admin.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByRole('button', { name: 'Yes, revoke' }).click();
    await admin.getByText('Revoked: its credential no longer works.').waitFor();
    await admin.locator('.facts').getByText('Revoked', { exact: true }).waitFor();

    await admin.getByLabel('Search').fill('');
    await admin.getByLabel('Status').selectOption('active');
    await expect.poll(() => admin.locator('main table tbody tr').count()).toBe(1);
    await admin.locator('main table tbody tr').first().getByRole('button').click();
    await admin.getByRole('button', { name: 'Wipe' }).click();
    await shot(admin, 'admin-devices');
    await admin.getByRole('button', { name: 'Yes, wipe this device' }).click();
    await admin.getByText(/Wipe sent/).waitFor();
  });

  it('shows the email a managed browser claims as a claim, not as its person', async () => {
    // A force-installed extension enrolls with the code and the userEmail its policy names.
    const res = await fetch(`${server.url}/api/v1/device/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        enrollmentCode: enrollCode,
        userEmail: 'ceo@example.com',
        name: 'Front desk',
        extensionVersion: '1.0.0',
        platform: 'ChromeOS',
        browser: 'Chrome',
      }),
    });
    expect(res.status).toBe(200);
    await admin.getByRole('link', { name: 'Devices' }).click();
    await admin.getByLabel('Status').selectOption('');
    await admin.getByLabel('Search').fill('Front desk');
    const row = admin.locator('main table tbody tr').filter({ hasText: 'Front desk' });
    await row.getByText('claimed: ceo@example.com').waitFor();
    await row.getByRole('cell', { name: 'Managed', exact: true }).waitFor();
    expect(await row.locator('.claimed').getAttribute('title')).toMatch(/not proof/);
    await row.getByRole('button', { name: 'Front desk' }).click();
    const facts = admin.locator('.facts');
    await facts.getByText('nobody yet').waitFor();
    await facts.getByText('ceo@example.com').waitFor();
  });

  it('fits a phone screen', async () => {
    const { page } = await newPage({ width: 390, height: 844 });
    await page.goto(`${server.url}/login`);
    await page.getByRole('heading', { name: 'Sign in to Palisade' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await employee.setViewportSize({ width: 390, height: 844 });
    await employee.getByRole('link', { name: 'What is recorded' }).click();
    await employee.getByRole('list', { name: 'Blocked sites' }).waitFor();
    expect(
      await employee.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await shot(employee, 'phone-transparency');
  });
});
