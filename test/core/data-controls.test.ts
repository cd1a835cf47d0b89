import { describe, expect, it } from 'vitest';
import { buildDataControls, type DataQuery } from '../../core/policy/data-controls.ts';
import { mergePolicies } from '../../core/policy/merge-policies.ts';
import type { PolicyDocument } from '../../core/policy/types.ts';

const policy: PolicyDocument = {
  apps: [{ id: 'mail', name: 'Mail', urls: ['mail.corp.test'] }],
  dataControls: [
    {
      name: 'Corp data stays in corp',
      rule_id: 'corp-copy',
      sources: { urls: ['corp.test'] },
      destinations: { not: { urls: ['corp.test'] } },
      restrictions: [
        { class: 'CLIPBOARD', level: 'BLOCK' },
        { class: 'PRINTING', level: 'BLOCK' },
      ],
    },
    {
      name: 'No pasting wiki content into the personal site',
      rule_id: 'wiki-paste',
      sources: { urls: ['wiki.test'] },
      destinations: { urls: ['personal.test'] },
      restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
    },
    {
      name: 'Warn on downloads from files',
      rule_id: 'files-download',
      sources: { urls: ['files.test'] },
      restrictions: [{ class: 'FILE_DOWNLOAD', level: 'WARN' }],
    },
    {
      name: 'Report uploads to share',
      rule_id: 'share-upload',
      destinations: { urls: ['share.test'] },
      restrictions: [{ class: 'FILE_UPLOAD', level: 'REPORT' }],
    },
    {
      name: 'Mail may print',
      rule_id: 'mail-print',
      sources: { apps: ['mail'] },
      restrictions: [{ class: 'PRINTING', level: 'ALLOW' }],
    },
    {
      name: 'Incognito never prints',
      rule_id: 'incognito-print',
      sources: { incognito: true },
      restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
    },
  ],
};

const controls = buildDataControls(mergePolicies([policy]));
const page = (url: string) => ({ url });

const table: { name: string; q: DataQuery; level: string | null; rule?: string }[] = [
  {
    name: 'copy on corp reaches the OS clipboard, which is not corp: blocked',
    q: {
      action: 'copy',
      source: page('https://corp.test/doc'),
      destination: { os_clipboard: true },
    },
    level: 'BLOCK',
    rule: 'corp-copy',
  },
  {
    name: 'copy elsewhere is not governed',
    q: { action: 'copy', source: page('https://news.test/'), destination: { os_clipboard: true } },
    level: null,
  },
  {
    name: 'copy on wiki is allowed (its rule only names personal.test)',
    q: { action: 'copy', source: page('https://wiki.test/'), destination: { os_clipboard: true } },
    level: null,
  },
  {
    name: 'paste of wiki content into personal.test: blocked',
    q: {
      action: 'paste',
      source: page('https://wiki.test/a'),
      destination: page('https://personal.test/'),
    },
    level: 'BLOCK',
    rule: 'wiki-paste',
  },
  {
    name: 'paste of wiki content into corp: allowed',
    q: {
      action: 'paste',
      source: page('https://wiki.test/a'),
      destination: page('https://corp.test/'),
    },
    level: null,
  },
  {
    name: 'paste corp → corp subdomain stays inside corp',
    q: {
      action: 'paste',
      source: page('https://corp.test/'),
      destination: page('https://a.corp.test/'),
    },
    level: null,
  },
  {
    name: 'printing a corp page: blocked',
    q: { action: 'print', source: page('https://corp.test/x') },
    level: 'BLOCK',
    rule: 'corp-copy',
  },
  {
    name: 'ALLOW beats BLOCK: mail (inside corp) may print',
    q: { action: 'print', source: page('https://mail.corp.test/') },
    level: 'ALLOW',
    rule: 'mail-print',
  },
  {
    name: 'incognito printing: blocked',
    q: { action: 'print', source: { url: 'https://news.test/', incognito: true } },
    level: 'BLOCK',
    rule: 'incognito-print',
  },
  {
    name: 'download from files: warn',
    q: { action: 'download', source: page('https://files.test/report.pdf') },
    level: 'WARN',
    rule: 'files-download',
  },
  {
    name: 'upload to share: report',
    q: { action: 'upload', destination: page('https://share.test/upload') },
    level: 'REPORT',
    rule: 'share-upload',
  },
  {
    name: 'upload elsewhere: nothing',
    q: { action: 'upload', destination: page('https://other.test/') },
    level: null,
  },
];

