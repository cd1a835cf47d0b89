import type { Diagnostic } from '../../../core/policy/types.ts';
import { fieldId } from './diagnostics.ts';

/**
 * The diagnostics of one field, shown right under it. `label` rewrites a path for
 * people (a list entry's index becomes its line number).
 */
export function DiagnosticList({
  diagnostics,
  path,
  label,
}: {
  diagnostics: Diagnostic[];
  path: string;
  label?: (d: Diagnostic) => string | null;
}) {
  if (diagnostics.length === 0) return null;
  return (
    <ul
      class="diagnostics"
      id={`${fieldId(path)}-diagnostics`}
      aria-label={`Problems in ${path || 'the policy'}`}
    >
      {diagnostics.map((d, i) => {
        const prefix = label?.(d);
        return (
          <li key={`${d.path}-${i}`} class={`diagnostic ${d.severity}`} data-path={d.path}>
            <span class="severity">{d.severity === 'error' ? 'Error' : 'Warning'}</span>
            {prefix ? <span class="where">{prefix}: </span> : null}
            {d.message}
          </li>
        );
      })}
    </ul>
  );
}
