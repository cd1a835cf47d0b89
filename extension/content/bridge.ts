import { createPagePlatform } from '../platform/browser.ts';
import type { MessageSender } from '../platform/types.ts';
import { callBackground } from '../shared/call-background.ts';
import { isRecord } from '../shared/guards.ts';
import type { PairResult } from '../shared/messages.ts';
import { parsePwaMessage, type ExtensionMessage } from '../shared/pwa-protocol.ts';
import { ok } from '../shared/reply.ts';

/**
 * The bridge between the PWA's page and the extension (top frames of http(s) pages). It
 * only relays: it answers a ping, forwards a pairing request whose `serverUrl` is this
 * page's own origin, and forwards a claim. The background decides: it answers the ping
 * only on the origin of the server this browser belongs to (any origin while it belongs to
 * none), refuses pairing on a managed browser, rate-limits requests and asks the user to
 * confirm; the result comes back as a `pair.result` message and is posted to the page. A
 * claim is answered only on the enrolled server's origin, with the server's verdict, and so
 * is a device proof. A refused ping, claim or proof posts nothing, so a page cannot tell a
 * refusal from no extension.
 */
const platform = createPagePlatform();
const origin = location.origin;

function post(message: ExtensionMessage): void {
  window.postMessage(message, origin);
}

window.addEventListener('message', (event: MessageEvent) => {
  // Only the page itself, on its own origin; never another frame or window.
  if (event.source !== window || event.origin !== origin) return;
  const message = parsePwaMessage(event.data);
  if (!message) return;
  if (message.type === 'ping') {
    void callBackground(platform, 'bridge.hello', {}).then((reply) => {
      if (reply.ok) post({ source: 'palisade-extension', type: 'hello', ...reply.value });
    });
    return;
  }
  if (message.type === 'claim') {
    void callBackground(platform, 'bridge.claim', { token: message.token }).then((reply) => {
      // Refused for this origin: silent, like a refused ping.
      if (!reply.ok && reply.code === 'forbidden') return;
      post(
        reply.ok
          ? { source: 'palisade-extension', type: 'claim-result', ok: true, user: reply.value.user }
          : {
              source: 'palisade-extension',
              type: 'claim-result',
              ok: false,
              code: reply.code,
              message: reply.message,
            },
      );
    });
    return;
  }
  if (message.type === 'device-proof') {
    void callBackground(platform, 'bridge.deviceProof', { challenge: message.challenge }).then(
      (reply) => {
        // Another server's page, or not enrolled: silent, like a refused ping.
        if (!reply.ok && (reply.code === 'forbidden' || reply.code === 'not_enrolled')) return;
        post(
          reply.ok
            ? {
                source: 'palisade-extension',
                type: 'device-proof-result',
                ok: true,
                ...reply.value,
              }
            : {
                source: 'palisade-extension',
                type: 'device-proof-result',
                ok: false,
                code: reply.code,
                message: reply.message,
              },
        );
      },
    );
    return;
  }
  if (message.serverUrl !== origin) {
    post({
      source: 'palisade-extension',
      type: 'pair-result',
      ok: false,
      code: 'origin_mismatch',
      message: 'serverUrl must be the origin of this page',
    });
    return;
  }
  void callBackground(platform, 'pair.request', { token: message.token, serverUrl: origin }).then(
    (reply) => {
      if (!reply.ok)
        post({
          source: 'palisade-extension',
          type: 'pair-result',
          ok: false,
          code: reply.code,
          message: reply.message,
        });
      // Otherwise the user is confirming in the extension; the result arrives below.
    },
  );
});

platform.runtime.onMessage((raw: unknown, sender: MessageSender) => {
  if (sender.id !== platform.runtime.id || sender.tabId !== undefined) return undefined;
  if (!isRecord(raw) || raw.type !== 'pair.result' || !isRecord(raw.body)) return undefined;
  const result = raw.body as PairResult;
  post(
    result.ok
      ? { source: 'palisade-extension', type: 'pair-result', ok: true, user: result.user }
      : {
          source: 'palisade-extension',
          type: 'pair-result',
          ok: false,
          code: String(result.code),
          message: String(result.message),
        },
  );
  return Promise.resolve(ok(null));
});
