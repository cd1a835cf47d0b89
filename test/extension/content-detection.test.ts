import { setMaxListeners } from 'node:events';
import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateAuditEvent } from '../../core/audit/validate-audit-event.ts';
import type { DataControlRule } from '../../core/policy/types.ts';
import { startEnforcers } from '../../extension/content/enforcer.ts';
import { EnforcerContext, type CallBackground } from '../../extension/content/enforcer-context.ts';
import { clipboardApiEnforcer } from '../../extension/content/enforcers/clipboard-api.ts';
import { clipboardEnforcer } from '../../extension/content/enforcers/clipboard.ts';
import { formEnforcer } from '../../extension/content/enforcers/form.ts';
import { uploadEnforcer } from '../../extension/content/enforcers/upload.ts';
import {
  CLIPBOARD_ANSWER,
  CLIPBOARD_REQUEST,
} from '../../extension/content/main-world-protocol.ts';
import { parseBackgroundMessage } from '../../extension/shared/messages.ts';
import { ok } from '../../extension/shared/reply.ts';
import { enrolledOffline, recordFromPage } from './fakes/harness.ts';

const CARD = '4111 1111 1111 1111';
const KEY = 'AKIAIOSFODNN7EXAMPLE';

const RULES: DataControlRule[] = [
  {
    name: 'No cards outside corp',
    rule_id: 'cards',
    destinations: { not: { urls: ['corp.test'] } },
    content: { detectors: ['payment_card'] },
    restrictions: [
      { class: 'CLIPBOARD', level: 'BLOCK' },
      { class: 'FILE_UPLOAD', level: 'BLOCK' },
    ],
  },
  {
    name: 'Ask before sharing cloud keys',
    rule_id: 'keys',
    content: { detectors: ['cloud_token'] },
    restrictions: [
      { class: 'CLIPBOARD', level: 'WARN' },
      { class: 'FILE_UPLOAD', level: 'WARN' },
    ],
  },
];

const pages: HappyWindow[] = [];
afterEach(async () => {
  for (const p of pages.splice(0)) await p.happyDOM.close();
});

async function page(url: string, answer = true) {
  const happy = new HappyWindow({ url });
  pages.push(happy);
  const win = happy as unknown as Window & typeof globalThis;
  const notices: unknown[] = [];
  const calls: { type: string; body: unknown }[] = [];
  const call = (async (type: string, body: unknown) => {
    calls.push({ type, body });
    if (type === 'policy.snapshot') {
      return ok({ enrolled: true, version: 1, controls: { dataControls: RULES, apps: [] } });
    }
    if (type === 'clipboard.pasteTable') return ok({ url, entries: [] });
    return ok({ recorded: true });
  }) as CallBackground;
  const confirm = vi.fn(async () => answer);
  const ctx = new EnforcerContext(win, call, {
    notice: (n) => notices.push(n),
    confirm,
    justify: async () => null,
  });
  const controller = new AbortController();
  setMaxListeners(50, controller.signal);
  startEnforcers(
    [clipboardEnforcer, clipboardApiEnforcer, uploadEnforcer, formEnforcer],
    ctx,
    controller.signal,
  );
  await ctx.refresh();
  const records = () => calls.filter((c) => c.type === 'audit.record').map((c) => c.body);
  return { win, notices, calls, confirm, records };
}

const flush = () => new Promise((r) => setTimeout(r, 20));

function paste(win: Window & typeof globalThis, text: string, type = 'paste'): Event {
  const data = new win.DataTransfer();
  data.setData('text/plain', text);
  let e: Event;
  if (type === 'drop') {
    // happy-dom's DragEvent drops `dataTransfer`: attach it as the browser would.
    e = new win.Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(e, 'dataTransfer', { value: data });
  } else {
    e = new win.ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data });
  }
  win.document.body.dispatchEvent(e);
  return e;
}

