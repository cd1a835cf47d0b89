import type { Platform } from '../platform/types.ts';
import { isRecord } from '../shared/guards.ts';
import type { NoticeRequest } from '../shared/messages.ts';
import { asReply } from '../shared/reply.ts';

/**
 * Talks to the content script of the tab the user is looking at: for actions that start
 * in the background (downloads), the notice and the WARN question appear in that page.
 */
export class TabMessenger {
  constructor(private readonly platform: Platform) {}

  /** Shows a notice in the active tab; silently does nothing where no script runs. */
  async notify(notice: NoticeRequest): Promise<void> {
    const tab = await this.platform.tabs.queryActive();
    if (tab?.id === undefined) return;
    await this.platform.tabs
      .sendMessage(tab.id, { type: 'notice.show', body: notice }, 0)
      .catch(() => undefined);
  }

  /**
   * Asks the user in the active tab. Resolves null when there is nobody to ask (no tab,
   * or a page where content scripts cannot run): the caller then fails closed.
   */
  async confirm(
    question: NoticeRequest & { justify?: true },
  ): Promise<{ proceed: boolean; justification?: string } | null> {
    const tab = await this.platform.tabs.queryActive();
    if (tab?.id === undefined) return null;
    try {
      const reply = asReply<unknown>(
        await this.platform.tabs.sendMessage(tab.id, { type: 'confirm.ask', body: question }, 0),
      );
      if (!reply.ok || !isRecord(reply.value) || typeof reply.value.proceed !== 'boolean')
        return null;
      const { proceed, justification } = reply.value;
      return typeof justification === 'string' ? { proceed, justification } : { proceed };
    } catch {
      return null;
    }
  }
}
