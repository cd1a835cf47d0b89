import type { BrowserContext, Page } from 'playwright-core';

/**
 * Gives a page a CDP virtual authenticator that behaves like a platform authenticator
 * with a biometric: resident keys, user verification done, presence auto-confirmed
 * (docs/development.md, "WebAuthn"). It belongs to the page's target: it survives
 * navigations in that page, not a new page.
 */
export async function addVirtualAuthenticator(
  context: BrowserContext,
  page: Page,
): Promise<string> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}
