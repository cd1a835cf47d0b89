import { LEVELS, RESTRICTION_CLASSES, type Diagnostic } from '../../../core/policy/types.ts';
import { CLASS_WORDS } from '../lib/explain-data-controls.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, diagnosticsUnder, fieldId } from './diagnostics.ts';
import { isRecord, text, withItem } from './doc-edit.ts';

const LEVEL_LABEL: Record<string, string> = {
  BLOCK: 'Block',
  WARN: 'Warn (user may continue)',
  REPORT: 'Allow and record',
  ALLOW: 'Allow (overrides other rules)',
};

/** The class → level pairs of one data-control rule. */
export function RestrictionsEditor({
  path,
  value,
  onChange,
  diagnostics,
}: {
  path: string;
  value: unknown;
  onChange(v: unknown[]): void;
  diagnostics: Diagnostic[];
}) {
  const list = Array.isArray(value) ? (value as unknown[]) : [];
  const used = new Set(list.map((r) => (isRecord(r) ? r.class : undefined)));
  const nextClass = RESTRICTION_CLASSES.find((c) => !used.has(c));
  return (
    <fieldset class="nested" id={fieldId(path)} tabIndex={-1}>
      <legend>Restrictions</legend>
      {list.map((r, i) => {
        const at = `${path}[${i}]`;
        const rec = isRecord(r) ? r : {};
        const set = (key: string, v: string) => onChange(withItem(list, i, { ...rec, [key]: v }));
        return (
          <div class="restriction-row" key={i}>
            <div class="field">
              <label for={fieldId(`${at}.class`)}>Action</label>
              <select
                id={fieldId(`${at}.class`)}
                value={text(rec.class)}
                onChange={(e) => set('class', e.currentTarget.value)}
              >
                {RESTRICTION_CLASSES.map((c) => (
                  <option key={c} value={c}>
                    {CLASS_WORDS[c]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for={fieldId(`${at}.level`)}>Level</label>
              <select
                id={fieldId(`${at}.level`)}
                value={text(rec.level)}
                onChange={(e) => set('level', e.currentTarget.value)}
              >
                {LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {LEVEL_LABEL[l]}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              class="icon-button"
              aria-label={`Remove restriction ${i + 1}`}
              onClick={() => onChange(withItem(list, i, undefined))}
            >
              Remove
            </button>
            <DiagnosticList diagnostics={diagnosticsUnder(diagnostics, at)} path={at} />
          </div>
        );
      })}
      {nextClass && (
        <button
          type="button"
          onClick={() => onChange([...list, { class: nextClass, level: 'BLOCK' }])}
        >
          Add restriction
        </button>
      )}
      <DiagnosticList diagnostics={diagnosticsAt(diagnostics, path)} path={path} />
    </fieldset>
  );
}
