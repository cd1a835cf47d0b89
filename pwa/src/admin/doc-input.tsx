import type { Diagnostic } from '../../../core/policy/types.ts';
import { text } from './doc-edit.ts';
import { DocField } from './doc-field.tsx';

interface Props {
  path: string;
  label: string;
  hint?: string;
  diagnostics: Diagnostic[];
  /** The document's value at `path` (anything but a string shows as empty). */
  value: unknown;
  onValue(value: string): void;
  /** A `<select>` of these `[value, label]` pairs. */
  options?: readonly (readonly [string, string])[];
  /** A `<textarea>` this many rows high. */
  rows?: number;
  type?: 'text' | 'url';
  spellcheck?: boolean;
  disabled?: boolean;
}

/**
 * A policy-form control bound to one value: an input, a textarea (`rows`) or a select
 * (`options`), inside its `DocField` with the label, hint and diagnostics wired to it.
 *
 * @example
 * <DocInput path="name" label="Policy name" diagnostics={d} value={doc.name} onValue={setName} />
 */
export function DocInput({
  value,
  onValue,
  options,
  rows,
  type,
  spellcheck,
  disabled,
  ...field
}: Props) {
  return (
    <DocField {...field}>
      {(a) =>
        options ? (
          <select
            {...a}
            value={text(value)}
            disabled={disabled}
            onChange={(e) => onValue(e.currentTarget.value)}
          >
            {options.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        ) : rows ? (
          <textarea
            {...a}
            rows={rows}
            value={text(value)}
            spellcheck={spellcheck}
            disabled={disabled}
            onInput={(e) => onValue(e.currentTarget.value)}
          />
        ) : (
          <input
            {...a}
            // preact types <input> as a union keyed on literal `type`s; ours are text-like.
            type={(type ?? 'text') as 'text'}
            value={text(value)}
            spellcheck={spellcheck}
            disabled={disabled}
            onInput={(e) => onValue(e.currentTarget.value)}
          />
        )
      }
    </DocField>
  );
}
