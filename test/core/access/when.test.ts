import { describe, expect, it } from 'vitest';
import type { WhenCondition } from '../../../core/policy/access/types.ts';
import {
  describeDays,
  describeWhen,
  isKnownTimeZone,
  isWithinWhen,
  zoneCity,
} from '../../../core/policy/access/when.ts';

const office: WhenCondition = {
  timeZone: 'Europe/Paris',
  windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }],
};
const nights: WhenCondition = {
  timeZone: 'America/New_York',
  windows: [{ days: [5], from: '22:00', to: '02:00' }],
};

describe('isWithinWhen', () => {
  const table: { when: WhenCondition; at: string; expect: boolean; why: string }[] = [
    { when: office, at: '2026-12-04T10:00:00Z', expect: true, why: 'Friday 11:00 in Paris (CET)' },
    { when: office, at: '2026-12-05T10:00:00Z', expect: false, why: 'Saturday' },
    { when: office, at: '2026-12-04T07:00:00Z', expect: true, why: '08:00 CET is inclusive' },
    { when: office, at: '2026-12-04T06:59:00Z', expect: false, why: '07:59 CET' },
    { when: office, at: '2026-12-04T18:00:00Z', expect: false, why: '19:00 CET is exclusive' },
    // Summer time: 08:00 in Paris is 06:00 UTC.
    { when: office, at: '2026-07-01T06:00:00Z', expect: true, why: '08:00 CEST' },
    { when: office, at: '2026-07-01T05:59:00Z', expect: false, why: '07:59 CEST' },
    { when: office, at: '2026-07-01T17:00:00Z', expect: false, why: '19:00 CEST' },
    // The DST change itself (last Sunday of March 2026 is the 29th; Monday the 30th is CEST).
    { when: office, at: '2026-03-27T07:00:00Z', expect: true, why: 'Friday before, 08:00 CET' },
    { when: office, at: '2026-03-30T06:00:00Z', expect: true, why: 'Monday after, 08:00 CEST' },
    { when: office, at: '2026-03-30T05:30:00Z', expect: false, why: 'Monday after, 07:30 CEST' },
    // Past midnight, in New York: Friday 22:00 to Saturday 02:00 (EST = UTC−5).
    { when: nights, at: '2026-12-05T03:30:00Z', expect: true, why: 'Friday 22:30' },
    { when: nights, at: '2026-12-05T06:30:00Z', expect: true, why: 'Saturday 01:30' },
    { when: nights, at: '2026-12-05T07:00:00Z', expect: false, why: 'Saturday 02:00 (exclusive)' },
    {
      when: nights,
      at: '2026-12-06T06:30:00Z',
      expect: false,
      why: 'Sunday 01:30: Saturday not listed',
    },
    {
      when: nights,
      at: '2026-12-04T06:30:00Z',
      expect: false,
      why: 'Friday 01:30: Thursday not listed',
    },
    {
      when: { timeZone: 'UTC', windows: [{ from: '00:00', to: '24:00' }] },
      at: '2026-12-06T23:59:00Z',
      expect: true,
      why: 'whole day, every day',
    },
    {
      when: {
        timeZone: 'Asia/Tokyo',
        windows: [
          { days: [1], from: '09:00', to: '12:00' },
          { days: [3], from: '13:00', to: '17:00' },
        ],
      },
      at: '2026-12-02T05:00:00Z',
      expect: true,
      why: 'Wednesday 14:00 in Tokyo: the second window',
    },
    {
      when: { timeZone: 'Mars/Olympus', windows: [{ from: '00:00', to: '24:00' }] },
      at: '2026-12-02T05:00:00Z',
      expect: false,
      why: 'unknown zone fails closed',
    },
    {
      when: { timeZone: 'UTC', windows: [{ from: '10:00', to: '10:00' }] },
      at: '2026-12-02T10:00:00Z',
      expect: false,
      why: 'empty window never holds',
    },
    {
      when: { timeZone: 'UTC', windows: [] },
      at: '2026-12-02T10:00:00Z',
      expect: false,
      why: 'no windows',
    },
  ];
  it.each(table)('$why → $expect', ({ when, at, expect: want }) => {
    expect(isWithinWhen(when, new Date(at))).toBe(want);
  });
});

describe('describeWhen', () => {
  it.each([
    [office, 'Available Monday–Friday 08:00–19:00 Paris time'],
    [nights, 'Available Friday 22:00–02:00 (next day) New York time'],
    [
      {
        timeZone: 'America/Argentina/Buenos_Aires',
        windows: [
          { days: [1, 3, 5], from: '09:00', to: '12:00' },
          { days: [6, 7], from: '10:00', to: '14:00' },
        ],
      },
      'Available Monday, Wednesday and Friday 09:00–12:00 and Saturday and Sunday 10:00–14:00 Buenos Aires time',
    ],
    [
      { timeZone: 'UTC', windows: [{ from: '00:00', to: '24:00' }] },
      'Available every day 00:00–24:00 UTC time',
    ],
  ] as [WhenCondition, string][])('%j', (when, text) => {
    expect(describeWhen(when)).toBe(text);
  });

  it('names days in runs and lists', () => {
    expect(describeDays([5, 4, 3, 2, 1])).toBe('Monday–Friday');
    expect(describeDays([1, 2, 4, 5, 6, 7])).toBe('Monday, Tuesday and Thursday–Sunday');
    expect(describeDays(undefined)).toBe('every day');
    expect(zoneCity('Etc/GMT+5')).toBe('Etc/GMT+5');
  });
});

describe('isKnownTimeZone', () => {
  it.each([
    ['Europe/Paris', true],
    ['UTC', true],
    ['America/Indiana/Indianapolis', true],
    ['Europe/Pariss', false],
    ['+01:00', false],
    ['', false],
  ])('%s → %s', (zone, known) => {
    expect(isKnownTimeZone(zone)).toBe(known);
  });
});
