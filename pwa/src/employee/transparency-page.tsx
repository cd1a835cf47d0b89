import type { PolicyPayload } from '../../../core/policy/policy-payload.ts';
import { OfflineBanner } from '../components/offline-banner.tsx';
import { describeFilter } from '../lib/describe-filter.ts';
import { CONTENT_PRIVACY, explainDataControls } from '../lib/explain-data-controls.ts';
import { formatDateTime } from '../lib/format.ts';
import { AuditRecordExplainer } from './audit-record-explainer.tsx';
import { PolicyError } from './policy-error.tsx';
import { PostureExplainer } from './posture-explainer.tsx';
import { useMyPolicy } from './use-my-policy.ts';

/**
 * "What is enforced on me, and what is recorded about me", in plain language, from the
 * signed effective policy — the same bytes the extension enforces.
 */
export function TransparencyPage() {
  const policy = useMyPolicy();
  return (
    <section>
      <h1 tabIndex={-1}>What is enforced and recorded</h1>
      <OfflineBanner offline={policy.offline} updatedAt={policy.updatedAt} />
      <PolicyError error={policy.error} />
      {!policy.data && policy.loading && <p class="loading">Loading your policy…</p>}
      {policy.data && <Explained payload={policy.data} />}
    </section>
  );
}

function Explained({ payload }: { payload: PolicyPayload }) {
  const p = payload.policy;
  const rules = explainDataControls(p.dataControls, p.apps);
  return (
    <div class="stack">
      <p class="lede">
        Your group <strong>{payload.groupName}</strong> has policy version {payload.version},
        published {formatDateTime(payload.issuedAt)}. Its signature was checked on this device.
      </p>
      <section class="card" aria-labelledby="blocked-title">
        <h2 id="blocked-title">Blocked sites</h2>
        {p.urlBlocklist.length === 0 ? (
          <p>No sites are blocked.</p>
        ) : (
          <FilterList filters={p.urlBlocklist} label="Blocked sites" />
        )}
        {p.urlAllowlist.length > 0 && (
          <>
            <h3>Always allowed (exceptions)</h3>
            <p class="hint">These stay open even where a block above would cover them.</p>
            <FilterList filters={p.urlAllowlist} label="Allowed exceptions" />
          </>
        )}
        {p.httpsOnly.hosts.length > 0 && (
          <>
            <h3>Secure connections only</h3>
            <p>
              {p.httpsOnly.mode === 'upgrade'
                ? 'Plain http:// is switched to https:// for '
                : 'Plain http:// is blocked for '}
              {p.httpsOnly.hosts.map(describeFilter).join('; ')}.
            </p>
          </>
        )}
      </section>
      <section class="card" aria-labelledby="data-title">
        <h2 id="data-title">Copy, paste, print, download and upload</h2>
        {rules.length === 0 && <p>No rules limit copying, printing, downloading or uploading.</p>}
        {rules.map((r) => (
          <article class="rule" key={r.id} aria-label={r.name}>
            <h3>{r.name}</h3>
            {r.description && <p>{r.description}</p>}
            <ul class="plain-list">
              {r.restrictions.map((x) => (
                <li key={x.what}>
                  <strong>{x.what}</strong>
                  {r.from ? ` from ${r.from}` : ''}
                  {r.to ? ` to ${r.to}` : ''}
                  {r.content ? ` when it contains ${r.content}` : ''}: {x.outcome}.
                </li>
              ))}
            </ul>
          </article>
        ))}
        {rules.some((r) => r.content) && <p class="hint content-privacy">{CONTENT_PRIVACY}</p>}
      </section>
      <AuditRecordExplainer detail={p.auditUrlDetail} />
      <PostureExplainer />
      {p.messages.contact && (
        <p>
          Questions about these rules? Contact <strong>{p.messages.contact}</strong>.
        </p>
      )}
    </div>
  );
}

function FilterList({ filters, label }: { filters: string[]; label: string }) {
  return (
    <ul class="filter-list" aria-label={label}>
      {filters.map((f) => (
        <li key={f}>
          <code>{f}</code> — {describeFilter(f)}
        </li>
      ))}
    </ul>
  );
}
