/**
 * Plays the extension's bridge content script in a happy-dom window: it answers the PWA's
 * real `window.postMessage` requests (extension-bridge.ts is not mocked) the way
 * extension/content/bridge.ts does, and records what the page asked.
 */
export interface FakeBridge {
  /** The claim tokens the page handed over, in order. */
  claims: string[];
  uninstall(): void;
}

export function fakeExtensionBridge(opts: {
  hello: { version: string; enrolled: boolean; managed: boolean; deviceId?: string };
  claim?: (
    token: string,
  ) =>
    | { ok: true; user: { name: string; email: string } }
    | { ok: false; code: string; message: string };
}): FakeBridge {
  const claims: string[] = [];
  // Dispatched rather than posted: happy-dom's postMessage names its inner window as the
  // source, not the `window` the app checks against (as a browser's content script would).
  const post = (message: Record<string, unknown>) =>
    setTimeout(() =>
      window.dispatchEvent(
        new MessageEvent('message', {
          data: { source: 'palisade-extension', ...message },
          origin: location.origin,
          source: window,
        }),
      ),
    );
  const onMessage = (e: MessageEvent) => {
    const d = e.data as Record<string, unknown> | null;
    if (e.origin !== location.origin || d?.source !== 'palisade-pwa') return;
    if (d.type === 'ping') post({ type: 'hello', ...opts.hello });
    if (d.type === 'claim' && typeof d.token === 'string') {
      claims.push(d.token);
      const result = opts.claim?.(d.token) ?? {
        ok: false,
        code: 'not_enrolled',
        message: 'this browser is not enrolled',
      };
      post({ type: 'claim-result', ...result });
    }
  };
  window.addEventListener('message', onMessage);
  return { claims, uninstall: () => window.removeEventListener('message', onMessage) };
}
