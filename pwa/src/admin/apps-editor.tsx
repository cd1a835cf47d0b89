import type { Diagnostic } from '../../../core/policy/types.ts';
import type { Group } from '../api/types.ts';
import { AccessEditor } from './access-editor.tsx';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, fieldId } from './diagnostics.ts';
import { isRecord, optionalText, text, withField, withItem } from './doc-edit.ts';
import { DocField } from './doc-field.tsx';
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
              <DocField
                path={`${path}.id`}
                label="App id"
                hint="Lowercase letters, digits, dashes."
                diagnostics={diagnostics}
              >
                {(a) => (
                  <input
                    {...a}
                    value={text(app.id)}
                    spellcheck={false}
                    onInput={(e) => set('id', e.currentTarget.value)}
                  />
                )}
              </DocField>
              <DocField path={`${path}.name`} label="App name" diagnostics={diagnostics}>
                {(a) => (
                  <input
                    {...a}
                    value={text(app.name)}
                    onInput={(e) => set('name', e.currentTarget.value)}
                  />
                )}
              </DocField>
            </div>
            <LinesField
              path={`${path}.urls`}
              label="Its sites (URL filters)"
              rows={3}
              value={app.urls}
              onChange={(v) => set('urls', v)}
              diagnostics={diagnostics}
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
                <DocField
                  path={`${path}.catalog.launchUrl`}
                  label="Launch address"
                  diagnostics={diagnostics}
                >
                  {(a) => (
                    <input
                      {...a}
                      type="url"
                      value={text(catalog.launchUrl)}
                      onInput={(e) => setCatalog('launchUrl', e.currentTarget.value)}
                    />
                  )}
                </DocField>
                <DocField
                  path={`${path}.catalog.category`}
                  label="Category"
                  diagnostics={diagnostics}
                >
                  {(a) => (
                    <input
                      {...a}
                      value={text(catalog.category)}
                      onInput={(e) => setCatalog('category', e.currentTarget.value)}
                    />
                  )}
                </DocField>
                <DocField
                  path={`${path}.catalog.description`}
                  label="Catalog description"
                  diagnostics={diagnostics}
                >
                  {(a) => (
                    <input
                      {...a}
                      value={text(catalog.description)}
                      onInput={(e) => setCatalog('description', e.currentTarget.value)}
                    />
                  )}
                </DocField>
                <DocField
                  path={`${path}.catalog.icon`}
                  label="Icon address (https: or data:image)"
                  diagnostics={diagnostics}
                >
                  {(a) => (
                    <input
                      {...a}
                      value={text(catalog.icon)}
                      onInput={(e) => setCatalog('icon', e.currentTarget.value)}
                    />
                  )}
                </DocField>
              </div>
            )}
            <AccessEditor
              path={`${path}.access`}
              value={app.access}
              onChange={(v) => set('access', v)}
              groups={groups}
              diagnostics={diagnostics}
            />
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
