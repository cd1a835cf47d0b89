import { textHash } from '../../shared/text-hash.ts';
import type { Enforcer } from '../enforcer.ts';
import { LOADING, type EnforcerContext } from '../enforcer-context.ts';
import { enforce } from '../enforce.ts';
import {
  CLIPBOARD_ANSWER,
  CLIPBOARD_REQUEST,
  parseClipboardRequest,
} from '../main-world-protocol.ts';

/**
 * CLIPBOARD data controls for the async Clipboard API, which fires no copy or paste event:
 * the MAIN-world script asks before `navigator.clipboard.writeText/write` (a copy from this
 * page) and before handing `readText/read` results to the page (a paste into it). Same
 * decisions, notices, questions and records as the event-based clipboard enforcer.
 */
export const clipboardApiEnforcer: Enforcer = {
  name: 'clipboard-api',
  init(ctx, signal) {
    const doc = ctx.window.document;
    doc.addEventListener(
      CLIPBOARD_REQUEST,
      (e: Event) => {
        const request = parseClipboardRequest((e as CustomEvent).detail);
        if (!request) return;
        e.preventDefault(); // "an enforcer answers"
        const answer = (allow: boolean) =>
          doc.dispatchEvent(
            new ctx.window.CustomEvent(CLIPBOARD_ANSWER, {
              detail: JSON.stringify({ id: request.id, allow }),
            }),
          );
        void judge(ctx, request.action, request.text).then(answer, () => answer(false));
      },
      { signal },
    );
  },
};

async function judge(
  ctx: EnforcerContext,
  action: 'copy' | 'paste',
  text: string,
): Promise<boolean> {
  if (!ctx.ready) await ctx.loaded().catch(() => undefined);
  const hash = text ? textHash(text) : undefined;
  // Read text is scanned here like an event's paste; only counts leave this script.
  const content = action === 'paste' && text && ctx.inspects('paste') ? ctx.scan(text) : undefined;
  let d = action === 'copy' ? ctx.decide('copy') : ctx.decidePaste(hash ?? textHash(''), content);
  if (d === 'stale') {
    await ctx.refresh().catch(() => undefined);
    d = ctx.decidePaste(hash ?? textHash(''), content);
  }
  if (d === 'stale') d = LOADING;
  const pasteHash = action === 'paste' ? hash : undefined;
  const allow = await enforce(ctx, action, d, { pasteHash });
  if (allow && action === 'copy' && hash) ctx.copied(hash);
  return allow;
}
