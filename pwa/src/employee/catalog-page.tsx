import type { AppFamily, CatalogEntry } from '../../../core/policy/types.ts';
import { OfflineBanner } from '../components/offline-banner.tsx';
import { PolicyError } from './policy-error.tsx';
import { useMyPolicy } from './use-my-policy.ts';

type CatalogApp = AppFamily & { catalog: CatalogEntry };

/** Only http(s) launch URLs become links: a policy is data, not a place for `javascript:`. */
function safeLaunch(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The enterprise app store: the approved web apps of the effective policy, by category. */
export function CatalogPage() {
  const policy = useMyPolicy();
  const apps = (policy.data?.policy.apps ?? []).filter(
    (a): a is CatalogApp => a.catalog !== undefined,
  );
  const byCategory = new Map<string, CatalogApp[]>();
  for (const a of apps) {
    const c = a.catalog.category ?? 'Apps';
    byCategory.set(c, [...(byCategory.get(c) ?? []), a]);
  }

  return (
    <section>
      <h1 tabIndex={-1}>Apps</h1>
      <OfflineBanner offline={policy.offline} updatedAt={policy.updatedAt} />
      <PolicyError error={policy.error} />
      {!policy.data && policy.loading && <p class="loading">Loading your apps…</p>}
      {policy.data && apps.length === 0 && (
        <p>Your organisation has not listed any apps for your group yet.</p>
      )}
      {[...byCategory].map(([category, list]) => (
        <section key={category} aria-labelledby={`cat-${category}`}>
          <h2 id={`cat-${category}`}>{category}</h2>
          <ul class="app-grid">
            {list.map((a) => (
              <AppCard key={a.id} app={a} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function AppCard({ app }: { app: CatalogApp }) {
  const href = safeLaunch(app.catalog.launchUrl);
  const icon =
    app.catalog.icon && /^(https:|data:image\/)/.test(app.catalog.icon) ? app.catalog.icon : null;
  return (
    <li class="app-card">
      {icon ? (
        <img class="app-icon" src={icon} alt="" width={48} height={48} loading="lazy" />
      ) : (
        <span class="app-icon app-icon-fallback" aria-hidden="true">
          {app.name.slice(0, 1).toUpperCase()}
        </span>
      )}
      <div class="app-text">
        <h3>{app.name}</h3>
        <p>{app.catalog.description}</p>
      </div>
      {href ? (
        <a
          class="button"
          href={href}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`Open ${app.name}`}
        >
          Open
        </a>
      ) : (
        <span class="hint">No valid address</span>
      )}
    </li>
  );
}
