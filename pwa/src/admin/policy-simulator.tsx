import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { DataAction, DataDecision } from '../../../core/policy/data-controls.ts';
import type { PolicyDocument } from '../../../core/policy/types.ts';
import type { Device, UserRow } from '../api/types.ts';
import { SelectField } from '../components/select-field.tsx';
import { TextField } from '../components/text-field.tsx';
import { LEVEL_WORDS } from '../lib/explain-data-controls.ts';
import { AccessSimulator, localInput } from './access-simulator.tsx';
import { simulateData, simulateUrl, type UrlDecision } from './simulate.ts';

const ACTIONS: { value: DataAction; label: string; from: boolean; to: boolean }[] = [
  { value: 'paste', label: 'Copy from A and paste into B', from: true, to: true },
  { value: 'print', label: 'Print page A', from: true, to: false },
  { value: 'download', label: 'Download from A', from: true, to: false },
  { value: 'upload', label: 'Upload to B', from: false, to: true },
];

/** The addresses the simulator asks for, each with an example of how one looks. */
const ADDRESSES = {
  url: { label: 'Address to test', example: 'https://example.com/page' },
  from: { label: 'From page (A)', example: 'https://mail.example.com/' },
  to: { label: 'To page (B)', example: 'https://personal.example/' },
} as const;

function normalizeUrl(input: string): string | null {
  const t = input.trim();
  if (!t) return null;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(t) ? t : `https://${t}`).href;
  } catch {
    return null;
  }
}

/**
 * "What happens to this URL / this copy?" — answered instantly, in the browser, by the
 * same core functions the extension enforces with, on the draft being edited; and "may
 * this person, on this device, open this app now?" by the server's access decision.
 */
export function PolicySimulator({
  document: doc,
  users = [],
  devices = [],
}: {
  document: PolicyDocument | null;
  users?: UserRow[];
  devices?: Device[];
}) {
  const [addresses, setAddresses] = useState({ url: '', from: '', to: '' });
  const { url, from, to } = addresses;
  const [action, setAction] = useState<DataAction>('paste');
  const [toOs, setToOs] = useState(false);
  const [at, setAt] = useState(() => localInput(new Date()));
  const timed =
    (doc?.dataControls ?? []).some((r) => r.when !== undefined) ||
    (doc?.urlSchedules ?? []).length > 0;
  const atDate = new Date(at);
  // Rules with `when` are judged at the time asked for (now until one is given).
  const when = timed && !Number.isNaN(atDate.getTime()) ? atDate : new Date();
  const spec = ACTIONS.find((a) => a.value === action)!;

  // Typed loosely (a missing scheme reads as https), so a text input with the URL keyboard.
  const addressField = (
    key: keyof typeof ADDRESSES,
    disabled: boolean,
    children?: ComponentChildren,
  ) => (
    <TextField
      id={`sim-${key}`}
      label={ADDRESSES[key].label}
      inputMode="url"
      placeholder={ADDRESSES[key].example}
      value={addresses[key]}
      onValue={(v) => setAddresses((a) => ({ ...a, [key]: v }))}
      disabled={disabled}
    >
      {children}
    </TextField>
  );

  let urlResult: ReturnType<typeof simulateUrl> | 'invalid' | null = null;
  if (doc && url.trim()) {
    const u = normalizeUrl(url);
    try {
      urlResult = u ? simulateUrl(doc, u, when) : 'invalid';
    } catch {
      urlResult = 'invalid';
    }
  }
  let dataResult: DataDecision | null = null;
  const fromUrl = normalizeUrl(from);
  const toUrl = toOs ? 'os' : normalizeUrl(to);
  if (doc && (!spec.from || fromUrl) && (!spec.to || toUrl)) {
    dataResult = simulateData(doc, {
      action,
      from: fromUrl ?? undefined,
      to: toUrl ?? undefined,
      now: when,
    });
  }

  return (
    <section class="card simulator" aria-labelledby="sim-title">
      <h2 id="sim-title">Simulator</h2>
      <p class="hint">
        Tests this draft on its own, as you type. Other live policies for the same groups also apply
        on devices.
      </p>
      {!doc && <p class="note">Fix the errors in the policy to simulate it.</p>}
      {timed && (
        <TextField
          id="sim-at"
          label="When (your clock)"
          type="datetime-local"
          value={at}
          onValue={setAt}
          disabled={!doc}
        >
          <p class="hint">Some rules apply only at certain times.</p>
        </TextField>
      )}
      {addressField('url', !doc)}
      <div class="sim-result" role="status" aria-label="URL verdict">
        {urlResult === 'invalid' && (
          <p class="error-text">Enter a full address such as https://example.com/page.</p>
        )}
        {urlResult && urlResult !== 'invalid' && <UrlAnswer v={urlResult} />}
      </div>

      <fieldset class="nested">
        <legend>Copy, print, download or upload</legend>
        <SelectField
          id="sim-action"
          label="Action"
          value={action}
          onValue={setAction}
          options={ACTIONS}
          disabled={!doc}
        />
        {spec.from && addressField('from', !doc)}
        {spec.to &&
          addressField(
            'to',
            !doc || toOs,
            action === 'paste' && (
              <label class="check">
                <input
                  type="checkbox"
                  checked={toOs}
                  onChange={(e) => setToOs(e.currentTarget.checked)}
                  disabled={!doc}
                />
                B is another program (the system clipboard)
              </label>
            ),
          )}
        <div class="sim-result" role="status" aria-label="Data verdict">
          {dataResult && <DataAnswer d={dataResult} />}
        </div>
      </fieldset>
      <AccessSimulator document={doc} users={users} devices={devices} />
    </section>
  );
}

function UrlAnswer({ v }: { v: UrlDecision & { schedule?: string } }) {
  const where =
    v.index >= 0
      ? ` (line ${v.index + 1} of the ${v.list === 'allowlist' ? 'allowed exceptions' : 'blocked sites'})`
      : v.schedule
        ? ` (schedule “${v.schedule}”, in force at this time)`
        : '';
  if (v.verdict === 'block') {
    return (
      <p class="verdict verdict-block">
        <strong>Blocked</strong> by the filter <code>{v.filter}</code>
        {where}.
      </p>
    );
  }
  return v.filter ? (
    <p class="verdict verdict-allow">
      <strong>Allowed</strong> by the exception <code>{v.filter}</code>
      {where}.
    </p>
  ) : (
    <p class="verdict verdict-allow">
      <strong>Allowed</strong>: no filter matches.
    </p>
  );
}

function DataAnswer({ d }: { d: DataDecision }) {
  if (!d.level || !d.rule) {
    return (
      <p class="verdict verdict-allow">
        <strong>Allowed</strong>: no rule applies, nothing is recorded.
      </p>
    );
  }
  const cls =
    d.level === 'BLOCK' ? 'verdict-block' : d.level === 'ALLOW' ? 'verdict-allow' : 'verdict-warn';
  return (
    <p class={`verdict ${cls}`}>
      <strong>{d.level}</strong> — {LEVEL_WORDS[d.level]} — by rule “{d.rule.name}” (
      <code>{d.rule.rule_id}</code>).
    </p>
  );
}
