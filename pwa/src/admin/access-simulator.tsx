import { TextField } from '../components/text-field.tsx';
import { useState } from 'preact/hooks';
import type { PolicyDocument } from '../../../core/policy/types.ts';
import type { Device, UserRow } from '../api/types.ts';
import { simulateAccess } from './simulate.ts';

const NO_PALISADE = '';

/** A `datetime-local` value for `d` in the admin's own time zone. */
export function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The counts, versions and ages the admin sets, each a whole number from `min`. */
const NUMBERS = {
  others: { id: 'sim-others', label: 'Other devices signed in to the app', min: 0 },
  version: { id: 'sim-version', label: 'Browser version', min: 1 },
  policyAge: { id: 'sim-policy-age', label: 'Policy fetched (minutes ago)', min: 0 },
  seenAgo: { id: 'sim-seen', label: 'Last report (minutes ago)', min: 0 },
} as const;

function minutes(v: string, fallback: number): number {
  const n = Number(v);
  return v.trim() === '' || Number.isNaN(n) ? fallback : n;
}

/**
 * "May this person, on this device, open this app now?" on the draft being edited, decided
 * by core's decideAccess as the server does at sign-in. The device's state (posture) is
 * what the admin sets here: the simulator does not read it from the device.
 */
export function AccessSimulator({
  document: doc,
  users,
  devices,
}: {
  document: PolicyDocument | null;
  users: UserRow[];
  devices: Device[];
}) {
  const apps = doc?.apps ?? [];
  const [appId, setAppId] = useState('');
  const [userId, setUserId] = useState('');
  const [deviceId, setDeviceId] = useState(NO_PALISADE);
  const [time, setTime] = useState(() => localInput(new Date()));
  const [address, setAddress] = useState('');
  const [numbers, setNumbers] = useState({
    others: '0',
    version: '131',
    policyAge: '5',
    seenAgo: '1',
  });
  const { others, version, policyAge, seenAgo } = numbers;
  const [browser, setBrowser] = useState('chrome');
  const [incognito, setIncognito] = useState(true);
  const [rulesInPlace, setRulesInPlace] = useState(true);

  const app = apps.find((a) => a.id === appId) ?? apps[0];
  const user = users.find((u) => u.id === userId) ?? users[0];
  const theirs = devices.filter((d) => user && d.userId === user.id);
  const device = theirs.find((d) => d.id === deviceId) ?? null;
  const now = new Date(time);

  const decision =
    doc && app && user && !Number.isNaN(now.getTime())
      ? simulateAccess(doc, {
          appId: app.id,
          user,
          device,
          now,
          clientAddress: address.trim(),
          otherActiveDevices: minutes(others, 0),
          posture: {
            browser,
            browserVersion: version,
            os: device?.platform ?? 'unknown',
            extensionVersion: device?.extensionVersion ?? 'unknown',
            installType: device?.managed ? 'admin' : 'normal',
            incognitoAllowed: incognito,
            policyVersion: device?.appliedVersion ?? null,
            policySince: new Date(now.getTime() - minutes(policyAge, 0) * 60_000).toISOString(),
            rulesInPlace,
            reportedAt: new Date(now.getTime() - minutes(seenAgo, 0) * 60_000).toISOString(),
          },
        })
      : null;

  const numberField = (key: keyof typeof NUMBERS) => (
    <TextField
      {...NUMBERS[key]}
      type="number"
      value={numbers[key]}
      onValue={(v) => setNumbers((n) => ({ ...n, [key]: v }))}
    />
  );

  return (
    <fieldset class="nested" aria-labelledby="sim-access-title">
      <legend id="sim-access-title">Open an app</legend>
      {apps.length === 0 && <p class="hint">Add an app to this policy to simulate access to it.</p>}
      {apps.length > 0 && users.length === 0 && <p class="hint">No people yet to simulate.</p>}
      {apps.length > 0 && users.length > 0 && (
        <>
          <div class="grid-2">
            <div class="field">
              <label for="sim-app">App</label>
              <select
                id="sim-app"
                value={app?.id}
                onChange={(e) => setAppId(e.currentTarget.value)}
              >
                {apps.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name || a.id}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="sim-user">Person</label>
              <select
                id="sim-user"
                value={user?.id}
                onChange={(e) => setUserId(e.currentTarget.value)}
              >
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email}){u.groupName ? ` — ${u.groupName}` : ''}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="sim-device">Device</label>
              <select
                id="sim-device"
                value={device?.id ?? NO_PALISADE}
                onChange={(e) => setDeviceId(e.currentTarget.value)}
              >
                <option value={NO_PALISADE}>
                  No Palisade (another browser, profile or private window)
                </option>
                {theirs.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                    {d.managed ? ' (managed)' : ''}
                    {d.status !== 'active' ? ` — ${d.status}` : ''}
                  </option>
                ))}
              </select>
            </div>
            <TextField
              id="sim-time"
              label="Time (your clock)"
              type="datetime-local"
              value={time}
              onValue={setTime}
            />
            <TextField
              id="sim-address"
              label="Client address"
              placeholder="203.0.113.7"
              spellcheck={false}
              value={address}
              onValue={setAddress}
            />
            {numberField('others')}
          </div>
          {device && (
            <details>
              <summary>Device state it reports</summary>
              <div class="grid-2">
                <div class="field">
                  <label for="sim-browser">Browser</label>
                  <select
                    id="sim-browser"
                    value={browser}
                    onChange={(e) => setBrowser(e.currentTarget.value)}
                  >
                    <option value="chrome">Chrome</option>
                    <option value="edge">Edge</option>
                    <option value="firefox">Firefox</option>
                  </select>
                </div>
                {numberField('version')}
                {numberField('policyAge')}
                {numberField('seenAgo')}
              </div>
              <label class="check">
                <input
                  type="checkbox"
                  checked={incognito}
                  onChange={(e) => setIncognito(e.currentTarget.checked)}
                />
                Allowed in private windows
              </label>
              <label class="check">
                <input
                  type="checkbox"
                  checked={rulesInPlace}
                  onChange={(e) => setRulesInPlace(e.currentTarget.checked)}
                />
                Its rules are in place
              </label>
            </details>
          )}
        </>
      )}
      <div class="sim-result" role="status" aria-label="Access verdict">
        {decision?.allow && (
          <p class="verdict verdict-allow">
            <strong>Allowed</strong>: {app?.name || app?.id} opens for {user?.name}.
          </p>
        )}
        {decision && !decision.allow && (
          <div class="verdict verdict-block">
            <p>
              <strong>Refused</strong>: {decision.failed.length} condition
              {decision.failed.length === 1 ? '' : 's'} not met.
            </p>
            <ul>
              {decision.failed.map((f) => (
                <li key={f.condition} data-condition={f.condition}>
                  {f.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </fieldset>
  );
}
