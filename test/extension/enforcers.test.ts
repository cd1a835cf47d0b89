import { setMaxListeners } from 'node:events';
import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clipboardApiEnforcer } from '../../extension/content/enforcers/clipboard-api.ts';
import { clipboardEnforcer } from '../../extension/content/enforcers/clipboard.ts';
import { printEnforcer } from '../../extension/content/enforcers/print.ts';
import { uploadEnforcer } from '../../extension/content/enforcers/upload.ts';
import { startEnforcers } from '../../extension/content/enforcer.ts';
import { EnforcerContext, type CallBackground } from '../../extension/content/enforcer-context.ts';
import type { DataControlRule } from '../../core/policy/types.ts';
import type { NoticeRequest } from '../../extension/shared/messages.ts';
import { ok } from '../../extension/shared/reply.ts';
import { textHash } from '../../extension/shared/text-hash.ts';

const rule = (
  rule_id: string,
  cls: DataControlRule['restrictions'][0]['class'],
  level: DataControlRule['restrictions'][0]['level'],
  extra: Partial<DataControlRule>,
): DataControlRule => ({
  name: rule_id.replace(/-/g, ' '),
  rule_id,
  restrictions: [{ class: cls, level }],
  ...extra,
});

const RULES: DataControlRule[] = [
  rule('corp-copy', 'CLIPBOARD', 'BLOCK', {
    sources: { urls: ['corp.test'] },
    destinations: { not: { urls: ['corp.test'] } },
  }),
  rule('wiki-copy', 'CLIPBOARD', 'WARN', { sources: { urls: ['wiki.test'] } }),
  rule('corp-print', 'PRINTING', 'BLOCK', { sources: { urls: ['corp.test'] } }),
  rule('upload-block', 'FILE_UPLOAD', 'BLOCK', { destinations: { urls: ['personal.test'] } }),
];

interface Page {
  win: Window & typeof globalThis;
  notices: NoticeRequest[];
  confirm: ReturnType<typeof vi.fn>;
  calls: { type: string; body: unknown }[];
  ctx: EnforcerContext;
}

const pages: HappyWindow[] = [];
afterEach(async () => {
  for (const p of pages.splice(0)) await p.happyDOM.close();
});

async function page(
  url: string,
  opts: { pasteTable?: [string, unknown][]; load?: boolean; answer?: boolean } = {},
): Promise<Page> {
  const happy = new HappyWindow({ url });
  pages.push(happy);
  const win = happy as unknown as Window & typeof globalThis;
  const notices: NoticeRequest[] = [];
  const confirm = vi.fn(async () => opts.answer ?? true);
  const calls: Page['calls'] = [];
  const call = (async (type: string, body: unknown) => {
    calls.push({ type, body });
    if (type === 'policy.snapshot') {
      return ok({
        enrolled: true,
        version: 1,
        controls: { dataControls: RULES, apps: [] },
        contact: 'it@corp.test',
      });
    }
    if (type === 'clipboard.pasteTable') return ok({ url, entries: opts.pasteTable ?? [] });
    return ok({ recorded: true });
  }) as CallBackground;
  const ctx = new EnforcerContext(win, call, {
    notice: (n) => notices.push(n),
    confirm,
    justify: async () => null,
  });
  const controller = new AbortController();
  setMaxListeners(50, controller.signal); // one listener per event type and enforcer
  startEnforcers(
    [clipboardEnforcer, clipboardApiEnforcer, printEnforcer, uploadEnforcer],
    ctx,
    controller.signal,
  );
  if (opts.load !== false) await ctx.refresh();
  return { win, notices, confirm, calls, ctx };
}

function select(win: Window & typeof globalThis, text: string): void {
  const p = win.document.createElement('p');
  p.textContent = text;
  win.document.body.append(p);
  const range = win.document.createRange();
  range.selectNodeContents(p);
  win.getSelection()!.removeAllRanges();
  win.getSelection()!.addRange(range);
}

function clipboardEvent(win: Window & typeof globalThis, type: string, text?: string): Event {
  const data = new win.DataTransfer();
  if (text !== undefined) data.setData('text/plain', text);
  return new win.ClipboardEvent(type, { bubbles: true, cancelable: true, clipboardData: data });
}

