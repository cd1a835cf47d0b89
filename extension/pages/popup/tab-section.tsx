import type { StatusView } from '../../shared/messages.ts';

const ACTION_LABEL = {
  copy: 'Copy',
  cut: 'Cut',
  paste: 'Paste into this page',
  print: 'Print',
  upload: 'Upload files',
  download: 'Download',
} as const;

const LEVEL_LABEL = { BLOCK: 'blocked', WARN: 'asks first', REPORT: 'allowed, recorded' } as const;

/** What the policy does on the current tab's site. */
export function TabSection({ tab }: { tab: NonNullable<StatusView['tab']> }) {
  let host = tab.url;
  try {
    host = new URL(tab.url).host;
  } catch {
    // keep the raw URL
  }
  return (
    <section aria-labelledby="tab-title">
      <h2 id="tab-title">On {host}</h2>
      {tab.blocked && (
        <p>
          This site is blocked by <code>{tab.filter}</code>.
        </p>
      )}
      {tab.controls.length === 0 && !tab.blocked ? (
        <p class="muted">Nothing is restricted or recorded on this site.</p>
      ) : (
        <ul>
          {tab.controls.map((c) => (
            <li key={c.action}>
              {ACTION_LABEL[c.action]}: {LEVEL_LABEL[c.level]}{' '}
              <span class="muted">({c.ruleName})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
