import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../core/policy/types.ts';
import type { TestServer } from '../helpers/start-server.ts';
import { startExtensionSetup, type ExtensionSetup } from './fixtures/extension-setup.ts';
import { forceInstallPolicy } from './fixtures/force-install.ts';
import {
  extensionIdOf,
  launchWithExtension,
  type ExtensionBrowser,
} from './fixtures/launch-extension.ts';
import { writeManagedExtensionConfig } from './fixtures/managed-policy.ts';
import type { PalisadeAdmin } from './fixtures/palisade-admin.ts';
import type { TestSites } from './fixtures/test-sites.ts';
import { SCREENSHOT_DIR } from './support/screenshot-dir.ts';
import {
  askExtension,
  dnrOutcome,
  notice,
  openPage,
  queuedEvents,
} from './support/extension-page.ts';

/** The slice of the extension API the tests evaluate in the service worker. */
declare const chrome: {
  management: { getSelf(): Promise<{ installType: string }> };
};

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = SCREENSHOT_DIR;

/** The policy under test: one of each kind of rule the extension enforces. */
const POLICY: PolicyDocument = {
  name: 'Staff baseline',
  urlBlocklist: ['blocked.test'],
  urlAllowlist: ['blocked.test/allowed'],
  auditUrlDetail: 'full',
  messages: {
    blockedPage: 'This site is not allowed on work browsers.',
    contact: 'it-help@corp.test',
  },
  dataControls: [
    {
      name: 'Corp content stays in corp',
      rule_id: 'corp-copy',
      sources: { urls: ['corp.test'] },
      destinations: { not: { urls: ['corp.test'] } },
      restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
    },
    {
      name: 'No printing corp pages',
      rule_id: 'corp-print',
      sources: { urls: ['corp.test'] },
      restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
    },
    {
      name: 'No corp downloads',
      rule_id: 'corp-download',
      sources: { urls: ['corp.test'] },
      restrictions: [{ class: 'FILE_DOWNLOAD', level: 'BLOCK' }],
    },
    {
      name: 'Docs not into personal mail',
      rule_id: 'docs-paste',
      sources: { urls: ['docs.test'] },
      destinations: { urls: ['personal.test'] },
      restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
    },
    {
      name: 'Think before copying wiki pages',
      rule_id: 'wiki-copy',
      sources: { urls: ['wiki.test'] },
      destinations: { os_clipboard: true },
      restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
    },
    {
      name: 'Confirm downloads from the file share',
      rule_id: 'files-download',
      sources: { urls: ['files.test'] },
      restrictions: [{ class: 'FILE_DOWNLOAD', level: 'WARN' }],
    },
    {
      name: 'No card numbers into personal mail',
      rule_id: 'cards-paste',
      destinations: { urls: ['personal.test'] },
      content: { detectors: ['payment_card'] },
      restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
    },
    {
      name: 'No uploads to personal mail',
      rule_id: 'personal-upload',
      destinations: { urls: ['personal.test'] },
      restrictions: [{ class: 'FILE_UPLOAD', level: 'BLOCK' }],
    },
  ],
};

let server: TestServer;
let sites: TestSites;
let admin: PalisadeAdmin;
let extensionDir: string;
let version: number;
const extensionId = extensionIdOf(join(ROOT, 'manifest.json'));

// Shared by every test and restored by any test that changes it: the build, the sites, the
// server with its admin and POLICY. Browsers and devices are each test's own.
let setup: ExtensionSetup | undefined;
beforeAll(async () => {
  setup = await startExtensionSetup({ policy: POLICY });
  ({ extensionDir, sites, server, admin, version } = setup);
});

afterAll(() => setup?.close());

const open = (browser: ExtensionBrowser, url: string) => openPage(browser.context, url);

/** Selects an element's text and presses Ctrl+C, as a person would. */
async function copyText(page: Page, selector: string): Promise<void> {
  await page.locator(selector).selectText();
  await page.keyboard.press('Control+c');
}

async function pasteInto(page: Page, selector: string): Promise<string> {
  await page.locator(selector).fill('');
  await page.locator(selector).focus();
  await page.keyboard.press('Control+v');
  return page.locator(selector).inputValue();
}

