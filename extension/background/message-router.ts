import type { MessageSender } from '../platform/types.ts';
import {
  parseBackgroundMessage,
  type BackgroundType,
  type RequestOf,
  type ResponseOf,
} from '../shared/messages.ts';
import { ExtensionError, fail, ok, type Reply } from '../shared/reply.ts';

/** Who may send a message: checked on what the browser says about the sender. */
export type SenderRule = 'content' | 'bridge' | 'popup' | 'blocked-page' | 'pair-page';

export interface Handler<K extends BackgroundType> {
  from: readonly SenderRule[];
  handle(body: RequestOf<K>, sender: MessageSender): Promise<ResponseOf<K>>;
}

/** One handler per catalogue entry; the compiler checks none is missing. */
export type HandlerTable = { [K in BackgroundType]: Handler<K> };

export interface ExtensionIdentity {
  id: string;
  /** `chrome-extension://<id>/` (or `moz-extension://<uuid>/`). */
  baseUrl: string;
}

const PAGES: Partial<Record<SenderRule, string>> = {
  popup: 'pages/popup.html',
  'blocked-page': 'pages/blocked.html',
  'pair-page': 'pages/pair.html',
};

export function senderMatches(
  rule: SenderRule,
  s: MessageSender,
  self: ExtensionIdentity,
): boolean {
  if (s.id !== self.id) return false;
  const fromExtension = s.url?.startsWith(self.baseUrl) ?? false;
  switch (rule) {
    case 'content':
      return s.tabId !== undefined && !fromExtension;
    case 'bridge':
      return s.tabId !== undefined && s.frameId === 0 && /^https?:\/\//.test(s.url ?? '');
    default: {
      const page = self.baseUrl + PAGES[rule];
      return (
        s.url !== undefined &&
        (s.url === page || s.url.startsWith(`${page}?`) || s.url.startsWith(`${page}#`))
      );
    }
  }
}

/**
 * Validates a raw runtime message, checks its sender, runs the handler and shapes the
 * reply. Errors are turned into replies in this one place.
 */
export async function routeMessage(
  table: HandlerTable,
  raw: unknown,
  sender: MessageSender,
  self: ExtensionIdentity,
): Promise<Reply<unknown>> {
  const message = parseBackgroundMessage(raw);
  if (!message) return fail('bad_request', 'unknown message type or malformed body');
  const handler = table[message.type] as Handler<BackgroundType>;
  if (!handler.from.some((rule) => senderMatches(rule, sender, self))) {
    return fail('forbidden', `${message.type} may not be sent from here`);
  }
  try {
    return ok(await handler.handle(message.body as never, sender));
  } catch (error) {
    if (error instanceof ExtensionError) return fail(error.code, error.message);
    return fail('internal', error instanceof Error ? error.message : String(error));
  }
}