const records = (p: Page) => p.calls.filter((c) => c.type === 'audit.record').map((c) => c.body);
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('clipboard enforcer', () => {
  it('blocks a copy on a restricted source, names the rule and records it', async () => {
    const p = await page('https://corp.test/doc');
    select(p.win, 'quarterly numbers');
    const e = clipboardEvent(p.win, 'copy');
    p.win.document.body.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(true);
    expect(p.notices).toEqual([
      expect.objectContaining({
        title: 'Copying is blocked here',
        ruleName: 'corp copy',
        contact: 'it@corp.test',
      }),
    ]);
    expect(records(p)).toEqual([{ action: 'copy', outcome: 'blocked' }]);
  });

  it('lets a copy elsewhere through and keeps only a hash of the text', async () => {
    const p = await page('https://personal.test/');
    select(p.win, 'holiday plans');
    const e = clipboardEvent(p.win, 'copy');
    p.win.document.body.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(false);
    expect(p.calls.find((c) => c.type === 'clipboard.copied')?.body).toEqual({
      hash: textHash('holiday plans'),
    });
    expect(JSON.stringify(p.calls)).not.toContain('holiday plans');
  });

  it('blocks pasting text that was copied on a restricted source, allows other text', async () => {
    const restricted = 'corp secret';
    const p = await page('https://personal.test/mail', {
      pasteTable: [
        [
          textHash(restricted),
          { level: 'BLOCK', rule: { rule_id: 'corp-copy', name: 'corp copy' } },
        ],
      ],
    });
    const blocked = clipboardEvent(p.win, 'paste', restricted);
    p.win.document.body.dispatchEvent(blocked);
    expect(blocked.defaultPrevented).toBe(true);
    expect(records(p)).toEqual([
      { action: 'paste', outcome: 'blocked', pasteHash: textHash(restricted) },
    ]);

    const fine = clipboardEvent(p.win, 'paste', 'from another app');
    p.win.document.body.dispatchEvent(fine);
    expect(fine.defaultPrevented).toBe(false);
  });

  it('fails closed while the policy is still loading', async () => {
    const p = await page('https://personal.test/', { load: false });
    select(p.win, 'x');
    const e = clipboardEvent(p.win, 'copy');
    p.win.document.body.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(true);
    expect(p.notices[0]?.body).toMatch(/still loading/);
    expect(records(p)).toEqual([]);
  });

  it('WARN asks, records the choice and copies only after "proceed"', async () => {
    const p = await page('https://wiki.test/page', { answer: true });
    const exec = vi.fn(() => true);
    (p.win.document as unknown as { execCommand: typeof exec }).execCommand = exec;
    select(p.win, 'wiki text');
    const e = clipboardEvent(p.win, 'copy');
    p.win.document.body.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(true);
    await flush();
    expect(p.confirm).toHaveBeenCalledWith(
      expect.objectContaining({ ruleName: 'wiki copy', proceedLabel: 'Copy' }),
    );
    expect(records(p)).toEqual([{ action: 'copy', outcome: 'proceeded' }]);
    expect(exec).toHaveBeenCalledWith('copy');
  });

  it('WARN cancelled: nothing is copied and the refusal is recorded', async () => {
    const p = await page('https://wiki.test/page', { answer: false });
    const exec = vi.fn(() => true);
    (p.win.document as unknown as { execCommand: typeof exec }).execCommand = exec;
    select(p.win, 'wiki text');
    p.win.document.body.dispatchEvent(clipboardEvent(p.win, 'copy'));
    await flush();
    expect(records(p)).toEqual([{ action: 'copy', outcome: 'cancelled' }]);
    expect(exec).not.toHaveBeenCalled();
  });
});

