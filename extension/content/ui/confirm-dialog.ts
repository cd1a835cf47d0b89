import type { NoticeRequest } from '../../shared/messages.ts';
import { createShadowHost, el } from './shadow-host.ts';

const CSS = `
  dialog { padding: 0; border: none; background: transparent; max-width: 420px; }
  dialog::backdrop { background: rgba(15, 23, 42, .45); }
  .row { display: flex; gap: 8px; justify-content: flex-end; margin-top: 12px; }
`;

export interface ConfirmOptions extends NoticeRequest {
  proceedLabel: string;
}

/**
 * Asks the user whether to go on with an action a WARN rule covers. A native modal
 * <dialog> in a shadow root: the top layer keeps page styles from covering it, the rest of
 * the page is inert while it is open, Tab stays inside, and Escape cancels. Focus starts on
 * the safe choice (Cancel) and returns where it was when the dialog closes.
 */
export function confirmDialog(doc: Document, options: ConfirmOptions): Promise<boolean> {
  doc.querySelector('[data-palisade="confirm"]')?.remove();
  const { host, root } = createShadowHost(doc, 'confirm', CSS);
  const cancel = el(doc, 'button', { type: 'button', 'data-choice': 'cancel' }, 'Cancel');
  const proceed = el(
    doc,
    'button',
    { type: 'button', class: 'primary', 'data-choice': 'proceed' },
    options.proceedLabel,
  );
  const card = el(
    doc,
    'div',
    { class: 'card warn' },
    el(doc, 'h2', { id: 'palisade-confirm-title' }, options.title),
    el(doc, 'p', { id: 'palisade-confirm-body' }, options.body),
  );
  if (options.ruleName) card.append(el(doc, 'p', { class: 'rule' }, `Rule: ${options.ruleName}`));
  if (options.contact)
    card.append(el(doc, 'p', { class: 'rule' }, `Questions: ${options.contact}`));
  card.append(el(doc, 'p', { class: 'rule' }, 'Your choice is recorded.'));
  card.append(el(doc, 'div', { class: 'row' }, cancel, proceed));
  const dialog = el(
    doc,
    'dialog',
    { 'aria-labelledby': 'palisade-confirm-title', 'aria-describedby': 'palisade-confirm-body' },
    card,
  );
  root.append(dialog);

  return new Promise((resolve) => {
    const finish = (answer: boolean) => {
      if (dialog.open) dialog.close();
      host.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => finish(false));
    proceed.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(false);
    });
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    cancel.focus();
  });
}
