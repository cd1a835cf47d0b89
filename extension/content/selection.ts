/** Selection helpers: what is selected, and how to put the caret back after a dialog. */

type TextField = HTMLInputElement | HTMLTextAreaElement;

export interface SavedSelection {
  readonly target: Element | null;
  /** Focuses the element again and restores the selection it had. */
  restore(): void;
}

/** The focused element, looking inside open shadow roots (web components). */
export function deepActiveElement(doc: Document): Element | null {
  let el = doc.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

function isTextField(el: Element | null): el is TextField {
  if (!el) return false;
  if (el.tagName === 'TEXTAREA') return true;
  return (
    el.tagName === 'INPUT' &&
    /^(text|search|url|tel|email|password|)$/i.test((el as HTMLInputElement).type)
  );
}

/** The text a copy or cut would take: an input's selected value or the page selection. */
export function selectedText(w: Window): string {
  const el = deepActiveElement(w.document);
  if (isTextField(el) && el.selectionStart !== null && el.selectionEnd !== null) {
    return el.value.slice(el.selectionStart, el.selectionEnd);
  }
  return w.getSelection()?.toString() ?? '';
}

export function saveSelection(w: Window): SavedSelection {
  const el = deepActiveElement(w.document);
  if (isTextField(el)) {
    const [start, end] = [el.selectionStart, el.selectionEnd];
    return {
      target: el,
      restore() {
        el.focus();
        if (start !== null && end !== null) el.setSelectionRange(start, end);
      },
    };
  }
  const sel = w.getSelection();
  const ranges = sel
    ? Array.from({ length: sel.rangeCount }, (_, i) => sel.getRangeAt(i).cloneRange())
    : [];
  return {
    target: el,
    restore() {
      (el as HTMLElement | null)?.focus?.();
      if (!sel) return;
      sel.removeAllRanges();
      for (const r of ranges) sel.addRange(r);
    },
  };
}

/**
 * Inserts text where the selection was, as a user's paste would: through the editing
 * command, so the page's undo stack and input events behave as usual; plain fields that
 * refuse the command get the text set directly.
 */
export function insertText(w: Window, saved: SavedSelection, text: string): void {
  saved.restore();
  if (w.document.execCommand('insertText', false, text)) return;
  const el = saved.target;
  if (isTextField(el)) {
    el.setRangeText(
      text,
      el.selectionStart ?? el.value.length,
      el.selectionEnd ?? el.value.length,
      'end',
    );
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
