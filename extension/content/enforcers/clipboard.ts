import { textHash } from '../../shared/text-hash.ts';
import { stop, type Enforcer } from '../enforcer.ts';
import { LOADING, verdictOf, type EnforcerContext } from '../enforcer-context.ts';
import { insertText, saveSelection, selectedText, type SavedSelection } from '../selection.ts';

/**
 * Data controls of class CLIPBOARD: copy and cut judged against the page as source and the
 * OS clipboard as destination; paste judged by where the pasted text was copied (its hash
 * in the provenance table) and this page as destination. Dragging text out is a copy,
 * dropping text in is a paste. Pasted and dropped text is scanned here, in the page, when a
 * rule has a content condition: only detector ids and counts go to the background.
 * Listeners capture on the window at document_start, so they run before any of the page's own.
 */
export const clipboardEnforcer: Enforcer = {
  name: 'clipboard',
  init(ctx, signal) {
    const w = ctx.window;
    let bypass = false;
    const opts = { capture: true, signal };

    const onCopy = (e: ClipboardEvent) => {
      const action = e.type === 'cut' ? 'cut' : 'copy';
      const text = selectedText(w);
      if (bypass) return remember(ctx, text);
      const d = ctx.decide(action);
      const verdict = verdictOf(d);
      if (verdict === 'allow' || verdict === 'report') {
        if (verdict === 'report') void ctx.record(action, 'allowed');
        return remember(ctx, text);
      }
      stop(e);
      if (verdict === 'block') return ctx.block(action, d);
      const selection = saveSelection(w);
      void ctx.warn(action, d).then((proceed) => {
        if (!proceed) return;
        selection.restore();
        bypass = true;
        try {
          w.document.execCommand(action);
        } finally {
          bypass = false;
        }
      });
    };

    const onPaste = (e: ClipboardEvent | DragEvent) => {
      const data = 'clipboardData' in e ? e.clipboardData : e.dataTransfer;
      if (bypass || !data || data.files.length > 0) return; // files are uploads
      const text = data.getData('text/plain');
      if (!text) return;
      const hash = textHash(text);
      const target = saveSelection(w);
      const content = ctx.inspects('paste') ? ctx.scan(text) : undefined;
      const d = ctx.decidePaste(hash, content);
      if (d === 'stale') {
        // The page's URL changed since the table was made: decide after a refresh.
        stop(e);
        void ctx.refresh().then(() => pasteLater(ctx, hash, text, target));
        return;
      }
      const verdict = verdictOf(d);
      if (verdict === 'report') void ctx.record('paste', 'allowed', hash, d);
      if (verdict === 'allow' || verdict === 'report') return;
      stop(e);
      if (verdict === 'block') return ctx.block('paste', d, hash);
      void ctx.warn('paste', d, hash).then((proceed) => proceed && insertText(w, target, text));
    };

    const onDragStart = (e: DragEvent) => {
      const text = e.dataTransfer?.getData('text/plain') || selectedText(w);
      if (!text) return;
      const d = ctx.decide('copy');
      const verdict = verdictOf(d);
      if (verdict === 'allow' || verdict === 'report') {
        if (verdict === 'report') void ctx.record('copy', 'allowed');
        return remember(ctx, text);
      }
      // A drag cannot be paused for a question: a WARN here asks the user to copy instead.
      stop(e);
      ctx.block('copy', d);
    };

    const onDrop = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('text/plain')) onPaste(e);
    };

    w.addEventListener('copy', onCopy, opts);
    w.addEventListener('cut', onCopy, opts);
    w.addEventListener('paste', onPaste, opts);
    w.addEventListener('dragstart', onDragStart, opts);
    w.addEventListener('drop', onDrop, opts);
  },
};

function remember(ctx: EnforcerContext, text: string): void {
  if (text) ctx.copied(textHash(text));
}

async function pasteLater(
  ctx: EnforcerContext,
  hash: string,
  text: string,
  target: SavedSelection,
) {
  const d = ctx.decidePaste(hash, ctx.inspects('paste') ? ctx.scan(text) : undefined);
  // Still no table (the background did not answer): fail closed.
  if (d === 'stale') return ctx.block('paste', LOADING);
  const verdict = verdictOf(d);
  if (verdict === 'allow') return insertText(ctx.window, target, text);
  if (verdict === 'report') {
    void ctx.record('paste', 'allowed', hash, d);
    return insertText(ctx.window, target, text);
  }
  if (verdict === 'block') return ctx.block('paste', d, hash);
  if (await ctx.warn('paste', d, hash)) insertText(ctx.window, target, text);
}
