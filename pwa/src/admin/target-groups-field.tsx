import type { Diagnostic } from '../../../core/policy/types.ts';
import type { Group } from '../api/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsUnder, fieldId } from './diagnostics.ts';

/** Which groups a policy targets, by name; none ticked means the whole organisation. */
export function TargetGroupsField({
  value,
  groups,
  onChange,
  diagnostics,
}: {
  value: unknown;
  groups: Group[];
  onChange(v: string[] | undefined): void;
  diagnostics: Diagnostic[];
}) {
  const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  // Names in the document that match no group (typed in JSON, or a group since renamed).
  const unknown = names.filter((n) => !groups.some((g) => g.name === n));
  const toggle = (name: string, on: boolean) => {
    const next = on ? [...names, name] : names.filter((n) => n !== name);
    onChange(next.length ? next : undefined);
  };
  return (
    <fieldset class="checks" id={fieldId('targetGroups')} tabIndex={-1}>
      <legend>Applies to</legend>
      <p class="hint">
        {names.length === 0
          ? 'Everyone in the organisation (no group ticked).'
          : 'Only the ticked groups.'}
      </p>
      {groups.map((g) => (
        <label key={g.id} class="check">
          <input
            type="checkbox"
            checked={names.includes(g.name)}
            onChange={(e) => toggle(g.name, e.currentTarget.checked)}
          />
          {g.name}
        </label>
      ))}
      {unknown.map((n) => (
        <label key={n} class="check">
          <input type="checkbox" checked onChange={() => toggle(n, false)} />
          {n} <span class="badge warn">no such group</span>
        </label>
      ))}
      {groups.length === 0 && (
        <p class="hint">No groups yet — create them under Groups &amp; codes.</p>
      )}
      <DiagnosticList
        diagnostics={diagnosticsUnder(diagnostics, 'targetGroups')}
        path="targetGroups"
      />
    </fieldset>
  );
}
