import type { Diagnostic } from '../../../core/policy/types.ts';
import { countBySeverity, focusField } from './diagnostics.ts';

/**
 * Every problem of the document at once, each a button that takes you to its field, so an
 * admin fixes them all in one pass.
 */
export function DiagnosticSummary({
  diagnostics,
  onShowJson,
}: {
  diagnostics: Diagnostic[];
  onShowJson?: () => void;
}) {
  const { errors, warnings } = countBySeverity(diagnostics);
  if (diagnostics.length === 0) {
    return (
      <p class="validation-ok" role="status">
        No problems found.
      </p>
    );
  }
  const go = (path: string) => {
    if (!focusField(path) && onShowJson) onShowJson();
  };
  return (
    <section class="validation-summary" aria-labelledby="validation-title">
      <div role="status">
        <h2 id="validation-title">
          {errors > 0 && `${errors} ${errors === 1 ? 'error' : 'errors'}`}
          {errors > 0 && warnings > 0 && ', '}
          {warnings > 0 && `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`}
        </h2>
      </div>
      <ul>
        {diagnostics.map((d, i) => (
          <li key={`${d.path}-${i}`} class={`diagnostic ${d.severity}`}>
            <button type="button" class="link-button" onClick={() => go(d.path)}>
              <code>{d.path || '(document)'}</code>
            </button>{' '}
            {d.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
