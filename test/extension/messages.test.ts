import { describe, expect, it } from 'vitest';
import { senderMatches } from '../../extension/background/message-router.ts';
import { parseBackgroundMessage } from '../../extension/shared/messages.ts';
import { parsePwaMessage } from '../../extension/shared/pwa-protocol.ts';
import { CONTENT, enrolledOffline, POPUP, recordFromPage, startHarness } from './fakes/harness.ts';

const SELF = { id: 'ext', baseUrl: 'chrome-extension://ext/' };

describe('message catalogue', () => {
  it.each([
    [{ type: 'policy.snapshot', body: {} }, true],
    [{ type: 'policy.snapshot', body: { extra: 1 } }, false],
    [{ type: 'policy.snapshot' }, false],
    [{ type: 'nope', body: {} }, false],
    [{ type: 'toString', body: {} }, false],
    [{ type: 'audit.record', body: { action: 'copy', outcome: 'blocked' } }, true],
    [{ type: 'audit.record', body: { action: 'copy', outcome: 'blocked', level: 'ALLOW' } }, false],
    [{ type: 'audit.record', body: { action: 'navigate', outcome: 'blocked' } }, false],
    [
      {
        type: 'audit.record',
        body: { action: 'copy', outcome: 'allowed', pasteHash: '0123456789abcd' },
      },
      false,
    ],
    [
      {
        type: 'audit.record',
        body: { action: 'paste', outcome: 'allowed', pasteHash: '0123456789abcd' },
      },
      true,
    ],
    [{ type: 'clipboard.copied', body: { hash: 'secret text' } }, false],
    [{ type: 'pair.request', body: { token: 't', serverUrl: 'https://x.test' } }, true],
    [{ type: 'pair.request', body: { token: 1, serverUrl: 'https://x.test' } }, false],
    [{ type: 'pair.decide', body: { requestId: 'r', accept: 'yes' } }, false],
    ['policy.snapshot', false],
    [null, false],
  ])('%j → valid %s', (raw, valid) => {
    expect(parseBackgroundMessage(raw) !== null).toBe(valid);
  });

  it.each([
    ['content', { id: 'ext', url: 'https://a.test/', tabId: 1, frameId: 3 }, true],
    ['content', { id: 'other', url: 'https://a.test/', tabId: 1, frameId: 0 }, false],
    ['content', { id: 'ext', url: 'chrome-extension://ext/pages/popup.html', tabId: 1 }, false],
    ['bridge', { id: 'ext', url: 'https://a.test/', tabId: 1, frameId: 0 }, true],
    ['bridge', { id: 'ext', url: 'https://a.test/', tabId: 1, frameId: 2 }, false],
    ['popup', { id: 'ext', url: 'chrome-extension://ext/pages/popup.html' }, true],
    ['popup', { id: 'ext', url: 'https://evil.test/pages/popup.html', tabId: 1 }, false],
    [
      'blocked-page',
      { id: 'ext', url: 'chrome-extension://ext/pages/blocked.html', tabId: 4, frameId: 0 },
      true,
    ],
    ['pair-page', { id: 'ext', url: 'chrome-extension://ext/pages/pair.html#abc', tabId: 4 }, true],
    [
      'pair-page',
      { id: 'ext', url: 'chrome-extension://ext/pages/pair.html.evil', tabId: 4 },
      false,
    ],
  ] as const)('%s accepts %j: %s', (rule, sender, expected) => {
    expect(senderMatches(rule, sender, SELF)).toBe(expected);
  });

  it('parses only exact PWA messages', () => {
    expect(parsePwaMessage({ source: 'palisade-pwa', type: 'ping' })).toEqual({ type: 'ping' });
    expect(parsePwaMessage({ source: 'other', type: 'ping' })).toBeNull();
    expect(
      parsePwaMessage({ source: 'palisade-pwa', type: 'pair', token: '', serverUrl: 'https://x' }),
    ).toBeNull();
  });
});

describe('message routing in the background', () => {
  it('replies { ok: false, code } to malformed messages and wrong senders', async () => {
    const h = await startHarness();
    expect(await h.send('status.get', { x: 1 }, POPUP)).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    expect(await h.send('status.get', {}, CONTENT('https://a.test/'))).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await h.send('status.get', {}, POPUP)).toMatchObject({
      ok: true,
      value: { enrolled: false },
    });
  });

  it('refuses a pairing request whose serverUrl is not the page origin', async () => {
    const h = await startHarness();
    const reply = await h.send(
      'pair.request',
      { token: 't', serverUrl: 'https://evil.test' },
      CONTENT('https://palisade.test/pair'),
    );
    expect(reply).toMatchObject({ ok: false, code: 'forbidden' });
    expect(h.platform.tabsCreated).toHaveLength(0);
  });

  it('records what the background decides, not what the content script claims', async () => {
    const h = await enrolledOffline({
      dataControls: [
        {
          name: 'No corp copies',
          rule_id: 'corp-copy',
          sources: { urls: ['corp.test'] },
          restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
        },
      ],
    });
    // A page with no rule cannot make the background record anything…
    expect(
      await recordFromPage(h, 'https://personal.test/', { action: 'copy', outcome: 'blocked' }),
    ).toMatchObject({
      ok: true,
      value: { recorded: false },
    });
    // …and on corp the outcome is corrected to what BLOCK means.
    await recordFromPage(h, 'https://corp.test/doc', { action: 'copy', outcome: 'proceeded' });
    const [event] = await h.queue.oldest(10);
    expect(event).toMatchObject({
      kind: 'clipboard',
      action: 'copy',
      level: 'BLOCK',
      outcome: 'blocked',
      ruleId: 'corp-copy',
      url: 'https://corp.test/doc',
    });
  });
});
