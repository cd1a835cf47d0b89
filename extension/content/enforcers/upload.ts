import type { DataDecision } from '../../../core/policy/data-controls.ts';
import { stop, type Enforcer } from '../enforcer.ts';
import type { EnforcerContext } from '../enforcer-context.ts';
import { enforce, onProceed } from '../enforce.ts';
import { readTextFiles, textFiles } from '../read-text-files.ts';

/**
 * Data controls of class FILE_UPLOAD, judged with this page as the destination: file
 * pickers (a click on a file input, or on its label, which clicks the input), files
 * dropped on the page, and files pasted into it. A `change` guard backs up the click
 * guard for pickers opened without a click (`showPicker()`). When a rule has a content
 * condition, text files picked or dropped are held back, read and scanned here (the first
 * MiB of each), and handed to the page only if the content is allowed.
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
        // REPORT is recorded on `change`, once files were picked.
        const go = enforce(ctx, 'upload', ctx.decide('upload'), { report: false });
        if (go === true) return;
        stop(e);
        onProceed(go, () => {
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
        if (bypass) return;
        const d = ctx.decide('upload');
        const texts = textFiles(Array.from(input.files));
        if (d.level !== 'BLOCK' && needsScan(ctx, d, texts)) {
          stop(e);
          void judgeContent(ctx, d, texts).then((proceed) => {
            if (!proceed) {
              input.value = '';
              return;
            }
            bypass = true;
            try {
              input.dispatchEvent(new w.Event('change', { bubbles: true }));
            } finally {
              bypass = false;
            }
          });
          return;
        }
        // A WARN was asked when the picker was clicked.
        if (enforce(ctx, 'upload', d, { onWarn: 'pass' }) === true) return;
        input.value = '';
        stop(e);
      },
      opts,
    );

    const onFiles = (e: DragEvent | ClipboardEvent) => {
      const data = 'dataTransfer' in e ? e.dataTransfer : e.clipboardData;
      if (bypass || !data || !Array.from(data.types).includes('Files')) return;
      const d = ctx.decide('upload');
      const target = e.composedPath()[0];
      const files = Array.from(data.files);
      const redispatch = () => {
        if (!target) return;
        bypass = true;
        try {
          target.dispatchEvent(withFiles(w, e.type, files));
        } finally {
          bypass = false;
        }
      };
      const texts = textFiles(files);
      if (d.level !== 'BLOCK' && needsScan(ctx, d, texts)) {
        stop(e);
        // A WARN is asked before reading; a REPORT is recorded by judgeContent.
        const asked = d.level === 'WARN' ? enforce(ctx, 'upload', d) : true;
        void Promise.resolve(asked)
          .then((ok) => (ok ? judgeContent(ctx, d, texts) : false))
          .then((ok) => ok && redispatch());
        return;
      }
      const go = enforce(ctx, 'upload', d);
      if (go === true) return;
      stop(e);
      onProceed(go, redispatch);
    };
    w.addEventListener('drop', onFiles, opts);
    w.addEventListener('paste', onFiles, opts);
  },
};

/** Scan first when content rules exist, text files are there, and no ALLOW rule decided. */
function needsScan(ctx: EnforcerContext, d: DataDecision, texts: File[]): boolean {
  return texts.length > 0 && d.level !== 'ALLOW' && ctx.inspects('upload');
}

/**
 * Reads and scans the text files, then acts on the content decision: true when the
 * files may go to the page. `before` is the decision without content, already acted on
 * (a WARN was asked at click time), so only a content rule's decision is acted on here.
 */
async function judgeContent(
  ctx: EnforcerContext,
  before: DataDecision,
  texts: File[],
): Promise<boolean> {
  const content = ctx.scan(await readTextFiles(texts));
  const d = ctx.decide('upload', content);
  if (!d.detections) {
    if (before.level === 'REPORT') void ctx.record('upload', 'allowed');
    return true;
  }
  return enforce(ctx, 'upload', d);
}

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
