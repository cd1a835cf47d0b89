import type { Diagnostic } from '../../../core/policy/types.ts';
import type { Group } from '../api/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, diagnosticsUnder, fieldId } from './diagnostics.ts';
import { fieldBinder, isRecord, text, withField } from './doc-edit.ts';
import { DocField } from './doc-field.tsx';
import { LinesField } from './lines-field.tsx';
import { WhenEditor } from './when-editor.tsx';

const BROWSERS = [
  { id: 'chrome', label: 'Chrome' },
  { id: 'edge', label: 'Edge' },
  { id: 'firefox', label: 'Firefox' },
];

/** A number field's text as the document holds it: empty is "not set". */
function numberOrUnset(v: string): number | undefined {
  return v.trim() === '' ? undefined : Number(v);
}

/** Drops an object that became empty, so unticking everything removes the key. */
function orUnset(obj: Record<string, unknown>): Record<string, unknown> | undefined {
  return Object.keys(obj).length ? obj : undefined;
}

/**
 * `apps[i].access` as a form: who (groups), from what device, when, from where and on how
 * many devices. Each field shows the validation diagnostics of its own path.
 */
export function AccessEditor({
  path,
  value,
  onChange,
  groups,
  diagnostics,
}: {
  /** `apps[i].access` */
  path: string;
  value: unknown;
  onChange(v: unknown): void;
  groups: Group[];
  diagnostics: Diagnostic[];
}) {
  const on = value !== undefined;
  if (on && !isRecord(value)) {
    return (
      <div class="field">
        <p class="note">“access” is not an object; edit it in the JSON view.</p>
        <DiagnosticList diagnostics={diagnosticsUnder(diagnostics, path)} path={path} />
      </div>
    );
  }
  const access = (value as Record<string, unknown> | undefined) ?? {};
  const set = (key: string, v: unknown) => onChange(withField(access, key, v));
  const bind = fieldBinder(access, set, diagnostics);
  const device = isRecord(access.device) ? access.device : {};
  const setDevice = (key: string, v: unknown) => set('device', orUnset(withField(device, key, v)));
  const versions = isRecord(device.minBrowserVersion) ? device.minBrowserVersion : {};
  const names = Array.isArray(access.groups)
    ? access.groups.filter((g): g is string => typeof g === 'string')
    : [];
  const toggleGroup = (name: string, checked: boolean) => {
    const next = checked ? [...names, name] : names.filter((n) => n !== name);
    set('groups', next.length ? next : undefined);
  };
  const where = isRecord(access.where) ? access.where : null;
  const num = (
    p: string,
    label: string,
    v: unknown,
    onInput: (n: number | undefined) => void,
    hint?: string,
  ) => (
    <DocField key={p} path={p} label={label} hint={hint} diagnostics={diagnostics}>
      {(a) => (
        <input
          {...a}
          type="number"
          min={1}
          inputMode="numeric"
          value={typeof v === 'number' ? String(v) : ''}
          onInput={(e) => onInput(numberOrUnset(e.currentTarget.value))}
        />
      )}
    </DocField>
  );

  return (
    <fieldset class="nested" id={fieldId(path)} tabIndex={-1}>
      <legend>Who may open it, from where (conditional access)</legend>
      <label class="check">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => onChange(e.currentTarget.checked ? {} : undefined)}
        />
        Check access at sign-in
      </label>
      {!on && (
        <p class="hint">
          Without a rule, apps signing in through Palisade open for any group from a browser where
          Palisade is installed.
        </p>
      )}
      {on && (
        <>
          <fieldset class="checks" id={fieldId(`${path}.groups`)} tabIndex={-1}>
            <legend>Groups allowed</legend>
            <p class="hint">
              {names.length === 0 ? 'Every group (none ticked).' : 'Only the ticked groups.'}
            </p>
            {groups.map((g) => (
              <label key={g.id} class="check">
                <input
                  type="checkbox"
                  checked={names.some((n) => n.toLowerCase() === g.name.toLowerCase())}
                  onChange={(e) => toggleGroup(g.name, e.currentTarget.checked)}
                />
                {g.name}
              </label>
            ))}
            {names
              .filter((n) => !groups.some((g) => g.name.toLowerCase() === n.toLowerCase()))
              .map((n) => (
                <label key={n} class="check">
                  <input type="checkbox" checked onChange={() => toggleGroup(n, false)} />
                  {n} <span class="badge warn">no such group</span>
                </label>
              ))}
            <DiagnosticList
              diagnostics={diagnosticsUnder(diagnostics, `${path}.groups`)}
              path={`${path}.groups`}
            />
          </fieldset>

          <fieldset class="nested" id={fieldId(`${path}.device`)} tabIndex={-1}>
            <legend>Device</legend>
            <DocField
              path={`${path}.device.trust`}
              label="Browser must be"
              diagnostics={diagnostics}
            >
              {(a) => (
                <select
                  {...a}
                  value={text(device.trust) || 'enrolled'}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setDevice('trust', v === 'enrolled' ? undefined : v);
                  }}
                >
                  <option value="managed">
                    Managed: Palisade installed by the organisation’s policy
                  </option>
                  <option value="enrolled">Enrolled: Palisade installed (default)</option>
                  <option value="none">Any browser, even without Palisade</option>
                </select>
              )}
            </DocField>
            <div class="grid-2">
              {BROWSERS.map((b) =>
                num(
                  `${path}.device.minBrowserVersion.${b.id}`,
                  `Minimum ${b.label} version`,
                  versions[b.id],
                  (n) => setDevice('minBrowserVersion', orUnset(withField(versions, b.id, n))),
                ),
              )}
              {num(
                `${path}.device.maxPolicyAgeMinutes`,
                'Policy fetched within (minutes)',
                device.maxPolicyAgeMinutes,
                (n) => setDevice('maxPolicyAgeMinutes', n),
              )}
              {num(
                `${path}.device.seenWithinMinutes`,
                'Device reported within (minutes)',
                device.seenWithinMinutes,
                (n) => setDevice('seenWithinMinutes', n),
              )}
            </div>
            <DiagnosticList
              diagnostics={diagnosticsAt(diagnostics, `${path}.device.minBrowserVersion`)}
              path={`${path}.device.minBrowserVersion`}
            />
            <label class="check">
              <input
                type="checkbox"
                checked={device.incognitoCovered === true}
                onChange={(e) =>
                  setDevice('incognitoCovered', e.currentTarget.checked || undefined)
                }
              />
              Palisade must also run in private (incognito) windows
            </label>
            <DiagnosticList
              diagnostics={diagnosticsAt(diagnostics, `${path}.device`)}
              path={`${path}.device`}
            />
          </fieldset>

          <WhenEditor path={`${path}.when`} {...bind('when')} label="Only at certain times" />

          <LinesField
            path={`${path}.where.networks`}
            label="Client networks allowed (CIDR)"
            hint="One range per line, IPv4 or IPv6, e.g. 203.0.113.0/24 or 2001:db8::/32. Empty: any network."
            rows={3}
            value={where?.networks}
            onChange={(lines) => set('where', lines.length ? { networks: lines } : undefined)}
            diagnostics={diagnostics}
          />
          {num(
            `${path}.maxDevicesPerUser`,
            'Devices per person at once',
            access.maxDevicesPerUser,
            (n) => set('maxDevicesPerUser', n),
            'Empty: no limit.',
          )}
          <DiagnosticList diagnostics={diagnosticsAt(diagnostics, path)} path={path} />
        </>
      )}
    </fieldset>
  );
}
