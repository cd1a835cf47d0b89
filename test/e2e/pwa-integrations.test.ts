/**
 * The console's Integrations page in Debian's Chromium against the real server: an admin
 * adds a signed webhook destination and copies its secret (shown once), sees delivery
 * fail with the receiver's answer and recover by itself, and adds an alert rule.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { addVirtualAuthenticator } from '../pwa/e2e/virtual-authenticator.ts';
import { CHROMIUM_ARGS } from './support/launch-chromium.ts';
import { SCREENSHOT_DIR } from './support/screenshot-dir.ts';

let server: TestServer;
let browser: Browser;
let hooks: WebhookReceiver;
let admin: Page;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  server = await startServer({ env: { SIEM_POLL_MS: '200' } });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  admin = await context.newPage();
  await addVirtualAuthenticator(context, admin);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  await hooks?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('Integrations page', () => {
  it('adds a webhook, shows failing delivery and its recovery, and adds an alert rule', async () => {
    await admin.goto(server.setupLink!);
    await admin.getByLabel('Your name').fill('Ada Admin');
    await admin.getByLabel('Work email').fill('ada@example.com');
    await admin.getByRole('button', { name: 'Create passkey' }).click();
    await admin.getByRole('heading', { name: 'Policies' }).waitFor();

    await admin
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Integrations' })
      .click();
    await admin.getByRole('heading', { name: 'Integrations and alerts' }).waitFor();
    await admin.getByText('Webhook signing secrets are stored unencrypted').waitFor();

    hooks.failNext(Infinity); // the receiver is down until the page has shown the failure
    await admin.getByLabel('Kind').selectOption('webhook');
    await admin.getByLabel('Name', { exact: true }).fill('Security SIEM');
    await admin.getByLabel('URL').fill(hooks.url);
    await admin.getByRole('button', { name: 'Add destination' }).click();
    await admin.getByText('Copy the signing secret now: it will not be shown again.').waitFor();
    const secret = await admin.locator('#int-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    hooks.secret = secret;

    const row = admin.getByRole('row').filter({ hasText: 'Security SIEM' });
    await row.getByText('the webhook answered HTTP 503').waitFor();
    await row.getByText(/^Failing \(\d+ attempts\)$/).waitFor();
    // Back up once the failure is on screen: a fixed count of failures, with the ones the
    // receiver answers before it has the secret, could push the backoff past the wait.
    // Retried with backoff (doubling from about 1 s): up to date within a few refreshes.
    hooks.failNext(0);
    await row.getByText('Up to date').waitFor({ timeout: 30_000 });
    expect(hooks.accepted.length).toBeGreaterThan(0);
    expect(hooks.refused).toEqual([]);

    await admin.getByLabel('Alert when').selectOption('rule_blocks');
    await admin.getByLabel('Blocks (N)').fill('5');
    await admin.getByLabel('Within minutes (M)').fill('15');
    await admin.getByRole('button', { name: 'Add alert rule' }).click();
    await admin.getByText('5 blocks within 15 min').waitFor();
    await admin.waitForLoadState('networkidle').catch(() => undefined);
    await admin.screenshot({
      path: join(SCREENSHOT_DIR, 'pwa-admin-integrations.png'),
      fullPage: true,
    });
  }, 90_000);
});
