import { describe, expect, it } from 'vitest';
import { buildDataControls } from '../../../core/policy/data-controls.ts';
import type { DataControlRule } from '../../../core/policy/types.ts';
import { validatePolicy } from '../../../core/policy/validate-policy.ts';

const hours = {
  timeZone: 'Europe/Paris',
  windows: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }],
};
const rules: DataControlRule[] = [
  {
    name: 'Warn on copying out',
    rule_id: 'warn-out',
    sources: { urls: ['corp.test'] },
    restrictions: [{ class: 'CLIPBOARD', level: 'WARN' }],
  },
  {
    name: 'Block copying out in office hours',
    rule_id: 'block-hours',
    sources: { urls: ['corp.test'] },
    when: hours,
    restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
  },
  {
    name: 'Allow the wiki at night',
    rule_id: 'wiki-night',
    sources: { urls: ['wiki.corp.test'] },
    when: { timeZone: 'Europe/Paris', windows: [{ from: '22:00', to: '06:00' }] },
    restrictions: [{ class: 'CLIPBOARD', level: 'ALLOW' }],
  },
];

describe('data controls with when', () => {
  const controls = buildDataControls({ dataControls: rules, apps: [] });
  const table = [
    {
      at: '2026-12-02T10:00:00Z',
      url: 'https://corp.test/',
      expect: 'block-hours',
      why: 'Wednesday 11:00 Paris',
    },
    {
      at: '2026-12-02T17:30:00Z',
      url: 'https://corp.test/',
      expect: 'warn-out',
      why: 'Wednesday 18:30 Paris',
    },
    { at: '2026-12-05T10:00:00Z', url: 'https://corp.test/', expect: 'warn-out', why: 'Saturday' },
    {
      at: '2026-07-01T07:00:00Z',
      url: 'https://corp.test/',
      expect: 'block-hours',
      why: '09:00 CEST',
    },
    {
      at: '2026-07-01T06:59:00Z',
      url: 'https://corp.test/',
      expect: 'warn-out',
      why: '08:59 CEST',
    },
    {
      at: '2026-12-02T23:00:00Z',
      url: 'https://wiki.corp.test/',
      expect: 'wiki-night',
      why: 'midnight, ALLOW wins',
    },
    {
      at: '2026-12-02T10:00:00Z',
      url: 'https://wiki.corp.test/',
      expect: 'block-hours',
      why: 'daytime wiki',
    },
  ];
  it.each(table)('$why → $expect', ({ at, url, expect: want }) => {
    const d = controls.decide({
      action: 'copy',
      source: { url },
      destination: { os_clipboard: true },
      now: new Date(at),
    });
    expect(d.rule?.rule_id).toBe(want);
  });

  it('keys the schedule by which timed rules are in force', () => {
    const day = controls.scheduleAt(new Date('2026-12-02T10:00:00Z'));
    expect(day).toBe('10');
    expect(controls.scheduleAt(new Date('2026-12-02T12:00:00Z'))).toBe(day);
    expect(controls.scheduleAt(new Date('2026-12-02T23:00:00Z'))).toBe('01');
    expect(
      buildDataControls({ dataControls: rules.slice(0, 1), apps: [] }).scheduleAt(new Date()),
    ).toBe('');
  });

  it('validates a rule’s when like an access rule’s', () => {
    const { diagnostics } = validatePolicy({
      dataControls: [
        { ...rules[1], when: { timeZone: 'Paris', windows: [{ from: '09:00', to: '9:00' }] } },
      ],
    });
    expect(diagnostics.map((d) => d.path)).toEqual([
      'dataControls[0].when.timeZone',
      'dataControls[0].when.windows[0].to',
    ]);
  });
});