/** True when the extension posts nothing of `type` within `ms` (a refused ping, say). */
function staysSilent(page: Page, message: Record<string, unknown>, type: string, ms = 1500) {
  return page.evaluate(
    ([msg, want, wait]) =>
      new Promise<boolean>((done) => {
        addEventListener('message', (e: MessageEvent) => {
          const d = e.data as Record<string, unknown>;
          if (d?.source === 'palisade-extension' && d.type === want) done(false);
        });
        postMessage({ source: 'palisade-pwa', ...msg }, location.origin);
        setTimeout(() => done(true), wait);
      }),
    [message, type, ms] as const,
  );
}

describe('BYOD: pairing from the PWA page', () => {
  let browser: ExtensionBrowser | undefined;
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  it('pairs after the user confirms on the extension page, then enforces the policy', async () => {
    browser = await launchWithExtension(extensionDir, sites.port);
    const { token, deviceId } = await admin.employeePairingToken('emma@corp.test');
    const pwa = await open(browser, `${server.url}/healthz`);

    expect(await askExtension(pwa, { type: 'ping' }, 'hello')).toMatchObject({
      version: '0.1.0',
      enrolled: false,
    });

    // Another site cannot pair the browser with a server it does not serve.
    const evil = await open(browser, sites.url('personal.test'));
    expect(
      await askExtension(evil, { type: 'pair', token, serverUrl: server.url }, 'pair-result'),
    ).toMatchObject({
      ok: false,
      code: 'origin_mismatch',
    });

    const confirmPage = browser.context.waitForEvent('page');
    const result = askExtension(pwa, { type: 'pair', token, serverUrl: server.url }, 'pair-result');
    const confirm = await confirmPage;
    await expect.poll(() => confirm.locator('#server').textContent()).toBe(server.url);
    await confirm.getByRole('button', { name: 'Pair', exact: true }).click();
    expect(await result).toMatchObject({ ok: true, user: { email: 'emma@corp.test' } });

    await expect
      .poll(async () => (await admin.devices()).find((d) => d.id === deviceId)?.appliedVersion, {
        timeout: 30_000,
      })
      .toBe(version);
    const blocked = await open(browser, sites.url('blocked.test'));
    await expect
      .poll(() => blocked.url())
      .toContain(`chrome-extension://${extensionId}/pages/blocked.html`);

    // Enrolled now: only its own server's pages learn that Palisade is here.
    expect(await askExtension(pwa, { type: 'ping' }, 'hello')).toMatchObject({ enrolled: true });
    const tracker = await open(browser, sites.url('personal.test'));
    expect(await staysSilent(tracker, { type: 'ping' }, 'hello')).toBe(true);
  });
});

/** A fresh Chromium enrolled from managed storage under its own device name. */
interface ManagedChromebook {
  browser: ExtensionBrowser;
  deviceName: string;
  deviceId: string;
  close(): Promise<void>;
}

/**
 * Writes the managed config an admin console pushes, launches a fresh profile and waits
 * until the server holds the device with the policy applied. Each test gets its own, so a
 * failure leaves nothing behind for the next one.
 */
async function enrollManagedChromebook(deviceName: string): Promise<ManagedChromebook> {
  const removeManaged = writeManagedExtensionConfig(extensionId, {
    serverUrl: server.url,
    enrollmentCode: admin.enrollmentCode,
    deviceName,
  });
  let browser: ExtensionBrowser | undefined;
  try {
    browser = await launchWithExtension(extensionDir, sites.port);
    const enrolled = async () => (await admin.devices()).find((d) => d.name === deviceName);
    await expect
      .poll(async () => (await enrolled())?.appliedVersion, { timeout: 60_000 })
      .toBe(version);
    const deviceId = (await enrolled())!.id;
    const opened = browser;
    return {
      browser,
      deviceName,
      deviceId,
      async close() {
        await opened.close();
        removeManaged();
      },
    };
  } catch (err) {
    await browser?.close();
    removeManaged();
    throw err;
  }
}

/*
 * What a person does against each rule, with what they see. Each test runs one; the audit
 * test runs them all on its own browser and checks what the server received.
 */

