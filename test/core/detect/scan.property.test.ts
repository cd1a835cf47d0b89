import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDataControls } from '../../../core/policy/data-controls.ts';
import {
  buildContentScanner,
  formatDetections,
} from '../../../core/policy/detect/detect-content.ts';
import { DETECTOR_IDS, DETECTORS } from '../../../core/policy/detect/detectors.ts';
import { luhnValid } from '../../../core/policy/detect/payment-card.ts';

const scanner = buildContentScanner([
  { detectors: [...DETECTOR_IDS], patterns: [{ id: 'prj', pattern: 'PRJ-\\d{4}' }] },
]);
const SECRETS = [
  '4111 1111 1111 1111',
  'GB82WEST12345698765432',
  '123-45-6789',
  '1 85 05 78 006 084 91',
  'AKIAIOSFODNN7EXAMPLE',
  'PRJ-4242',
  '-----BEGIN PRIVATE KEY-----',
];
const pieces = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...SECRETS, ' ', '\n', '-', '@', 'eyJ', '.', 'a@b.co '),
);

describe('scanner properties', () => {
  it('scans random text of any size and reports only known ids with positive counts', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 200 }), (parts) => {
        const found = scanner.scan(parts.join(''));
        for (const [id, n] of Object.entries(found)) {
          expect([...DETECTOR_IDS, 'custom.prj']).toContain(id);
          expect(Number.isInteger(n) && n > 0).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds each planted secret between separators', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRETS), fc.string({ maxLength: 30 }), (secret, noise) => {
        const clean = noise.replace(/[\p{L}\p{N}]/gu, '');
        const found = scanner.scan(`${clean} ${secret} ${clean}`);
        expect(Object.keys(found).length).toBeGreaterThan(0);
      }),
    );
  });

  it('never puts matched text into what a decision or an event carries', () => {
    const controls = buildDataControls({
      apps: [],
      dataControls: [
        {
          name: 'No secrets',
          rule_id: 'secrets',
          content: {
            detectors: [...DETECTOR_IDS],
            patterns: [{ id: 'prj', pattern: 'PRJ-\\d{4}' }],
          },
          restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
        },
      ],
    });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...SECRETS), { minLength: 1, maxLength: 8 }),
        (parts) => {
          const text = parts.join(' and ');
          const d = controls.decide({ action: 'paste', content: controls.scan(text) });
          expect(d.level).toBe('BLOCK');
          const carried = JSON.stringify(d) + formatDetections(d.detections!);
          for (const secret of parts) {
            expect(carried).not.toContain(secret);
            expect(carried).not.toContain(secret.replace(/[\s-]/g, ''));
          }
        },
      ),
    );
  });

  it('the card scanner agrees with the Luhn check on 13–19 digit numbers, grouped or not', () => {
    const card = DETECTORS.get('payment_card')!;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 18 }),
        fc.constantFrom('', ' ', '-'),
        (first, rest, sep) => {
          const digits = [first, ...rest].join('');
          const grouped = digits.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
          // Grouped, a card may end at any group ("4111 1111 1111 1111 12" holds one).
          const ends = sep
            ? [16, digits.length].filter((l) => l <= digits.length)
            : [digits.length];
          const valid = ends.some((l) => luhnValid(digits.slice(0, l)));
          expect(card.scan(`pay ${grouped}.`)).toBe(valid ? 1 : 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('scans all of a 3 MB paste: filler cannot push a secret out of reach', () => {
    const text = `${'lorem ipsum '.repeat(250_000)} card 4111 1111 1111 1111`;
    expect(text.length).toBeGreaterThan(3_000_000);
    expect(scanner.scan(text).payment_card).toBe(1);
  });
});