describe('clipboard API enforcer (navigator.clipboard, asked from the MAIN world)', () => {
  /** Does what main-world.ts does: request, and wait for the answer event. */
  function ask(
    p: Page,
    action: 'copy' | 'paste',
    text: string,
  ): { handled: boolean; answer: Promise<boolean> } {
    const doc = p.win.document;
    const answer = new Promise<boolean>((resolve) =>
      doc.addEventListener('palisade:clipboard-answer', (e) =>
        resolve(JSON.parse((e as CustomEvent).detail).allow),
      ),
    );
    const request = new p.win.CustomEvent('palisade:clipboard-request', {
      cancelable: true,
      detail: JSON.stringify({ id: 1, action, text }),
    });
    return { handled: !doc.dispatchEvent(request), answer };
  }

  it('refuses writeText on a restricted source, with the notice and the record', async () => {
    const p = await page('https://corp.test/doc');
    const { handled, answer } = ask(p, 'copy', 'quarterly numbers');
    expect(handled).toBe(true);
    expect(await answer).toBe(false);
    expect(p.notices[0]).toMatchObject({ ruleName: 'corp copy' });
    expect(records(p)).toEqual([{ action: 'copy', outcome: 'blocked' }]);
  });

  it('allows writeText elsewhere and tracks its provenance', async () => {
    const p = await page('https://personal.test/');
    expect(await ask(p, 'copy', 'hello').answer).toBe(true);
    expect(p.calls.find((c) => c.type === 'clipboard.copied')?.body).toEqual({
      hash: textHash('hello'),
    });
  });

  it('withholds readText results that came from a restricted source', async () => {
    const p = await page('https://personal.test/', {
      pasteTable: [
        [
          textHash('corp secret'),
          { level: 'BLOCK', rule: { rule_id: 'corp-copy', name: 'corp copy' } },
        ],
      ],
    });
    expect(await ask(p, 'paste', 'corp secret').answer).toBe(false);
    expect(await ask(p, 'paste', 'anything else').answer).toBe(true);
  });
});

describe('print enforcer', () => {
  it('answers a page print() with a notice when printing is blocked', async () => {
    const p = await page('https://corp.test/doc');
    const nativePrint = vi.fn();
    p.win.print = nativePrint;
    p.win.document.dispatchEvent(new p.win.CustomEvent('palisade:print-request'));
    expect(nativePrint).not.toHaveBeenCalled();
    expect(p.notices[0]).toMatchObject({
      title: 'Printing is blocked here',
      ruleName: 'corp print',
    });
    expect(records(p)).toEqual([{ action: 'print', outcome: 'blocked' }]);
  });

  it("prints where no rule applies, synchronously inside the page's print() call", async () => {
    const p = await page('https://personal.test/');
    const nativePrint = vi.fn();
    p.win.print = nativePrint;
    p.win.document.dispatchEvent(new p.win.CustomEvent('palisade:print-request'));
    expect(nativePrint).toHaveBeenCalledOnce();
  });

  it('blanks the printout from the browser menu and stops Ctrl+P', async () => {
    const p = await page('https://corp.test/doc');
    p.win.dispatchEvent(new p.win.Event('beforeprint'));
    expect(p.win.document.querySelector('style[data-palisade="print-guard"]')).not.toBeNull();
    p.win.dispatchEvent(new p.win.Event('afterprint'));
    expect(p.win.document.querySelector('style[data-palisade="print-guard"]')).toBeNull();
    const key = new p.win.KeyboardEvent('keydown', {
      key: 'p',
      ctrlKey: true,
      cancelable: true,
      bubbles: true,
    });
    p.win.document.body.dispatchEvent(key);
    expect(key.defaultPrevented).toBe(true);
  });
});

describe('upload enforcer', () => {
  it('stops the file picker on a blocked destination', async () => {
    const p = await page('https://personal.test/upload');
    const input = p.win.document.createElement('input');
    input.type = 'file';
    p.win.document.body.append(input);
    const click = new p.win.MouseEvent('click', { bubbles: true, cancelable: true });
    input.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(p.notices[0]).toMatchObject({
      title: 'Uploading files is blocked here',
      ruleName: 'upload block',
    });
  });

  it('leaves file inputs alone where uploads are allowed', async () => {
    const p = await page('https://corp.test/upload');
    const input = p.win.document.createElement('input');
    input.type = 'file';
    p.win.document.body.append(input);
    const click = new p.win.MouseEvent('click', { bubbles: true, cancelable: true });
    input.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(false);
  });
});