describe('content detection in the content script', () => {
  it.each([
    ['paste', 'https://personal.test/', `my card ${CARD} thanks`, true],
    ['drop', 'https://personal.test/', `my card ${CARD} thanks`, true],
    ['paste', 'https://personal.test/', 'my card 4111 1111 1111 1112', false], // bad Luhn
    ['paste', 'https://corp.test/', `my card ${CARD}`, false], // the rule spares corp
    ['paste', 'https://personal.test/', 'nothing sensitive', false],
  ])('%s into %s of %j → blocked %s', async (type, url, text, blocked) => {
    const p = await page(url);
    const e = paste(p.win, text, type);
    expect(e.defaultPrevented).toBe(blocked);
    if (blocked) {
      expect(p.notices).toEqual([expect.objectContaining({ ruleName: 'No cards outside corp' })]);
      expect(p.records()).toEqual([
        expect.objectContaining({
          action: 'paste',
          outcome: 'blocked',
          detections: { payment_card: 1 },
        }),
      ]);
    } else expect(p.records()).toEqual([]);
  });

  it('never sends the pasted text or any part of a match to the background', async () => {
    const p = await page('https://personal.test/');
    paste(p.win, `card ${CARD} and key ${KEY}`);
    await flush();
    const sent = JSON.stringify(p.calls);
    for (const secret of [CARD, CARD.replace(/ /g, ''), '1111', KEY, 'AKIA']) {
      expect(sent).not.toContain(secret);
    }
  });

  it('WARN on a cloud key: asks, then inserts the text only after "proceed"', async () => {
    const p = await page('https://personal.test/', true);
    const exec = vi.fn(() => true);
    (p.win.document as unknown as { execCommand: typeof exec }).execCommand = exec;
    const e = paste(p.win, `key ${KEY}`);
    expect(e.defaultPrevented).toBe(true);
    await flush();
    expect(p.confirm).toHaveBeenCalledWith(
      expect.objectContaining({ ruleName: 'Ask before sharing cloud keys' }),
    );
    expect(p.records()).toEqual([
      expect.objectContaining({ outcome: 'proceeded', detections: { cloud_token: 1 } }),
    ]);
    expect(exec).toHaveBeenCalledWith('insertText', false, `key ${KEY}`);
  });

  it('blocks a form submission whose fields hold a card number, lets others through', async () => {
    const p = await page('https://personal.test/checkout');
    const form = p.win.document.createElement('form');
    form.innerHTML = '<input name="note"><textarea name="body"></textarea>';
    p.win.document.body.append(form);
    const submit = () => {
      const e = new p.win.SubmitEvent('submit', { bubbles: true, cancelable: true });
      form.dispatchEvent(e);
      return e;
    };
    (form.elements.namedItem('body') as HTMLTextAreaElement).value = 'hello';
    expect(submit().defaultPrevented).toBe(false);
    (form.elements.namedItem('body') as HTMLTextAreaElement).value = `pay with ${CARD}`;
    expect(submit().defaultPrevented).toBe(true);
    expect(p.records()).toEqual([
      { action: 'upload', outcome: 'blocked', detections: { payment_card: 1 }, form: true },
    ]);
  });

  it('holds back a picked text file, scans it and blocks it when it holds a card number', async () => {
    const p = await page('https://personal.test/upload');
    const input = p.win.document.createElement('input');
    input.type = 'file';
    p.win.document.body.append(input);
    const seen = vi.fn();
    input.addEventListener('change', seen);
    const pick = async (file: File) => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      const e = new p.win.Event('change', { bubbles: true, cancelable: true });
      input.dispatchEvent(e);
      await flush();
      return e;
    };
    await pick(new p.win.File([`name,card\nJane,${CARD}\n`], 'export.csv', { type: 'text/csv' }));
    expect(seen).not.toHaveBeenCalled();
    expect(p.records()).toEqual([
      { action: 'upload', outcome: 'blocked', detections: { payment_card: 1 } },
    ]);
    await pick(new p.win.File(['just notes'], 'notes.txt', { type: 'text/plain' }));
    expect(seen).toHaveBeenCalledTimes(1); // handed to the page after the scan
    await pick(new p.win.File([CARD], 'photo.png', { type: 'image/png' }));
    expect(seen).toHaveBeenCalledTimes(2); // not a text file: not read
  });

  it('withholds navigator.clipboard.readText results holding a card number', async () => {
    const p = await page('https://personal.test/');
    const answer = new Promise<boolean>((resolve) => {
      p.win.document.addEventListener(CLIPBOARD_ANSWER, (e) =>
        resolve((JSON.parse((e as CustomEvent).detail as string) as { allow: boolean }).allow),
      );
    });
    p.win.document.dispatchEvent(
      new p.win.CustomEvent(CLIPBOARD_REQUEST, {
        cancelable: true,
        detail: JSON.stringify({ id: 1, action: 'paste', text: CARD }),
      }),
    );
    expect(await answer).toBe(false);
  });
});

describe('the background records detections, never content', () => {
  it.each([
    [{ action: 'paste', outcome: 'blocked', detections: { payment_card: 2 } }, true],
    [{ action: 'upload', outcome: 'blocked', detections: { 'custom.prj': 1 }, form: true }, true],
    [{ action: 'paste', outcome: 'blocked', detections: { payment_card: '4111' } }, false],
    [{ action: 'paste', outcome: 'blocked', detections: { 'a b': 1 } }, false],
    [{ action: 'paste', outcome: 'blocked', detections: { payment_card: 0 } }, false],
    [{ action: 'paste', outcome: 'blocked', form: true }, false],
  ])('audit.record %j → valid %s', (body, valid) => {
    expect(parseBackgroundMessage({ type: 'audit.record', body }) !== null).toBe(valid);
  });

  it('re-decides with the counts and puts them in the event, which the server accepts', async () => {
    const h = await enrolledOffline({ dataControls: RULES });
    // No detections: the content rule does not apply, nothing is recorded.
    expect(
      await recordFromPage(h, 'https://personal.test/', { action: 'paste', outcome: 'blocked' }),
    ).toMatchObject({ ok: true, value: { recorded: false } });
    await recordFromPage(h, 'https://personal.test/form', {
      action: 'upload',
      outcome: 'blocked',
      detections: { payment_card: 2, jwt: 1 },
      form: true,
    });
    const [event] = await h.queue.oldest(10);
    expect(event).toMatchObject({
      kind: 'upload',
      action: 'upload',
      level: 'BLOCK',
      ruleId: 'cards',
      detail: { detections: 'payment_card:2', via: 'form' },
    });
    expect(validateAuditEvent(event).ok).toBe(true);
  });
});