async function navigateToBlockedSite(browser: ExtensionBrowser): Promise<void> {
  // The browser itself blocks it, through the DNR rules (not a fallback in the worker).
  const worker = await browser.worker();
  const outcome = (url: string) => dnrOutcome(worker, url);
  expect(await outcome('http://blocked.test/some/page')).toEqual(['redirect']);
  expect(await outcome('http://www.blocked.test/allowed/x')).toEqual(['allow']);
  expect(await outcome('http://news.test/')).toEqual([]);

  const page = await open(browser, sites.url('blocked.test', '/some/page'));
  await expect.poll(() => page.url()).toBe(`chrome-extension://${extensionId}/pages/blocked.html`);
  await expect.poll(() => page.locator('#filter').textContent()).toBe('blocked.test');
  expect(await page.locator('#url').textContent()).toBe('http://blocked.test/some/page');
  expect(await page.locator('#message').textContent()).toBe(
    'This site is not allowed on work browsers.',
  );
  expect(await page.locator('#contact a').getAttribute('href')).toBe('mailto:it-help@corp.test');
  mkdirSync(DOCS, { recursive: true });
  await page.setViewportSize({ width: 900, height: 640 });
  await page.screenshot({ path: join(DOCS, 'blocked-page.png') });
  await page.close();
}

async function loadAllowlistedPath(browser: ExtensionBrowser): Promise<void> {
  const page = await open(browser, sites.url('blocked.test', '/allowed/'));
  expect(await page.locator('#ok').textContent()).toBe('This path is allowlisted.');
  await page.close();
}

async function copyOnCorp(browser: ExtensionBrowser): Promise<void> {
  const corp = await open(browser, sites.url('corp.test'));
  await copyText(corp, '#secret');
  await notice(corp).waitFor();
  expect(await notice(corp).textContent()).toContain('Rule: Corp content stays in corp');
  await corp.setViewportSize({ width: 900, height: 420 });
  await corp.screenshot({ path: join(DOCS, 'blocked-copy.png') });

  // The async Clipboard API fires no copy event; it is refused all the same.
  await corp.locator('[data-palisade="notice"] button').click();
  await corp.locator('#copy-api').click();
  await expect.poll(() => corp.title()).toBe('refused: NotAllowedError');
  await notice(corp).waitFor();

  const news = await open(browser, sites.url('news.test'));
  await copyText(news, 'p');
  const personal = await open(browser, sites.url('personal.test'));
  expect(await pasteInto(personal, '#box')).toBe('Nothing to see.');
  // …and the corp text never reached the clipboard.
  for (const p of [corp, news, personal]) await p.close();
}

async function pasteFromDocs(browser: ExtensionBrowser): Promise<void> {
  const docs = await open(browser, sites.url('docs.test'));
  await copyText(docs, '#shared');
  const personal = await open(browser, sites.url('personal.test'));
  expect(await pasteInto(personal, '#box')).toBe('');
  await notice(personal).waitFor();
  expect(await notice(personal).textContent()).toContain('Docs not into personal mail');
  // The same text may go where the rule does not forbid it.
  const corp = await open(browser, sites.url('corp.test'));
  expect(await pasteInto(corp, '#box')).toBe('Roadmap draft: launch in May.');
  for (const p of [docs, personal, corp]) await p.close();
}

async function pasteCardNumber(browser: ExtensionBrowser): Promise<void> {
  const personal = await open(browser, sites.url('personal.test'));
  await personal.locator('#box').fill('Card: 4111 1111 1111 1111, thanks');
  await copyText(personal, '#box');
  expect(await pasteInto(personal, '#box')).toBe('');
  await notice(personal).waitFor();
  expect(await notice(personal).textContent()).toContain('No card numbers into personal mail');
  // Text without a card number pastes as usual.
  await personal.locator('#box').fill('See you on Monday');
  await copyText(personal, '#box');
  expect(await pasteInto(personal, '#box')).toBe('See you on Monday');
  await personal.close();
}

async function copyAfterWarning(browser: ExtensionBrowser): Promise<void> {
  const wiki = await open(browser, sites.url('wiki.test'));
  await copyText(wiki, '#wiki');
  const dialog = wiki.getByRole('dialog', { name: 'Copy anyway?' });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('Think before copying wiki pages');
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await dialog.waitFor({ state: 'detached' });
  const personal = await open(browser, sites.url('personal.test'));
  expect(await pasteInto(personal, '#box')).toBe('How to file expenses.');
  for (const p of [wiki, personal]) await p.close();
}

