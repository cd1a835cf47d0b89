import { stop, type Enforcer } from '../enforcer.ts';
import { verdictOf } from '../enforcer-context.ts';

/**
 * Data controls of class FILE_UPLOAD, judged with this page as the destination: file
 * pickers (a click on a file input, or on its label, which clicks the input), files
 * dropped on the page, and files pasted into it. A `change` guard backs up the click
 * guard for pickers opened without a click (`showPicker()`).
 */
export const uploadEnforcer: Enforcer = {
  name: 'upload',
  init(ctx, signal) {
    const w = ctx.window;
    const opts = { capture: true, signal };
    let bypass = false;

    w.addEventListener(
      'click',
      (e: MouseEvent) => {
        const input = fileInput(e.composedPath()[0]);
        if (!input || bypass) return;
        const d = ctx.decide('upload');
        const verdict = verdictOf(d);
        if (verdict === 'allow' || verdict === 'report') return; // REPORT records on change
        stop(e);
        if (verdict === 'block') return ctx.block('upload', d);
        void ctx.warn('upload', d).then((proceed) => {
          if (!proceed) return;
          bypass = true;
          try {
            input.click(); // the dialog's button click is the user activation a picker needs
          } finally {
            bypass = false;
          }
        });
      },
      opts,
    );

    w.addEventListener(
      'change',
      (e: Event) => {
        const input = fileInput(e.composedPath()[0]);
        if (!input?.files?.length) return;
        const d = ctx.decide('upload');
        const verdict = verdictOf(d);
        if (verdict === 'report') void ctx.record('upload', 'allowed');
        if (verdict !== 'block') return;
        input.value = '';
        stop(e);
        ctx.block('upload', d);
      },
      opts,
    );

    const onFiles = (e: DragEvent | ClipboardEvent) => {
      const data = 'dataTransfer' in e ? e.dataTransfer : e.clipboardData;
      if (bypass || !data || !Array.from(data.types).includes('Files')) return;
      const d = ctx.decide('upload');
      const verdict = verdictOf(d);
      if (verdict === 'report') void ctx.record('upload', 'allowed');
      if (verdict === 'allow' || verdict === 'report') return;
      stop(e);
      if (verdict === 'block') return ctx.block('upload', d);
      const target = e.composedPath()[0];
      const files = Array.from(data.files);
      void ctx.warn('upload', d).then((proceed) => {
        if (!proceed || !target) return;
        bypass = true;
        try {
          target.dispatchEvent(withFiles(w, e.type, files));
        } finally {
          bypass = false;
        }
      });
    };
    w.addEventListener('drop', onFiles, opts);
    w.addEventListener('paste', onFiles, opts);
  },
};

function fileInput(target: EventTarget | undefined): HTMLInputElement | null {
  const el = target as HTMLElement | undefined;
  return el?.tagName === 'INPUT' && (el as HTMLInputElement).type === 'file'
    ? (el as HTMLInputElement)
    : null;
}

/**
 * After a WARN was accepted, the same files for the page: a synthetic event carrying a
 * DataTransfer with them, which web apps' upload widgets read like the real one.
 */
function withFiles(w: Window & typeof globalThis, type: string, files: File[]): Event {
  const transfer = new w.DataTransfer();
  for (const f of files) transfer.items.add(f);
  const init = { bubbles: true, cancelable: true, composed: true };
  return type === 'drop'
    ? new w.DragEvent('drop', { ...init, dataTransfer: transfer })
    : new w.ClipboardEvent('paste', { ...init, clipboardData: transfer });
}
