import type { ComponentChildren } from 'preact';
import type { Diagnostic } from '../../../core/policy/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, diagnosticsUnder, fieldId } from './diagnostics.ts';

interface Props {
  path: string;
  label: string;
  hint?: string;
  diagnostics: Diagnostic[];
  /** Also show the diagnostics of what is inside `path` (a list's entries), named by `itemLabel`. */
  under?: boolean;
  itemLabel?(d: Diagnostic): string | null;
  /** Renders the control with the id and aria attributes this field computed. */
  children(a: {
    id: string;
    'aria-invalid'?: boolean;
    'aria-describedby'?: string;
  }): ComponentChildren;
}

/** A labelled control of the policy form with its own diagnostics right below it. */
export function DocField({ path, label, hint, diagnostics, under, itemLabel, children }: Props) {
  const id = fieldId(path);
  const mine = (under ? diagnosticsUnder : diagnosticsAt)(diagnostics, path);
  const describedBy = [hint ? `${id}-hint` : '', mine.length ? `${id}-diagnostics` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-invalid': mine.some((d) => d.severity === 'error') || undefined,
        'aria-describedby': describedBy || undefined,
      })}
      <DiagnosticList diagnostics={mine} path={path} label={itemLabel} />
    </div>
  );
}
