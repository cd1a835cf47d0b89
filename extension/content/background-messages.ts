import type { MessageSender } from '../platform/types.ts';
import { isRecord, isString } from '../shared/guards.ts';
import type { NoticeRequest } from '../shared/messages.ts';
import { ok, type Reply } from '../shared/reply.ts';
import type { EnforcerUi } from './enforcer-context.ts';

/**
 * Messages the background sends to this frame: a notice to show, or a WARN question to
 * ask (for downloads, which start outside the page). Only the extension's own background
 * may send them — not a page, not another extension.
 */
export function createBackgroundMessageHandler(
  runtimeId: string,
  extensionBase: string,
  ui: EnforcerUi,
) {
  return (raw: unknown, sender: MessageSender): Promise<Reply<unknown>> | undefined => {
    if (
      sender.id !== runtimeId ||
      sender.tabId !== undefined ||
      !sender.url?.startsWith(extensionBase)
    ) {
      return undefined;
    }
    if (!isRecord(raw) || !isNoticeRequest(raw.body)) return undefined;
    switch (raw.type) {
      case 'notice.show':
        ui.notice(raw.body);
        return Promise.resolve(ok(null));
      case 'confirm.ask': {
        const { justify, ...question } = raw.body as NoticeRequest & { justify?: unknown };
        if (justify === true) {
          return ui
            .justify({ ...question, proceedLabel: 'Continue' })
            .then((reason) =>
              ok(reason === null ? { proceed: false } : { proceed: true, justification: reason }),
            );
        }
        return ui
          .confirm({ ...question, proceedLabel: 'Continue' })
          .then((proceed) => ok({ proceed }));
      }
      default:
        return undefined; // e.g. 'pair.result', which the bridge handles
    }
  };
}

function isNoticeRequest(v: unknown): v is NoticeRequest {
  return (
    isRecord(v) &&
    isString(v.title, 200) &&
    isString(v.body, 2000) &&
    (v.ruleName === undefined || isString(v.ruleName, 2048)) &&
    (v.contact === undefined || isString(v.contact, 500))
  );
}