async function printDownloadAndUpload(browser: ExtensionBrowser): Promise<void> {
  const corp = await open(browser, sites.url('corp.test'));
  await corp.locator('#print').click();
  await expect.poll(() => notice(corp).textContent()).toContain('Printing is blocked here');
  await corp.locator('[data-palisade="notice"] button').click();
  // The browser's own print path (menu, page.pdf) gets a blanked page and a notice.
  await corp.pdf();
  await expect.poll(() => notice(corp).textContent()).toContain('No printing corp pages');

  const download = corp.waitForEvent('download');
  await corp.locator('#download').click();
  expect(await (await download).failure()).toBeTruthy();
  await expect.poll(() => notice(corp).textContent()).toContain('Download blocked');

  const personal = await open(browser, sites.url('personal.test'));
  await personal.locator('#file').click();
  await expect.poll(() => notice(personal).textContent()).toContain('No uploads to personal mail');
  for (const p of [corp, personal]) await p.close();
}

async function downloadAfterWarning(browser: ExtensionBrowser): Promise<void> {
  const files = await open(browser, sites.url('files.test'));
  const download = files.waitForEvent('download');
  await files.locator('#download').click();
  const dialog = files.getByRole('dialog', { name: 'Download this file?' });
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('Confirm downloads from the file share');
  await dialog.getByRole('button', { name: 'Continue' }).click();
  expect(await (await download).failure()).toBeNull();
  await files.close();
}

