import type { NoticeRequest } from '../../shared/messages.ts';
import { createShadowHost, el } from './shadow-host.ts';

const CSS = `
  .wrap { position: fixed; top: 16px; right: 16px; z-index: 2147483647; }
  .row { display: flex; justify-content: flex-end; margin-top: 8px; }
`;

const SHOW_MS = 10_000;

/**
 * An in-page notice that an action was blocked, naming the rule. role="alert" so screen
 * readers announce it; it does not take focus (the user did not ask for a dialog) and goes
 * away after a while or when dismissed. A newer notice replaces an older one.
 */
export function showNotice(doc: Document, notice: NoticeRequest): HTMLElement {
  doc.querySelector('[data-palisade="notice"]')?.remove();
  const { host, root } = createShadowHost(doc, 'notice', CSS);
  const close = el(doc, 'button', { type: 'button' }, 'Dismiss');
  const card = el(
    doc,
    'div',
    { class: 'card', role: 'alert' },
    el(doc, 'h2', {}, notice.title),
    el(doc, 'p', {}, notice.body),
  );
  if (notice.ruleName) card.append(el(doc, 'p', { class: 'rule' }, `Rule: ${notice.ruleName}`));
  if (notice.contact) card.append(el(doc, 'p', { class: 'rule' }, `Questions: ${notice.contact}`));
  card.append(el(doc, 'div', { class: 'row' }, close));
  root.append(el(doc, 'div', { class: 'wrap' }, card));
  const timer = setTimeout(() => host.remove(), SHOW_MS);
  close.addEventListener('click', () => {
    clearTimeout(timer);
    host.remove();
  });
  return host;
}
