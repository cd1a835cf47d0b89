import {
  JUSTIFICATION_MAX,
  JUSTIFICATION_MIN,
  normalizeJustification,
} from '../../../core/policy/justification.ts';
import type { NoticeRequest } from '../../shared/messages.ts';
import { createShadowHost, el } from './shadow-host.ts';

const CSS = `
  dialog { padding: 0; border: none; background: transparent; max-width: 420px; }
  dialog::backdrop { background: rgba(15, 23, 42, .45); }
  .row { display: flex; gap: 8px; justify-content: flex-end; margin-top: 12px; }
  label { display: block; font-weight: 600; margin: 8px 0 4px; }
  textarea {
    font: inherit; width: 100%; min-height: 72px; resize: vertical; padding: 6px 8px;
    border: 1px solid #98a2b3; border-radius: 6px; background: inherit; color: inherit;
  }
  textarea:focus-visible { outline: 3px solid #93c5fd; outline-offset: 1px; }
  button:disabled { opacity: .5; cursor: not-allowed; }
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
export async function confirmDialog(doc: Document, options: ConfirmOptions): Promise<boolean> {
  return (await openDialog(doc, options, false)) !== null;
}

/**
 * The same question for a rule with `requireJustification`: the user must say why
 * (JUSTIFICATION_MIN to JUSTIFICATION_MAX characters) before the proceed button works.
 * Resolves the reason as it will be recorded, or null when the user cancelled.
 */
export function justificationDialog(
  doc: Document,
  options: ConfirmOptions,
): Promise<string | null> {
  return openDialog(doc, options, true);
}

function openDialog(
  doc: Document,
  options: ConfirmOptions,
  justify: boolean,
): Promise<string | null> {
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
  const reason = justify ? reasonField(doc, card, proceed) : null;
  card.append(
    el(
      doc,
      'p',
      { class: 'rule' },
      justify ? 'Your choice and your reason are recorded.' : 'Your choice is recorded.',
    ),
  );
  card.append(el(doc, 'div', { class: 'row' }, cancel, proceed));
  const dialog = el(
    doc,
    'dialog',
    { 'aria-labelledby': 'palisade-confirm-title', 'aria-describedby': 'palisade-confirm-body' },
    card,
  );
  root.append(dialog);

  return new Promise((resolve) => {
    const finish = (answer: string | null) => {
      if (dialog.open) dialog.close();
      host.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => finish(null));
    proceed.addEventListener('click', () => {
      if (!reason) return finish('');
      const text = normalizeJustification(reason.value);
      if (text !== null) finish(text);
    });
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(null);
    });
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    (reason ?? cancel).focus();
  });
}

/** The reason box; the proceed button stays disabled until the reason is long enough. */
function reasonField(doc: Document, card: HTMLElement, proceed: HTMLButtonElement) {
  const hint = `${JUSTIFICATION_MIN} to ${JUSTIFICATION_MAX} characters.`;
  const reason = el(doc, 'textarea', {
    id: 'palisade-reason',
    name: 'reason',
    required: '',
    minlength: String(JUSTIFICATION_MIN),
    maxlength: String(JUSTIFICATION_MAX),
    'aria-describedby': 'palisade-reason-hint',
  });
  card.append(
    el(doc, 'label', { for: 'palisade-reason' }, 'Why do you need to go on?'),
    reason,
    el(doc, 'p', { class: 'rule', id: 'palisade-reason-hint' }, hint),
  );
  const update = () => (proceed.disabled = normalizeJustification(reason.value) === null);
  reason.addEventListener('input', update);
  update();
  return reason;
}