describe('managed Chromebook: enrollment from managed storage, enforcement, audit', () => {
  let chromebook: ManagedChromebook | undefined;
  let enrolledSoFar = 0;

  beforeEach(async () => {
    chromebook = await enrollManagedChromebook(`e2e-chromebook-${++enrolledSoFar}`);
  });

  afterEach(async () => {
    await chromebook?.close();
    chromebook = undefined;
  });

  it('enrolls itself from the managed config and applies the signed policy', async () => {
    const { browser, deviceName } = chromebook!;
    const enrolled = async () => (await admin.devices()).find((d) => d.name === deviceName);
    await expect
      .poll(async () => (await enrolled())?.appliedVersion, { timeout: 60_000 })
      .toBe(version);
    expect((await enrolled())!.managed).toBe(true);
    const popup = await open(browser, `chrome-extension://${extensionId}/pages/popup.html`);
    await expect.poll(() => popup.textContent('body')).toContain(`Staff baseline · v${version}`);
    await popup.close();
  });

  it('lands a blocked navigation on the blocked page, naming the filter', () =>
    navigateToBlockedSite(chromebook!.browser));

  it('loads an allowlisted path inside the blocked host', () =>
    loadAllowlistedPath(chromebook!.browser));

  it('blocks copying on corp with a notice naming the rule, while copying elsewhere works', () =>
    copyOnCorp(chromebook!.browser));

  it('blocks pasting text copied on a restricted source into another site', () =>
    pasteFromDocs(chromebook!.browser));

  it('blocks pasting a card number into personal mail, checked in the page', () =>
    pasteCardNumber(chromebook!.browser));

  it('WARN asks in an accessible dialog and proceeds after confirmation', () =>
    copyAfterWarning(chromebook!.browser));

  it('blocks printing and downloading on corp, and uploads to personal mail', () =>
    printDownloadAndUpload(chromebook!.browser));

  it('asks before a WARN download and lets it finish when the user proceeds', () =>
    downloadAfterWarning(chromebook!.browser));

  it('delivers every audit event to the server exactly once, and nothing about unruled browsing', async () => {
    const { browser, deviceId } = chromebook!;
    for (const act of [
      navigateToBlockedSite,
      loadAllowlistedPath,
      copyOnCorp,
      pasteFromDocs,
      pasteCardNumber,
      copyAfterWarning,
      printDownloadAndUpload,
      downloadAfterWarning,
    ])
      await act(browser);
    // Once the extension's queue is empty, everything it recorded has been acknowledged.
    const popup = await open(browser, `chrome-extension://${extensionId}/pages/popup.html`);
    await expect.poll(() => queuedEvents(popup), { timeout: 30_000 }).toBe('0');
    await popup.close();
    const events = await admin.auditEvents(deviceId);
    const summary = events.map((e) => `${e.kind}:${e.action}:${e.ruleId}:${e.outcome}`).sort();
    expect(summary).toEqual(
      [
        'clipboard:copy:corp-copy:blocked',
        'clipboard:copy:corp-copy:blocked',
        'clipboard:copy:wiki-copy:proceeded',
        'clipboard:paste:docs-paste:blocked',
        'clipboard:paste:cards-paste:blocked',
        'download:download:corp-download:blocked',
        'download:download:files-download:proceeded',
        'navigation:navigate:blocked.test:blocked',
        'print:print:corp-print:blocked',
        'print:print:corp-print:blocked',
        'upload:upload:personal-upload:blocked',
      ].sort(),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const text = JSON.stringify(events);
    for (const unruled of ['news.test', '/allowed/', 'Nothing to see'])
      expect(text).not.toContain(unruled);
    // The card paste names the detector and the count; the number itself is nowhere.
    expect(events.find((e) => e.ruleId === 'cards-paste')?.detail).toMatchObject({
      detections: 'payment_card:1',
    });
    // Whole forms of the number: a four-digit fragment also turns up in random hashes.
    for (const leaked of ['4111 1111', '4111111111111111', 'Card:'])
      expect(text).not.toContain(leaked);
  });

  it('keeps enforcing with the server down and delivers the queued events after it returns', async () => {
    const { browser, deviceId } = chromebook!;
    const before = (await admin.auditEvents(deviceId)).length;
    await server.stop();
    try {
      const blocked = await open(browser, sites.url('blocked.test'));
      await expect.poll(() => blocked.url()).toContain('/pages/blocked.html');
      const corp = await open(browser, sites.url('corp.test'));
      await copyText(corp, '#secret');
      await expect.poll(() => notice(corp).textContent()).toContain('Copying is blocked here');
      const popup = await open(browser, `chrome-extension://${extensionId}/pages/popup.html`);
      await expect.poll(() => queuedEvents(popup), { timeout: 10_000 }).toBe('2');
      await popup.close();

      // The worker dies during the outage too: the queue is in IndexedDB, not in memory.
      await browser.stopWorkers();
      await server.restart();
      const wake = await open(browser, `chrome-extension://${extensionId}/pages/popup.html`);
      await expect
        .poll(async () => (await admin.auditEvents(deviceId)).length, { timeout: 90_000 })
        .toBe(before + 2);
      await expect.poll(() => queuedEvents(wake), { timeout: 10_000 }).toBe('0');
      for (const p of [blocked, corp, wake]) await p.close();
    } finally {
      // The server is shared by the tests after this one: bring it back whatever happened.
      if (server.pid() === undefined) await server.restart();
    }
  });
});

describe('Chromebook for real: force-installed by enterprise policy', () => {
  let browser: ExtensionBrowser | undefined;
  let removePolicy: (() => void) | undefined;
  afterEach(async () => {
    await browser?.close();
    removePolicy?.();
    browser = undefined;
    removePolicy = undefined;
  });

  it('is installed by ExtensionInstallForcelist, configures itself from policy and enforces', async () => {
    removePolicy = await forceInstallPolicy(extensionDir, extensionId, sites, {
      serverUrl: server.url,
      enrollmentCode: admin.enrollmentCode,
      deviceName: 'e2e-forced',
    });
    browser = await launchWithExtension(null, sites.port, extensionId);
    const worker = await browser.worker();
    expect(
      await worker.evaluate(() => chrome.management.getSelf().then((s) => s.installType)),
    ).toBe('admin');

    const forced = async () => (await admin.devices()).find((d) => d.name === 'e2e-forced');
    await expect
      .poll(async () => (await forced())?.appliedVersion, { timeout: 60_000 })
      .toBe(version);
    expect((await forced())?.managed).toBe(true);
    // Assert on what the user gets, a navigation landing on the blocked page, polled: once
    // (not reproduced in 10 runs since) a fresh force-install still loaded the page just
    // after the server had the device's ack.
    const landing = async () => {
      const page = await open(browser!, sites.url('blocked.test'));
      const url = page.url();
      await page.close();
      return url;
    };
    await expect
      .poll(landing, { timeout: 30_000 })
      .toBe(`chrome-extension://${extensionId}/pages/blocked.html`);
  });
});
