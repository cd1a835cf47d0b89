import { createPagePlatform } from '../../platform/browser.ts';
import { callBackground } from '../../shared/call-background.ts';
import { JUSTIFICATION_MIN, normalizeJustification } from '../../../core/policy/justification.ts';
import type { AccessStatus, BlockedInfo } from '../../shared/messages.ts';
import { contactNode } from '../shared/contact.ts';

/**
 * The blocked page. It asks the background what was blocked in this tab: the URL (already
 * reduced to the policy's auditUrlDetail — with `none` the page says nothing about it),
 * the deciding filter, the policy's message and whom to ask.
 */
const platform = createPagePlatform();

async function main(): Promise<void> {
  const reply = await callBackground(platform, 'blocked.info', {});
  if (reply.ok) render(reply.value);
  document.getElementById('title')?.focus();
  if (reply.ok && reply.value.exceptionFilter) await offerRequest(reply.value.exceptionFilter);
}

/** How often the page asks the background (locally) whether access came through. */
const POLL_MS = 250;

/**
 * "Request access": the reason goes to the server with the exception filter; the page then
 * follows the request and, once the signed exception is enforced, loads the page it stands for.
 */
async function offerRequest(filter: string): Promise<void> {
  setText('request-filter', filter);
  document.getElementById('request-section')?.removeAttribute('hidden');
  const form = document.getElementById('request-form') as HTMLFormElement | null;
  const reason = document.getElementById('reason') as HTMLTextAreaElement | null;
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = normalizeJustification(reason?.value ?? '');
    if (!text) {
      setText('request-state', `Say why in at least ${JUSTIFICATION_MIN} characters.`);
      return;
    }
    void callBackground(platform, 'access.request', { reason: text }).then((r) => {
      if (!r.ok) return setText('request-state', `Could not send the request: ${r.message}`);
      follow(r.value);
    });
  });
  const first = await callBackground(platform, 'access.status', { refresh: true });
  if (first.ok) follow(first.value);
}

let polling: ReturnType<typeof setTimeout> | null = null;

function follow(status: AccessStatus): void {
  if (status.allowed && status.target) {
    setText('request-state', 'Access granted. Opening the page…');
    return location.replace(status.target);
  }
  const r = status.request;
  const form = document.getElementById('request-form');
  if (r) form?.setAttribute('hidden', '');
  const until = r?.expiresAt ? ` until ${new Date(r.expiresAt).toLocaleString()}` : '';
  const note = r?.note ? ` Note: ${r.note}` : '';
  switch (r?.state) {
    case 'pending':
      setText('request-state', 'Request sent. Waiting for an admin to decide…');
      break;
    case 'approved':
      setText('request-state', `Approved${until}. Opening the page…`);
      break;
    case 'denied':
      setText('request-state', `Your request was denied.${note}`);
      break;
    case 'expired':
    case 'revoked':
      setText('request-state', `Your access has ended.${note} You can ask again.`);
      form?.removeAttribute('hidden');
      break;
    default:
      return;
  }
  if (r.state !== 'pending' && r.state !== 'approved') return;
  if (polling) clearTimeout(polling);
  polling = setTimeout(() => {
    polling = null;
    void callBackground(platform, 'access.status', {}).then(
      (next) => next.ok && follow(next.value),
    );
  }, POLL_MS);
}

function render(info: BlockedInfo): void {
  if (info.reason === 'https_only') {
    setText('title', 'This page must use a secure connection');
    setText('message', 'Your organisation allows this site only over https.');
  }
  if (info.message) setText('message', info.message);
  show('url', info.url);
  show('filter', info.filter ?? undefined, true);
  show('policy', info.policyName);
  if (info.contact) {
    document.getElementById('contact')?.append(contactNode(document, info.contact));
    document.getElementById('contact-section')?.removeAttribute('hidden');
  }
}

function setText(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

function show(id: string, value: string | undefined, code = false): void {
  if (!value) return;
  const dd = document.getElementById(id);
  if (!dd) return;
  if (code) {
    const c = document.createElement('code');
    c.textContent = value;
    dd.replaceChildren(c);
  } else {
    dd.textContent = value;
  }
  dd.removeAttribute('hidden');
  document.getElementById(`${id}-label`)?.removeAttribute('hidden');
}

document.getElementById('back')?.addEventListener('click', () => {
  if (history.length > 1) history.back();
  else window.close();
});

void main();
