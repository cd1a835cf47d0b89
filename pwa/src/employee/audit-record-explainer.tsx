import type { AuditUrlDetail } from '../../../core/policy/types.ts';

const URL_DETAIL: Record<AuditUrlDetail, { label: string; words: string; example: string }> = {
  full: {
    label: 'the full address',
    words: 'The full address of the page or file, including its path and query.',
    example: 'https://mail.example.com/inbox?id=42',
  },
  origin: {
    label: 'the site only',
    words: 'Only the site (scheme and host), never which page, path or query.',
    example: 'https://mail.example.com',
  },
  none: {
    label: 'no address',
    words: 'No address at all: only that a rule acted, and which rule.',
    example: '(nothing)',
  },
};

/**
 * Exactly what an audit event holds at the policy's URL detail — the fields of
 * core/audit/types.ts in plain words — and what is never collected.
 */
export function AuditRecordExplainer({ detail }: { detail: AuditUrlDetail }) {
  const d = URL_DETAIL[detail];
  return (
    <>
      <section class="card" aria-labelledby="recorded-title">
        <h2 id="recorded-title">What is recorded, and when</h2>
        <p>
          A record is made <strong>only when a rule above acts</strong>: a site is blocked, or a
          copy, paste, print, download or upload is blocked, warned about or reported. Visiting
          allowed sites makes no record.
        </p>
        <p>Each record holds:</p>
        <ul class="plain-list">
          <li>
            the time, and whether it was a blocked site, copy/paste, print, download or upload;
          </li>
          <li>
            what happened: blocked, you continued after a warning, you cancelled, or allowed and
            reported;
          </li>
          <li>which rule decided, and the policy version;</li>
          <li>
            the address, at this policy’s detail —{' '}
            <strong data-testid="url-detail">{d.label}</strong>: {d.words} For example:{' '}
            <code>{d.example}</code>;
          </li>
          <li>
            for copy and paste, where the content went, at the same detail (never the content
            itself);
          </li>
          <li>your account (name and email) and which of your devices it was.</li>
        </ul>
        <p>
          Records go to your organisation’s Palisade server, where administrators and auditors can
          read them. They are kept in a tamper-evident log: no one can quietly change or remove one.
        </p>
      </section>
      <section class="card" aria-labelledby="never-title">
        <h2 id="never-title">What is never collected</h2>
        <ul class="plain-list">
          <li>
            <strong>Your browsing history</strong> — sites you visit that no rule acts on leave no
            trace.
          </li>
          <li>
            <strong>Page content</strong> — what you read or type, and what you copy, paste, print,
            download or upload.
          </li>
          <li>
            <strong>Your location</strong>.
          </li>
          <li>Anything at all from browsers where the Palisade extension is not installed.</li>
        </ul>
      </section>
    </>
  );
}
