import type { Diagnostic } from '../../../core/policy/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, fieldId } from './diagnostics.ts';
import { isRecord, text, withField, withItem } from './doc-edit.ts';
import { DocField } from './doc-field.tsx';
import { LinesField } from './lines-field.tsx';
import { WhenEditor } from './when-editor.tsx';

const NEW_SCHEDULE = {
  name: '',
  when: { timeZone: 'UTC', windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }] },
  urlBlocklist: [],
};

/** `urlSchedules`: block and allow lists that apply only at certain times, on the device's clock. */
export function UrlSchedulesEditor({
  value,
  onChange,
  diagnostics,
}: {
  value: unknown;
  onChange(v: unknown[] | undefined): void;
  diagnostics: Diagnostic[];
}) {
  if (value !== undefined && !Array.isArray(value)) {
    return <p class="note">“urlSchedules” is not a list; edit it in the JSON view.</p>;
  }
  const list = (value as unknown[] | undefined) ?? [];
  return (
    <fieldset class="nested" id={fieldId('urlSchedules')} tabIndex={-1}>
      <legend>Sites at certain times</legend>
      <p class="hint">
        Extra blocked sites and exceptions that apply only in their time windows, judged on each
        device’s clock.
      </p>
      {list.map((raw, i) => {
        const path = `urlSchedules[${i}]`;
        const s = isRecord(raw) ? raw : {};
        const set = (key: string, v: unknown) => {
          const next = withItem(list, i, withField(s, key, v));
          onChange(next);
        };
        return (
          <fieldset class="rule-editor" key={i} id={fieldId(path)} tabIndex={-1}>
            <legend>
              Schedule {i + 1}: {text(s.name) || '(unnamed)'}
            </legend>
            <DocField path={`${path}.name`} label="Schedule name" diagnostics={diagnostics}>
              {(a) => (
                <input
                  {...a}
                  value={text(s.name)}
                  onInput={(e) => set('name', e.currentTarget.value)}
                />
              )}
            </DocField>
            <WhenEditor
              path={`${path}.when`}
              value={s.when}
              onChange={(v) => set('when', v)}
              label="In force at these times"
              diagnostics={diagnostics}
            />
            <LinesField
              path={`${path}.urlBlocklist`}
              label="Blocked sites at these times"
              rows={3}
              value={s.urlBlocklist}
              onChange={(v) => set('urlBlocklist', v.length ? v : undefined)}
              diagnostics={diagnostics}
            />
            <LinesField
              path={`${path}.urlAllowlist`}
              label="Allowed exceptions at these times"
              rows={2}
              value={s.urlAllowlist}
              onChange={(v) => set('urlAllowlist', v.length ? v : undefined)}
              diagnostics={diagnostics}
            />
            <DiagnosticList diagnostics={diagnosticsAt(diagnostics, path)} path={path} />
            <button
              type="button"
              class="danger-outline"
              onClick={() => {
                const next = withItem(list, i, undefined);
                onChange(next.length ? next : undefined);
              }}
            >
              Remove schedule {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => onChange([...list, NEW_SCHEDULE])}>
        Add sites at certain times
      </button>
      <DiagnosticList
        diagnostics={diagnosticsAt(diagnostics, 'urlSchedules')}
        path="urlSchedules"
      />
    </fieldset>
  );
}
