import type { MessageSender } from '../platform/types.ts';
import { pageUrl } from '../shared/page-url.ts';
import { ExtensionError } from '../shared/reply.ts';
import type { Background } from './background.ts';
import type { HandlerTable } from './message-router.ts';
import { statusView } from './status-view.ts';

/** The background's message handlers, one per catalogue entry, each with its senders. */
export function createHandlers(bg: Background, version: string): HandlerTable {
  return {
    'policy.snapshot': {
      from: ['content'],
      handle: async () => {
        await bg.ready;
        return bg.decisions.snapshot();
      },
    },
    'audit.record': {
      from: ['content'],
      handle: async (body, sender) => {
        await bg.ready;
        return bg.decisions.record(body, senderPage(sender));
      },
    },
    'clipboard.copied': {
      from: ['content'],
      handle: async (body, sender) => {
        await bg.provenance.add(body.hash, senderPage(sender));
        return null;
      },
    },
    'clipboard.pasteTable': {
      from: ['content'],
      handle: async (_body, sender) => {
        await bg.ready;
        return bg.decisions.pasteTable(senderPage(sender));
      },
    },
    'blocked.info': {
      from: ['blocked-page'],
      handle: async (_body, sender) => {
        await bg.ready;
        return bg.navigation.info(sender.tabId ?? -1, sender.frameId ?? 0);
      },
    },
    'status.get': { from: ['popup'], handle: () => statusView(bg) },
    'sync.now': {
      from: ['popup'],
      handle: async () => {
        await bg.ready;
        await bg.sync.sync();
        await bg.uploader.kick({ force: true });
        return statusView(bg);
      },
    },
    'bridge.hello': {
      from: ['bridge'],
      handle: async (_body, sender) => {
        // Once enrolled (or pinned by managed storage) the browser belongs to one server:
        // no other page learns that Palisade is here, nor its version. An unenrolled,
        // unmanaged browser answers any page: its PWA, wherever it is, must find it to pair.
        const owner = await bg.owningServer();
        if (owner && new URL(sender.url!).origin !== new URL(owner).origin) {
          throw new ExtensionError('forbidden', 'this browser belongs to another server');
        }
        const enrollment = await bg.store.enrollment();
        return {
          version,
          enrolled: enrollment !== null,
          managed: enrollment ? enrollment.via === 'managed' : owner !== undefined,
          ...(enrollment ? { deviceId: enrollment.deviceId } : {}),
        };
      },
    },
    'bridge.claim': {
      from: ['bridge'],
      handle: async (body, sender) => {
        // Only the enrolled server's own page: the token proves its session, nobody else's.
        // Another origin is refused as a ping is, so the bridge can stay silent to it.
        const origin = new URL(sender.url!).origin;
        const owner = await bg.owningServer();
        if (owner && origin !== new URL(owner).origin) {
          throw new ExtensionError('forbidden', 'this browser belongs to another server');
        }
        await bg.ready;
        return bg.claims.claim(body.token, origin);
      },
    },
    'bridge.deviceProof': {
      from: ['bridge'],
      handle: async (body, sender) => {
        // Only the enrolled server's own page: the proof is bound to its origin, and no
        // other page learns the device id or posture (refused as a ping is: silence).
        await bg.ready;
        return bg.prover.prove(body.challenge, new URL(sender.url!).origin);
      },
    },
    'pair.request': {
      from: ['bridge'],
      handle: async (body, sender) => {
        // The page may only pair with its own origin: the server that served it.
        const origin = new URL(sender.url!).origin;
        if (body.serverUrl !== origin) {
          throw new ExtensionError('forbidden', 'serverUrl must be the origin of the page asking');
        }
        return bg.pairing.request(body.token, origin, sender.tabId!, sender.frameId ?? 0);
      },
    },
    'pair.pending': { from: ['pair-page'], handle: (body) => bg.pairing.view(body.requestId) },
    'pair.decide': {
      from: ['pair-page'],
      handle: (body) => bg.pairing.decide(body.requestId, body.accept),
    },
  };
}

/** The page a content script speaks for, as the browser (not the script) reports it. */
function senderPage(sender: MessageSender): string {
  const page = pageUrl(sender.url, sender.origin);
  if (!page) throw new ExtensionError('forbidden', 'no page URL for this frame');
  return page;
}
