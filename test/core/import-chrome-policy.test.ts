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

  it('leaves out the URL filters Chrome ignores, saying which and why', () => {
    const { document, dropped, notes } = importChromePolicy({
      URLBlocklist: ['host:65536', 'ok.test', 'example.com:*', 42, 'custom_scheme:*', 'wrong ://*'],
      URLAllowlist: ['ok.test/edu'],
    });
    // "wrong ://*" is valid for Chrome (host "wrong ", path "//*"): it stays, matching nothing.
    expect(document.urlBlocklist).toEqual(['ok.test', 'wrong ://*']);
    expect(document.urlAllowlist).toEqual(['ok.test/edu']);
    expect(dropped.map((line) => line.split(':')[0])).toEqual([
      'URLBlocklist[0]',
      'URLBlocklist[2]',
      'URLBlocklist[3]',
      'URLBlocklist[4]',
    ]);
    expect(dropped.every((line) => line.endsWith('Chrome ignores it.'))).toBe(true);
    expect(notes).toEqual([]);
  });

  it("notes Chrome's 1,000-filter cap and keeps every filter", () => {
    const list = Array.from({ length: 1001 }, (_, i) => `site-${i}.test`);
    const { document, notes } = importChromePolicy({ URLAllowlist: list });
    expect(document.urlAllowlist).toHaveLength(1001);
    expect(notes).toEqual([
      'URLAllowlist: Chrome applies only the first 1000 of its 1001 entries; Palisade enforces all of them.',
    ]);
  });
});
