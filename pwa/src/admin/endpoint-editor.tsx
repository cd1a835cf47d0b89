import type { Diagnostic } from '../../../core/policy/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, fieldId } from './diagnostics.ts';
import { isRecord, withField } from './doc-edit.ts';
import { LinesField } from './lines-field.tsx';

interface Props {
  path: string;
  legend: string;
  value: unknown;
  appIds: { id: string; name: string }[];
  onChange(value: Record<string, unknown> | undefined): void;
  diagnostics: Diagnostic[];
}

const FORM_KEYS = ['urls', 'apps', 'os_clipboard'];

/**
 * A rule's sources or destinations: URL filters, app families and "other programs"
 * (the OS clipboard). Nested and/or/not conditions stay in the JSON view, and the form
 * says they are there.
 */
export function EndpointEditor({ path, legend, value, appIds, onChange, diagnostics }: Props) {
  const e = isRecord(value) ? value : {};
  const set = (key: string, v: unknown) => {
    const next = withField(e, key, v);
    onChange(Object.keys(next).length ? next : undefined);
  };
  const apps = Array.isArray(e.apps) ? (e.apps as unknown[]) : [];
  const extra = Object.keys(e).filter((k) => !FORM_KEYS.includes(k));

  return (
    <fieldset class="nested">
      <legend>{legend}</legend>
      <LinesField
        path={`${path}.urls`}
        label="Sites (URL filters)"
        hint="Empty means any site."
        rows={3}
        value={e.urls}
        onChange={(urls) => set('urls', urls.length ? urls : undefined)}
        diagnostics={diagnostics}
      />
      {appIds.length > 0 && (
        <fieldset class="checks" id={fieldId(`${path}.apps`)}>
          <legend>App families</legend>
          {appIds.map((a) => (
            <label key={a.id} class="check">
              <input
                type="checkbox"
                checked={apps.includes(a.id)}
                onChange={(ev) => {
                  const next = ev.currentTarget.checked
                    ? [...apps, a.id]
                    : apps.filter((x) => x !== a.id);
                  set('apps', next.length ? next : undefined);
                }}
              />
              {a.name}
            </label>
          ))}
        </fieldset>
      )}
      <DiagnosticList
        diagnostics={diagnostics.filter((d) => d.path.startsWith(`${path}.apps`))}
        path={`${path}.apps`}
      />
      <label class="check">
        <input
          type="checkbox"
          id={fieldId(`${path}.os_clipboard`)}
          checked={e.os_clipboard === true}
          onChange={(ev) => set('os_clipboard', ev.currentTarget.checked ? true : undefined)}
        />
        Other programs (the system clipboard)
      </label>
      {extra.length > 0 && (
        <p class="note">
          Also has conditions the form does not edit ({extra.join(', ')}): see the JSON view.
        </p>
      )}
      <DiagnosticList diagnostics={diagnosticsAt(diagnostics, path)} path={path} />
    </fieldset>
  );
}
