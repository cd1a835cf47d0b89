import type { Diagnostic } from '../../../core/policy/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, diagnosticsUnder, fieldId } from './diagnostics.ts';
import { isRecord, text, withField, withItem } from './doc-edit.ts';
import { DocField } from './doc-field.tsx';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const DEFAULT_WINDOW = { days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' };

function zones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/**
 * A `when` condition as a form: a tick box to turn it on, the time zone, and windows of
 * weekdays and hours. Used by app access rules and data-control rules alike.
 */
export function WhenEditor({
  path,
  value,
  onChange,
  label,
  diagnostics,
}: {
  /** e.g. `apps[0].access.when` or `dataControls[2].when` */
  path: string;
  value: unknown;
  onChange(v: unknown): void;
  label: string;
  diagnostics: Diagnostic[];
}) {
  const when = isRecord(value) ? value : null;
  const windows = when && Array.isArray(when.windows) ? (when.windows as unknown[]) : [];
  const setWhen = (key: string, v: unknown) => onChange(withField(when ?? {}, key, v));
  const setWindow = (i: number, w: unknown) => setWhen('windows', withItem(windows, i, w));
  return (
    <fieldset class="nested" id={fieldId(path)} tabIndex={-1}>
      <legend>When</legend>
      <label class="check">
        <input
          type="checkbox"
          checked={when !== null}
          onChange={(e) =>
            onChange(
              e.currentTarget.checked
                ? {
                    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
                    windows: [DEFAULT_WINDOW],
                  }
                : undefined,
            )
          }
        />
        {label}
      </label>
      {when && (
        <>
          <DocField
            path={`${path}.timeZone`}
            label="Time zone"
            hint="An IANA name such as Europe/Paris."
            diagnostics={diagnostics}
          >
            {(a) => (
              <input
                {...a}
                list={`${fieldId(path)}-zones`}
                value={text(when.timeZone)}
                spellcheck={false}
                onInput={(e) => setWhen('timeZone', e.currentTarget.value)}
              />
            )}
          </DocField>
          <datalist id={`${fieldId(path)}-zones`}>
            {zones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {windows.map((raw, i) => {
            const wPath = `${path}.windows[${i}]`;
            const w = isRecord(raw) ? raw : {};
            const days = Array.isArray(w.days) ? (w.days as unknown[]) : null;
            const setW = (key: string, v: unknown) => setWindow(i, withField(w, key, v));
            const toggleDay = (d: number, checked: boolean) => {
              const current = (days ?? [1, 2, 3, 4, 5, 6, 7]).filter(
                (x): x is number => typeof x === 'number' && x !== d,
              );
              const next = checked ? [...current, d].sort((x, y) => x - y) : current;
              setW('days', next.length === 7 ? undefined : next);
            };
            return (
              <fieldset class="nested" key={i} id={fieldId(wPath)} tabIndex={-1}>
                <legend>Window {i + 1}</legend>
                <div
                  class="checks"
                  id={fieldId(`${wPath}.days`)}
                  role="group"
                  aria-label={`Window ${i + 1} days`}
                >
                  {DAYS.map((name, d) => (
                    <label key={name} class="check">
                      <input
                        type="checkbox"
                        checked={days === null || days.includes(d + 1)}
                        onChange={(e) => toggleDay(d + 1, e.currentTarget.checked)}
                      />
                      {name}
                    </label>
                  ))}
                </div>
                <DiagnosticList
                  diagnostics={diagnosticsUnder(diagnostics, `${wPath}.days`)}
                  path={`${wPath}.days`}
                />
                <div class="grid-2">
                  <DocField
                    path={`${wPath}.from`}
                    label={`Window ${i + 1} from`}
                    diagnostics={diagnostics}
                  >
                    {(a) => (
                      <input
                        {...a}
                        value={text(w.from)}
                        placeholder="08:00"
                        onInput={(e) => setW('from', e.currentTarget.value)}
                      />
                    )}
                  </DocField>
                  <DocField
                    path={`${wPath}.to`}
                    label={`Window ${i + 1} to`}
                    hint="Earlier than “from”: runs past midnight."
                    diagnostics={diagnostics}
                  >
                    {(a) => (
                      <input
                        {...a}
                        value={text(w.to)}
                        placeholder="19:00"
                        onInput={(e) => setW('to', e.currentTarget.value)}
                      />
                    )}
                  </DocField>
                </div>
                <DiagnosticList diagnostics={diagnosticsAt(diagnostics, wPath)} path={wPath} />
                <button
                  type="button"
                  class="danger-outline"
                  onClick={() => setWhen('windows', withItem(windows, i, undefined))}
                >
                  Remove window {i + 1}
                </button>
              </fieldset>
            );
          })}
          <button type="button" onClick={() => setWhen('windows', [...windows, DEFAULT_WINDOW])}>
            Add a time window
          </button>
          <DiagnosticList
            diagnostics={diagnosticsAt(diagnostics, `${path}.windows`).concat(
              diagnosticsAt(diagnostics, path),
            )}
            path={path}
          />
        </>
      )}
    </fieldset>
  );
}
