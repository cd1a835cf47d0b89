import type { Diagnostic } from '../../../core/policy/types.ts';
import type { Group } from '../api/types.ts';
import { AccessEditor } from './access-editor.tsx';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, fieldId } from './diagnostics.ts';
import { fieldBinder, isRecord, optionalText, text, withField, withItem } from './doc-edit.ts';
import { DocInput } from './doc-input.tsx';
import { LinesField } from './lines-field.tsx';

/** App families: a name for a set of URL filters (used by rules), and the app catalog entry. */
export function AppsEditor({
  value,
  onChange,
  diagnostics,
  groups = [],
}: {
  value: unknown;
  onChange(v: unknown[] | undefined): void;
  diagnostics: Diagnostic[];
  /** The organisation's groups, offered by the access rule. */
  groups?: Group[];
}) {
  if (value !== undefined && !Array.isArray(value)) {
    return (
      <fieldset>
        <legend>Apps</legend>
        <p class="note">“apps” is not a list; edit it in the JSON view.</p>
        <DiagnosticList diagnostics={diagnosticsAt(diagnostics, 'apps')} path="apps" />
      </fieldset>
    );
  }
  const apps = (value as unknown[] | undefined) ?? [];
  return (
    <fieldset id={fieldId('apps')} tabIndex={-1}>
      <legend>Apps and catalog</legend>
      <p class="hint">
        An app family names the sites of one app (for rules), and can be listed in the employees’
        app catalog.
      </p>
      {apps.map((raw, i) => {
        const path = `apps[${i}]`;
        const app = isRecord(raw) ? raw : {};
        const catalog = isRecord(app.catalog) ? app.catalog : null;
        const set = (key: string, v: unknown) =>
          onChange(withItem(apps, i, withField(app, key, v)));
        const bind = fieldBinder(app, set, diagnostics);
        const setCatalog = (key: string, v: string) =>
          set(
            'catalog',
            withField(
              catalog ?? { description: '', launchUrl: '' },
              key,
              key === 'description' || key === 'launchUrl' ? v : optionalText(v),
            ),
          );
        return (
          <fieldset class="rule-editor" key={i} id={fieldId(path)} tabIndex={-1}>
            <legend>
              App {i + 1}: {text(app.name) || '(unnamed)'}
            </legend>
            <div class="grid-2">
              <DocInput
                path={`${path}.id`}
                label="App id"
                hint="Lowercase letters, digits, dashes."
                diagnostics={diagnostics}
                value={app.id}
                onValue={(v) => set('id', v)}
                spellcheck={false}
              />
              <DocInput
                path={`${path}.name`}
                label="App name"
                diagnostics={diagnostics}
                value={app.name}
                onValue={(v) => set('name', v)}
              />
            </div>
            <LinesField
              path={`${path}.urls`}
              label="Its sites (URL filters)"
              rows={3}
              {...bind('urls')}
            />
            <label class="check">
              <input
                type="checkbox"
                checked={catalog !== null}
                onChange={(e) =>
                  set(
                    'catalog',
                    e.currentTarget.checked ? { description: '', launchUrl: '' } : undefined,
                  )
                }
              />
              List in the app catalog
            </label>
            {catalog && (
              <div class="grid-2">
                <DocInput
                  path={`${path}.catalog.launchUrl`}
                  label="Launch address"
                  diagnostics={diagnostics}
                  value={catalog.launchUrl}
                  onValue={(v) => setCatalog('launchUrl', v)}
                  type="url"
                />
                <DocInput
                  path={`${path}.catalog.category`}
                  label="Category"
                  diagnostics={diagnostics}
                  value={catalog.category}
                  onValue={(v) => setCatalog('category', v)}
                />
                <DocInput
                  path={`${path}.catalog.description`}
                  label="Catalog description"
                  diagnostics={diagnostics}
                  value={catalog.description}
                  onValue={(v) => setCatalog('description', v)}
                />
                <DocInput
                  path={`${path}.catalog.icon`}
                  label="Icon address (https: or data:image)"
                  diagnostics={diagnostics}
                  value={catalog.icon}
                  onValue={(v) => setCatalog('icon', v)}
                />
              </div>
            )}
            <AccessEditor path={`${path}.access`} {...bind('access')} groups={groups} />
            <DiagnosticList
              diagnostics={diagnosticsAt(diagnostics, path).concat(
                diagnosticsAt(diagnostics, `${path}.catalog`),
              )}
              path={path}
            />
            <button
              type="button"
              class="danger-outline"
              onClick={() => onChange(withItem(apps, i, undefined))}
            >
              Remove app {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        onClick={() => onChange([...apps, { id: `app-${apps.length + 1}`, name: '', urls: [] }])}
      >
        Add an app
      </button>
      <DiagnosticList diagnostics={diagnosticsAt(diagnostics, 'apps')} path="apps" />
    </fieldset>
  );
}
