import { stop, type Enforcer } from '../enforcer.ts';
import { enforce, onProceed } from '../enforce.ts';
import { PRINT_REQUEST } from '../main-world-protocol.ts';

const HIDE_CSS = `@media print {
  html > body, html > frameset { display: none !important; }
  html::after { content: "Printing this page is blocked by your organisation's policy." !important; display: block !important; font: 16px sans-serif; }
}`;

/**
 * Data controls of class PRINTING, for every way a print starts:
 * - `window.print()` from the page: replaced in the MAIN world by a request this answers;
 * - Ctrl/Cmd+P: intercepted when the rule blocks or warns;
 * - the browser's menu (and `page.pdf()`): cannot be cancelled, so on `beforeprint` the
 *   content is hidden from the printout and the user told why.
 */
export const printEnforcer: Enforcer = {
  name: 'print',
  init(ctx, signal) {
    const w = ctx.window;
    let ours = false;
    const guard = printGuard(w.document);

    const printNow = () => {
      ours = true;
      try {
        w.print();
      } finally {
        ours = false;
      }
    };

    /** Decides and acts; synchronous when it can, so the page's print() returns after printing. */
    const attempt = () => onProceed(enforce(ctx, 'print', ctx.decide('print')), printNow);

    w.document.addEventListener(
      PRINT_REQUEST,
      () => {
        if (ctx.ready) attempt();
        else void ctx.loaded().then(attempt, attempt);
      },
      { signal },
    );

    w.addEventListener(
      'keydown',
      (e: KeyboardEvent) => {
        if (!(e.ctrlKey || e.metaKey) || e.altKey || e.key.toLowerCase() !== 'p') return;
        const { level } = ctx.decide('print');
        if (level !== 'BLOCK' && level !== 'WARN') return;
        stop(e);
        attempt();
      },
      { capture: true, signal },
    );

    w.addEventListener(
      'beforeprint',
      () => {
        if (ours) return;
        const d = ctx.decide('print');
        const blank = () => {
          guard.hide();
          w.addEventListener('afterprint', () => guard.show(), { once: true, signal });
        };
        // WARN from the menu: this printout is blank; ask after it, then print for real.
        if (d.level === 'WARN') {
          blank();
          const ask = () => onProceed(enforce(ctx, 'print', d), printNow);
          return w.addEventListener('afterprint', ask, { once: true, signal });
        }
        if (enforce(ctx, 'print', d) !== true) blank();
      },
      { signal },
    );
  },
};

/** A print-only stylesheet that blanks the page, added for one print and removed after. */
function printGuard(doc: Document) {
  let style: HTMLStyleElement | null = null;
  return {
    hide() {
      if (style?.isConnected) return;
      style = doc.createElement('style');
      style.setAttribute('data-palisade', 'print-guard');
      style.textContent = HIDE_CSS;
      doc.documentElement.append(style);
    },
    show() {
      style?.remove();
      style = null;
    },
  };
}
