import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JUSTIFICATION_MAX } from '../../core/policy/justification.ts';
import type { DataControlRule } from '../../core/policy/types.ts';
import { startEnforcers } from '../../extension/content/enforcer.ts';
import { EnforcerContext, type CallBackground } from '../../extension/content/enforcer-context.ts';
import { clipboardEnforcer } from '../../extension/content/enforcers/clipboard.ts';
import { justificationDialog } from '../../extension/content/ui/confirm-dialog.ts';
import { REQUEST_GUARDS } from '../../extension/shared/messages.ts';
import { ok } from '../../extension/shared/reply.ts';
import { enrolledOffline, recordFromPage, waitUntil } from './fakes/harness.ts';

const RULES: DataControlRule[] = [
  {
    name: 'Say why you copy',
    rule_id: 'notes-copy',
    requireJustification: true,
    sources: { urls: ['notes.test'] },
    restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
  },
  {
    name: 'Plain warning',
    rule_id: 'wiki-copy',
    sources: { urls: ['wiki.test'] },
    restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
  },
];

const windows: HappyWindow[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

function open(url: string) {
  const happy = new HappyWindow({ url });
  windows.push(happy);
  return happy as unknown as Window & typeof globalThis;
}

async function page(url: string, reason: string | null) {
  const win = open(url);
  const calls: { type: string; body: unknown }[] = [];
  const call = (async (type: string, body: unknown) => {
    calls.push({ type, body });
    if (type === 'policy.snapshot')
      return ok({ enrolled: true, version: 1, controls: { dataControls: RULES, apps: [] } });
    if (type === 'clipboard.pasteTable') return ok({ url, entries: [] });
    return ok({ recorded: true });
  }) as CallBackground;
  const confirm = vi.fn(async () => true);
  const justify = vi.fn(async () => reason);
  const ctx = new EnforcerContext(win, call, { notice: () => undefined, confirm, justify });
  startEnforcers([clipboardEnforcer], ctx, new AbortController().signal);
  await ctx.refresh();
  const exec = vi.fn(() => true);
  (win.document as unknown as { execCommand: typeof exec }).execCommand = exec;
  const p = win.document.createElement('p');
  p.textContent = 'meeting notes';
  win.document.body.append(p);
  win.getSelection()!.selectAllChildren(p);
  const copy = () => {
    const e = new win.ClipboardEvent('copy', {
      bubbles: true,
      cancelable: true,
      clipboardData: new win.DataTransfer(),
    });
    win.document.body.dispatchEvent(e);
    return e;
  };
  const records = () => calls.filter((c) => c.type === 'audit.record').map((c) => c.body);
  return { copy, records, confirm, justify, exec };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('a WARN that requires a justification', () => {
  it('asks for the reason instead of a plain yes/no, and records it with the choice', async () => {
    const p = await page('https://notes.test/board', 'Sharing with the auditor');
    expect(p.copy().defaultPrevented).toBe(true);
    await flush();
    expect(p.confirm).not.toHaveBeenCalled();
    expect(p.justify).toHaveBeenCalledWith(
      expect.objectContaining({ ruleName: 'Say why you copy', proceedLabel: 'Copy' }),
    );
    expect(p.records()).toEqual([
      { action: 'copy', outcome: 'proceeded', justification: 'Sharing with the auditor' },
    ]);
    expect(p.exec).toHaveBeenCalledWith('copy');
  });

  it('cancelled from the reason dialog: nothing copied, no reason recorded', async () => {
    const p = await page('https://notes.test/board', null);
    p.copy();
    await flush();
    expect(p.records()).toEqual([{ action: 'copy', outcome: 'cancelled' }]);
    expect(p.exec).not.toHaveBeenCalled();
  });

  it('a rule without the setting still asks yes/no only', async () => {
    const p = await page('https://wiki.test/', 'unused');
    p.copy();
    await flush();
    expect(p.justify).not.toHaveBeenCalled();
    expect(p.records()).toEqual([{ action: 'copy', outcome: 'proceeded' }]);
  });
});

describe('the reason dialog', () => {
  const options = { title: 'Copy anyway?', body: 'Confirm.', proceedLabel: 'Copy' };
  const parts = (win: Window & typeof globalThis) => {
    const root = win.document.querySelector('[data-palisade="confirm"]')!.shadowRoot!;
    return {
      reason: root.querySelector('textarea')!,
      proceed: root.querySelector<HTMLButtonElement>('[data-choice="proceed"]')!,
      cancel: root.querySelector<HTMLButtonElement>('[data-choice="cancel"]')!,
    };
  };
  const type = (win: Window & typeof globalThis, el: HTMLTextAreaElement, text: string) => {
    el.value = text;
    el.dispatchEvent(new win.Event('input', { bubbles: true }));
  };

  it('cannot go on empty or too short, limits the length, and resolves the folded reason', async () => {
    const win = open('https://notes.test/');
    const answer = justificationDialog(win.document, options);
    const { reason, proceed } = parts(win);
    expect(reason.getAttribute('maxlength')).toBe(String(JUSTIFICATION_MAX));
    expect(proceed.disabled).toBe(true);
    proceed.click(); // disabled: nothing happens
    type(win, reason, '  ok ');
    expect(proceed.disabled).toBe(true);
    type(win, reason, 'Customer asked\nfor the file');
    expect(proceed.disabled).toBe(false);
    proceed.click();
    expect(await answer).toBe('Customer asked for the file');
    expect(win.document.querySelector('[data-palisade="confirm"]')).toBeNull();
  });

  it('Cancel resolves null', async () => {
    const win = open('https://notes.test/');
    const answer = justificationDialog(win.document, options);
    parts(win).cancel.click();
    expect(await answer).toBeNull();
  });
});

describe('the background keeps the reason only where the rule asked for it', () => {
  it.each([
    {
      name: 'a reason for a rule that asks',
      page: 'https://notes.test/',
      body: { action: 'copy', outcome: 'proceeded', justification: 'For the audit\treport' },
      detail: { justification: 'For the audit report' },
    },
    {
      name: 'no reason where one was required (a page that skipped the dialog)',
      page: 'https://notes.test/',
      body: { action: 'copy', outcome: 'proceeded' },
      detail: { justification_missing: true },
    },
    {
      name: 'a reason the rule did not ask for is dropped',
      page: 'https://wiki.test/',
      body: { action: 'copy', outcome: 'proceeded', justification: 'Nobody asked me' },
      detail: undefined,
    },
  ])('$name', async ({ page: url, body, detail }) => {
    const h = await enrolledOffline({ dataControls: RULES });
    await recordFromPage(h, url, body);
    const [event] = await h.queue.oldest(1);
    expect(event).toMatchObject({
      kind: 'clipboard',
      ruleId: url.includes('wiki') ? 'wiki-copy' : 'notes-copy',
      outcome: 'proceeded',
    });
    expect(event?.detail).toEqual(detail);
  });

  it.each([
    {
      body: { action: 'copy', outcome: 'proceeded', justification: 'x'.repeat(JUSTIFICATION_MAX) },
      valid: true,
    },
    {
      body: {
        action: 'copy',
        outcome: 'proceeded',
        justification: 'x'.repeat(JUSTIFICATION_MAX + 1),
      },
      valid: false,
    },
    { body: { action: 'copy', outcome: 'cancelled', justification: 'a reason' }, valid: false },
    { body: { action: 'copy', outcome: 'proceeded', justification: '' }, valid: false },
    { body: { action: 'copy', outcome: 'proceeded', justification: 42 }, valid: false },
  ])('the message guard: $body.outcome, $valid', ({ body, valid }) => {
    expect(REQUEST_GUARDS['audit.record'](body)).toBe(valid);
  });
});

describe('a download WARN that requires a justification', () => {
  const policy = {
    dataControls: [
      {
        name: 'Say why you download',
        rule_id: 'dl-why',
        requireJustification: true,
        sources: { urls: ['files.test'] },
        restrictions: [{ class: 'FILE_DOWNLOAD' as const, level: 'WARN' as const }],
      },
    ],
  };
  const start = async (value: unknown) => {
    const h = await enrolledOffline(policy);
    h.platform.tabReply = () => ({ ok: true, value });
    h.platform.fireDownload({ id: 7, url: 'https://files.test/a.zip' });
    await waitUntil(async () => (await h.queue.count()) === 1);
    return h;
  };

  it('asks the page for the reason and records it', async () => {
    const h = await start({ proceed: true, justification: 'Vendor  contract' });
    expect(h.platform.tabMessages[0]?.message).toMatchObject({
      type: 'confirm.ask',
      body: { justify: true, ruleName: 'Say why you download' },
    });
    expect(h.platform.downloadCalls).toEqual(['pause:7', 'resume:7']);
    expect((await h.queue.oldest(1))[0]).toMatchObject({
      outcome: 'proceeded',
      detail: { justification: 'Vendor contract' },
    });
  });

  it('a "proceed" without a reason is a cancel (fail closed)', async () => {
    const h = await start({ proceed: true });
    expect(h.platform.downloadCalls).toContain('cancel:7');
    expect((await h.queue.oldest(1))[0]).toMatchObject({ outcome: 'cancelled' });
  });
});
