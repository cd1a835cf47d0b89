import { useEffect, useState } from 'preact/hooks';
import type { Diagnostic } from '../../../core/policy/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsUnder } from './diagnostics.ts';
import { DocField } from './doc-field.tsx';

function toLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

interface Props {
  /** The document path of the list, e.g. `urlBlocklist` or `dataControls[0].sources.urls`. */
  path: string;
  label: string;
  hint?: string;
  value: unknown;
  onChange(lines: string[]): void;
  diagnostics: Diagnostic[];
  rows?: number;
}

/**
 * A list of strings as a textarea, one per line — how admins paste Chrome URL lists.
 * Diagnostics about entry `[i]` are shown with the line number it sits on (blank lines
 * are not entries, so index and line can differ).
 */
export function LinesField({ path, label, hint, value, onChange, diagnostics, rows = 6 }: Props) {
  const list =
    Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
  const [text, setText] = useState(() => (list ?? []).join('\n'));

  // Follow changes made elsewhere (the JSON view) without fighting the user's own typing.
  useEffect(() => {
    if (list && JSON.stringify(toLines(text)) !== JSON.stringify(list)) setText(list.join('\n'));
  }, [JSON.stringify(list)]);

  const mine = diagnosticsUnder(diagnostics, path);
  const lineOf = (index: number): number => {
    let seen = -1;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() !== '' && ++seen === index) return i + 1;
    }
    return index + 1;
  };
  const label2 = (d: Diagnostic) => {
    const m = new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}\\[(\\d+)\\]`).exec(d.path);
    return m ? `Line ${lineOf(Number(m[1]))}` : null;
  };

  if (value !== undefined && !list) {
    return (
      <div class="field">
        <span class="label">{label}</span>
        <p class="note">This is not a list of text lines; edit it in the JSON view.</p>
        <DiagnosticList diagnostics={mine} path={path} />
      </div>
    );
  }
  return (
    <DocField
      path={path}
      label={label}
      hint={hint}
      diagnostics={diagnostics}
      under
      itemLabel={label2}
    >
      {(a) => (
        <textarea
          {...a}
          rows={rows}
          spellcheck={false}
          autoCapitalize="off"
          value={text}
          onInput={(e) => {
            const t = e.currentTarget.value;
            setText(t);
            onChange(toLines(t));
          }}
        />
      )}
    </DocField>
  );
}
