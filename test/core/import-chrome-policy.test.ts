import { describe, expect, it } from 'vitest';
import { importChromePolicy } from '../../core/policy/import-chrome-policy.ts';

describe('importChromePolicy', () => {
  it('maps a chrome://policy export', () => {
    const exported = {
      chromeMetadata: { version: '156' },
      policyValues: {
        chrome: {
          policies: {
            URLBlocklist: { value: ['games.test'], scope: 'machine' },
            URLAllowlist: { value: ['games.test/edu'] },
            DownloadRestrictions: { value: 3 },
            PrintingEnabled: { value: false },
            HomepageLocation: { value: 'https://intranet.test' },
          },
        },
      },
    };
    const { document, unmapped } = importChromePolicy(exported);
    expect(document.urlBlocklist).toEqual(['games.test']);
    expect(document.urlAllowlist).toEqual(['games.test/edu']);
    expect(document.dataControls?.map((r) => r.restrictions[0])).toEqual([
      { class: 'FILE_DOWNLOAD', level: 'BLOCK' },
      { class: 'PRINTING', level: 'BLOCK' },
    ]);
    expect(unmapped).toEqual(['HomepageLocation: not a policy Palisade enforces']);
  });

  it('maps plain policy files and DataControlsRules, reporting unsupported classes', () => {
    const { document, unmapped } = importChromePolicy({
      DataControlsRules: [
        JSON.stringify({
          name: 'No copy',
          rule_id: 'r1',
          sources: { urls: ['corp.test'] },
          restrictions: [
            { class: 'CLIPBOARD', level: 'BLOCK' },
            { class: 'SCREENSHOT', level: 'BLOCK' },
          ],
        }),
      ],
      DownloadRestrictions: 1,
    });
    expect(document.dataControls?.[0]).toMatchObject({
      rule_id: 'r1',
      restrictions: [{ class: 'CLIPBOARD' }],
    });
    expect(unmapped).toHaveLength(2);
  });
});
