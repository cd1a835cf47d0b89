import { DETECTORS } from '../../../core/policy/detect/detectors.ts';
import type { Diagnostic } from '../../../core/policy/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, fieldId } from './diagnostics.ts';
import { fieldBinder, isRecord, optionalText, text, withField, withItem } from './doc-edit.ts';
import { DocInput } from './doc-input.tsx';
import { EndpointEditor } from './endpoint-editor.tsx';
import { RestrictionsEditor } from './restrictions-editor.tsx';
import { WhenEditor } from './when-editor.tsx';

interface Props {
  value: unknown;
  apps: unknown;
  onChange(v: unknown[] | undefined): void;
  diagnostics: Diagnostic[];
}

/** Data-control rules (Chrome's DataControlsRules): where from, where to, what, at which level. */
export function DataControlsEditor({ value, apps, onChange, diagnostics }: Props) {
  const rules = Array.isArray(value) ? (value as unknown[]) : [];
  const appIds = (Array.isArray(apps) ? apps : [])
    .filter(isRecord)
    .filter((a) => typeof a.id === 'string')
    .map((a) => ({ id: a.id as string, name: text(a.name) || (a.id as string) }));

  const add = () =>
    onChange([
      ...rules,
      {
        name: `Rule ${rules.length + 1}`,
        rule_id: `rule-${rules.length + 1}`,
        restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
      },
    ]);

  if (value !== undefined && !Array.isArray(value)) {
    return (
      <fieldset>
        <legend>Copy, paste, print, download and upload</legend>
        <p class="note">“dataControls” is not a list; edit it in the JSON view.</p>
        <DiagnosticList
          diagnostics={diagnosticsAt(diagnostics, 'dataControls')}
          path="dataControls"
        />
      </fieldset>
    );
  }

  return (
    <fieldset id={fieldId('dataControls')} tabIndex={-1}>
      <legend>Copy, paste, print, download and upload</legend>
      {rules.length === 0 && (
        <p class="hint">
          No data-control rules: copying, printing, downloading and uploading are not limited.
        </p>
      )}
      {rules.map((r, i) => {
        const path = `dataControls[${i}]`;
        const rule = isRecord(r) ? r : {};
        const set = (key: string, v: unknown) =>
          onChange(withItem(rules, i, withField(rule, key, v)));
        const bind = fieldBinder(rule, set, diagnostics);
        return (
          <fieldset class="rule-editor" key={i} id={fieldId(path)} tabIndex={-1}>
            <legend>
              Rule {i + 1}: {text(rule.name) || '(unnamed)'}
            </legend>
            <div class="grid-2">
              <DocInput
                path={`${path}.name`}
                label="Rule name"
                diagnostics={diagnostics}
                value={rule.name}
                onValue={(v) => set('name', v)}
              />
              <DocInput
                path={`${path}.rule_id`}
                label="Rule id"
                hint="Unique; audit events name it."
                diagnostics={diagnostics}
                value={rule.rule_id}
                onValue={(v) => set('rule_id', v)}
                spellcheck={false}
              />
            </div>
            <DocInput
              path={`${path}.description`}
              label="Description (shown to employees)"
              diagnostics={diagnostics}
              value={rule.description}
              onValue={(v) => set('description', optionalText(v))}
            />
            <div class="grid-2">
              <EndpointEditor
                path={`${path}.sources`}
                legend="From (sources)"
                {...bind('sources')}
                appIds={appIds}
              />
              <EndpointEditor
                path={`${path}.destinations`}
                legend="To (destinations)"
                {...bind('destinations')}
                appIds={appIds}
              />
            </div>
            <ContentEditor
              path={`${path}.content`}
              value={rule.content}
              onChange={(v) => set('content', v)}
            />
            <WhenEditor
              path={`${path}.when`}
              {...bind('when')}
              label="Only at certain times (on the device’s clock)"
            />
            <RestrictionsEditor path={`${path}.restrictions`} {...bind('restrictions')} />
            <label class="checkbox" id={fieldId(`${path}.requireJustification`)}>
              <input
                type="checkbox"
                checked={rule.requireJustification === true}
                onChange={(e) =>
                  set('requireJustification', e.currentTarget.checked ? true : undefined)
                }
              />{' '}
              On WARN, ask why (the reason is recorded)
            </label>
            <DiagnosticList diagnostics={diagnosticsAt(diagnostics, path)} path={path} />
            <button
              type="button"
              class="danger-outline"
              onClick={() => onChange(withItem(rules, i, undefined))}
            >
              Remove rule {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" onClick={add}>
        Add a data-control rule
      </button>
      <DiagnosticList
        diagnostics={diagnosticsAt(diagnostics, 'dataControls')}
        path="dataControls"
      />
    </fieldset>
  );
}

/**
 * The rule's content condition: built-in detectors as checkboxes. Patterns and `min_count`
 * are kept as they are (edit them in the JSON view); no detector and no pattern removes it.
 */
function ContentEditor({
  path,
  value,
  onChange,
}: {
  path: string;
  value: unknown;
  onChange(v: unknown): void;
}) {
  const content = isRecord(value) ? value : {};
  const chosen = Array.isArray(content.detectors) ? (content.detectors as unknown[]) : [];
  const toggle = (id: string, on: boolean) => {
    const detectors = on ? [...chosen, id] : chosen.filter((d) => d !== id);
    const next = withField(content, 'detectors', detectors.length ? detectors : undefined);
    const empty = next.detectors === undefined && next.patterns === undefined;
    onChange(empty ? undefined : next);
  };
  return (
    <fieldset id={fieldId(path)} tabIndex={-1}>
      <legend>Only when the content contains (checked on the device, never uploaded)</legend>
      {[...DETECTORS.values()].map((d) => (
        <label key={d.id} class="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(d.id)}
            onChange={(e) => toggle(d.id, e.currentTarget.checked)}
          />{' '}
          {d.name}
        </label>
      ))}
      {Array.isArray(content.patterns) && content.patterns.length > 0 && (
        <p class="hint">
          {content.patterns.length} company pattern(s): edit them in the JSON view.
        </p>
      )}
    </fieldset>
  );
}