describe('data controls decide', () => {
  it.each(table)('$name', ({ q, level, rule }) => {
    const d = controls.decide(q);
    expect(d.level).toBe(level);
    expect(d.rule?.rule_id).toBe(rule);
  });

  it('BLOCK beats WARN beats REPORT regardless of rule order', () => {
    const c = buildDataControls({
      apps: [],
      dataControls: [
        { name: 'r', rule_id: 'report', restrictions: [{ class: 'PRINTING', level: 'REPORT' }] },
        { name: 'w', rule_id: 'warn', restrictions: [{ class: 'PRINTING', level: 'WARN' }] },
        { name: 'b', rule_id: 'block', restrictions: [{ class: 'PRINTING', level: 'BLOCK' }] },
      ],
    });
    expect(c.decide({ action: 'print', source: page('https://x.test/') }).rule?.rule_id).toBe(
      'block',
    );
  });
});

describe('content conditions', () => {
  const c = buildDataControls({
    apps: [],
    dataControls: [
      {
        name: 'No cards into personal sites',
        rule_id: 'cards',
        destinations: { urls: ['personal.test'] },
        content: { detectors: ['payment_card', 'iban'] },
        restrictions: [
          { class: 'CLIPBOARD', level: 'BLOCK' },
          { class: 'FILE_UPLOAD', level: 'BLOCK' },
        ],
      },
      {
        name: 'Warn on many project codes',
        rule_id: 'codes',
        content: { patterns: [{ id: 'prj', pattern: 'PRJ-\\d{4}' }], min_count: 3 },
        restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
      },
      {
        name: 'Report uploads to share',
        rule_id: 'share',
        destinations: { urls: ['share.test'] },
        restrictions: [{ class: 'FILE_UPLOAD', level: 'REPORT' }],
      },
    ],
  });
  const paste = (url: string, text?: string) =>
    c.decide({
      action: 'paste',
      destination: { url },
      content: text === undefined ? undefined : c.scan(text),
    });

  it.each([
    ['https://personal.test/', 'card 4111 1111 1111 1111', 'BLOCK', 'cards', { payment_card: 1 }],
    ['https://personal.test/', 'card 4111 1111 1111 1112', null, null, undefined],
    ['https://personal.test/', undefined, null, null, undefined], // no content: rule skipped
    ['https://other.test/', 'card 4111 1111 1111 1111', null, null, undefined],
    ['https://other.test/', 'PRJ-1234 PRJ-2345', null, null, undefined], // 2 < min_count 3
    ['https://other.test/', 'PRJ-1234 PRJ-2345 PRJ-3456', 'WARN', 'codes', { 'custom.prj': 3 }],
    [
      'https://personal.test/',
      'PRJ-1234 PRJ-2345 PRJ-3456 GB82WEST12345698765432',
      'BLOCK',
      'cards',
      { iban: 1 },
    ],
  ])('paste into %s of %j → %s by %s', (url, text, level, ruleId, detections) => {
    const d = paste(url, text);
    expect(d.level).toBe(level);
    expect(d.rule?.rule_id ?? null).toBe(ruleId);
    expect(d.detections).toEqual(detections);
  });

  it('inspects only the classes whose rules look at content', () => {
    expect(c.inspects('paste')).toBe(true);
    expect(c.inspects('upload')).toBe(true);
    expect(c.inspects('print')).toBe(false);
    expect(buildDataControls({ apps: [], dataControls: [] }).inspects('paste')).toBe(false);
  });

  it('form submissions (contentOnly) ignore the rules without a content condition', () => {
    const url = { url: 'https://share.test/' };
    expect(c.decide({ action: 'upload', destination: url }).level).toBe('REPORT');
    expect(
      c.decide({ action: 'upload', destination: url, content: {}, contentOnly: true }).level,
    ).toBe(null);
  });
});
