import { describe, expect, it } from 'vitest';
import { buildDataControls } from '../../core/policy/data-controls.ts';
import {
  JUSTIFICATION_MAX,
  JUSTIFICATION_MIN,
  normalizeJustification,
} from '../../core/policy/justification.ts';
import type { DataControlRule } from '../../core/policy/types.ts';
import { validatePolicy } from '../../core/policy/validate-policy.ts';

const rule = (extra: Partial<DataControlRule>): DataControlRule => ({
  name: 'Ask why',
  rule_id: 'ask-why',
  restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
  ...extra,
});

describe('requireJustification in the policy', () => {
  it.each([
    { value: true, errors: [], warnings: [] },
    { value: false, errors: [], warnings: [] },
    {
      value: 'yes',
      errors: ['dataControls[0].requireJustification'],
      warnings: [],
    },
  ])('validates $value', ({ value, errors, warnings }) => {
    const { diagnostics } = validatePolicy({
      dataControls: [rule({ requireJustification: value as never })],
    });
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.path)).toEqual(errors);
    expect(diagnostics.filter((d) => d.severity === 'warning').map((d) => d.path)).toEqual(
      warnings,
    );
  });

  it('warns when the rule has no WARN level to ask on', () => {
    const { diagnostics } = validatePolicy({
      dataControls: [
        rule({ requireJustification: true, restrictions: [{ class: 'PRINTING', level: 'BLOCK' }] }),
      ],
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        path: 'dataControls[0].requireJustification',
        severity: 'warning',
        message: expect.stringContaining('no WARN restriction'),
      }),
    ]);
  });
});

describe('decisions carry the need for a reason', () => {
  const controls = buildDataControls({
    apps: [],
    dataControls: [
      rule({ requireJustification: true, sources: { urls: ['wiki.test'] } }),
      rule({ rule_id: 'plain-warn', sources: { urls: ['docs.test'] } }),
      {
        name: 'Mixed',
        rule_id: 'mixed',
        requireJustification: true,
        sources: { urls: ['mixed.test'] },
        restrictions: [
          { class: 'CLIPBOARD', level: 'BLOCK' },
          { class: 'PRINTING', level: 'WARN' },
        ],
      },
    ],
  });
  it.each([
    { url: 'https://wiki.test/', action: 'copy', level: 'WARN', justify: true },
    { url: 'https://docs.test/', action: 'copy', level: 'WARN', justify: undefined },
    { url: 'https://mixed.test/', action: 'copy', level: 'BLOCK', justify: undefined },
    { url: 'https://mixed.test/', action: 'print', level: 'WARN', justify: true },
    { url: 'https://other.test/', action: 'copy', level: null, justify: undefined },
  ] as const)('$action on $url', ({ url, action, level, justify }) => {
    const d = controls.decide({ action, source: { url } });
    expect(d.level).toBe(level);
    expect(d.justify).toBe(justify);
  });
});

describe('normalizeJustification', () => {
  it.each([
    { text: '  Sending the\nquarterly\t\treport ', expect: 'Sending the quarterly report' },
    { text: 'a\u0000b\u0007cdef', expect: 'a b cdef' },
    { text: '', expect: null },
    { text: '     ', expect: null },
    { text: 'x'.repeat(JUSTIFICATION_MIN - 1), expect: null },
    { text: 'x'.repeat(JUSTIFICATION_MIN), expect: 'x'.repeat(JUSTIFICATION_MIN) },
    { text: 'x'.repeat(JUSTIFICATION_MAX), expect: 'x'.repeat(JUSTIFICATION_MAX) },
    { text: 'x'.repeat(JUSTIFICATION_MAX + 1), expect: null },
  ])('$text → $expect', ({ text, expect: want }) => {
    expect(normalizeJustification(text)).toBe(want);
  });
});
