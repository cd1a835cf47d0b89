import type { BrowserContext, Page, Worker } from 'playwright-core';

/** A new tab of `context` at `url`. */
export async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** The notice the extension's content script shows on a page (a blocked copy, print, …). */
export const notice = (page: Page) => page.locator('[data-palisade="notice"] [role="alert"]');

/** The popup's "Queued events" figure (the popup refreshes itself while open). */
export const queuedEvents = (popup: Page) =>
  popup.locator('dt:text-is("Queued events") + dd').textContent();

/** Posts a message as the PWA would and resolves with the extension's first answer of `type`. */
export function askExtension(page: Page, message: Record<string, unknown>, type: string) {
  return page.evaluate(
    ([msg, want]) =>
      new Promise<Record<string, unknown>>((done) => {
        addEventListener('message', (e: MessageEvent) => {
          const d = e.data as Record<string, unknown>;
          if (d?.source === 'palisade-extension' && d.type === want) done(d);
        });
        postMessage({ source: 'palisade-pwa', ...msg }, location.origin);
      }),
    [message, type] as const,
  );
}

/** The slice of the DNR API `dnrOutcome` evaluates in the service worker. */
declare const chrome: {
  declarativeNetRequest: {
    testMatchOutcome(request: object): Promise<{ matchedRules: { ruleId: number }[] }>;
    getDynamicRules(): Promise<{ id: number; action: { type: string } }[]>;
  };
};

/**
 * What Chromium's own DNR matcher does with a request to `url` (not a fallback in the
 * worker): the action type of each dynamic rule that matches, empty when none does.
 */
export function dnrOutcome(
  worker: Worker,
  url: string,
  type: 'main_frame' | 'sub_frame' = 'main_frame',
): Promise<string[]> {
  return worker.evaluate(
    async ([u, t]) => {
      const { matchedRules } = await chrome.declarativeNetRequest.testMatchOutcome({
        url: u,
        type: t,
        method: 'get',
        tabId: -1,
      });
      const rules = await chrome.declarativeNetRequest.getDynamicRules();
      return matchedRules.map((m) => rules.find((r) => r.id === m.ruleId)?.action.type ?? '?');
    },
    [url, type] as const,
  );
}
