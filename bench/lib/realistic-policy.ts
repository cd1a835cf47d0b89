import type { PolicyDocument } from '../../core/policy/types.ts';

/**
 * A policy of the size an organisation really publishes (~5 KB signed): a hundred-odd
 * blocked sites with some allowed paths, data controls and an app catalog. `variant`
 * changes one filter so each publish is a new version.
 */
export function realisticPolicy(variant: number): PolicyDocument {
  const blocked = Array.from({ length: 120 }, (_, i) => `blocked-site-${i}.example`);
  blocked.push(`variant-${variant}.example`);
  return {
    name: 'Bench policy',
    urlBlocklist: blocked,
    urlAllowlist: ['blocked-site-1.example/docs', 'blocked-site-2.example/help?lang=en'],
    dataControls: [
      {
        name: 'Corp data stays in corp',
        rule_id: 'corp-copy',
        sources: { urls: ['corp.example'] },
        destinations: { not: { urls: ['corp.example'] } },
        restrictions: [
          { class: 'CLIPBOARD', level: 'BLOCK' },
          { class: 'PRINTING', level: 'BLOCK' },
        ],
      },
      {
        name: 'Warn on downloads from file shares',
        rule_id: 'files-download',
        sources: { urls: ['files.example'] },
        restrictions: [{ class: 'FILE_DOWNLOAD', level: 'WARN' }],
      },
    ],
    apps: [
      {
        id: 'mail',
        name: 'Mail',
        urls: ['mail.example'],
        catalog: { description: 'Company mail', launchUrl: 'https://mail.example/' },
      },
    ],
    auditUrlDetail: 'origin',
    messages: { contact: 'it@example.com' },
  };
}
