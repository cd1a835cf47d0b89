import { createPagePlatform } from '../../platform/browser.ts';
import { callBackground } from '../../shared/call-background.ts';
import type { BlockedInfo } from '../../shared/messages.ts';
import { contactNode } from '../shared/contact.ts';

/**
 * The blocked page. It asks the background what was blocked in this tab: the URL (already
 * reduced to the policy's auditUrlDetail — with `none` the page says nothing about it),
 * the deciding filter, the policy's message and whom to ask.
 */
async function main(): Promise<void> {
  const reply = await callBackground(createPagePlatform(), 'blocked.info', {});
  if (reply.ok) render(reply.value);
  document.getElementById('title')?.focus();
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
