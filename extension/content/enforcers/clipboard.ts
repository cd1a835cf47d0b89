import { textHash } from '../../shared/text-hash.ts';
import { stop, type Enforcer } from '../enforcer.ts';
import { LOADING, type EnforcerContext } from '../enforcer-context.ts';
import { enforce, onProceed } from '../enforce.ts';
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
      // Saved before a WARN's dialog takes the focus, to copy what was selected after it.
      const selection = d.level === 'WARN' ? saveSelection(w) : null;
      const go = enforce(ctx, action, d);
      if (go === true) return remember(ctx, text);
      stop(e);
      onProceed(go, () => {
        selection?.restore();
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
      const go = enforce(ctx, 'paste', d, { pasteHash: hash });
      if (go === true) return;
      stop(e);
      onProceed(go, () => insertText(w, target, text));
    };

    const onDragStart = (e: DragEvent) => {
      const text = e.dataTransfer?.getData('text/plain') || selectedText(w);
      if (!text) return;
      // A drag cannot be paused for a question: a WARN here asks the user to copy instead.
      const go = enforce(ctx, 'copy', ctx.decide('copy'), { onWarn: 'block' });
      if (go === true) return remember(ctx, text);
      stop(e);
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

function pasteLater(ctx: EnforcerContext, hash: string, text: string, target: SavedSelection) {
  const d = ctx.decidePaste(hash, ctx.inspects('paste') ? ctx.scan(text) : undefined);
  // Still no table (the background did not answer): fail closed.
  if (d === 'stale') return ctx.block('paste', LOADING);
  onProceed(enforce(ctx, 'paste', d, { pasteHash: hash }), () =>
    insertText(ctx.window, target, text),
  );
}
