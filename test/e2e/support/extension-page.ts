import type { BrowserContext, Page } from 'playwright-core';

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
