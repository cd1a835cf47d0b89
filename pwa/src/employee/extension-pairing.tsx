import { useAction } from '../components/use-action.ts';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { meApi } from '../api/me-api.ts';
import type { Device } from '../api/types.ts';
import { useOnline } from '../components/use-online.ts';
import {
  detectExtension,
  pairExtension,
  type ExtensionHello,
} from '../extension/extension-bridge.ts';
import { cacheDb } from '../storage/db.ts';
import { DeviceError } from './device-error.tsx';
import { ManagedClaim } from './managed-claim.tsx';
import { registerThisDevice } from './register-this-device.ts';

type Detect =
  { state: 'checking' } | { state: 'missing' } | { state: 'found'; hello: ExtensionHello };

/**
 * Finds the Palisade extension in this browser and pairs it with one click: the server
 * issues a single-use pairing token for this browser's device record, the extension
 * redeems it for its own device credential. A browser the organisation manages is never
 * paired: the person confirms it is theirs instead (`ManagedClaim`). `devices`, the
 * person's own, tells whether it already is.
 */
export function ExtensionPairing({
  userId,
  devices,
  onClaimed,
}: {
  userId: string;
  devices?: Device[] | null;
  onClaimed?: () => void;
}) {
  const [detect, setDetect] = useState<Detect>({ state: 'checking' });
  const { busy, error, perform } = useAction();
  const [paired, setPaired] = useState(false);
  const online = useOnline();

  const check = () => {
    setDetect({ state: 'checking' });
    void detectExtension().then((hello) =>
      setDetect(hello ? { state: 'found', hello } : { state: 'missing' }),
    );
  };
  useEffect(check, []);

  const pair = async () => {
    await perform(async () => {
      const known = await cacheDb.get('thisDevice');
      const deviceId =
        known && known.value.userId === userId
          ? known.value.deviceId
          : (await registerThisDevice(userId)).id;
      const { token } = await meApi.pairingToken(deviceId);
      const result = await pairExtension(token);
      if (!result.ok)
        throw new ApiError(
          'pair_failed',
          result.message ?? 'The extension could not pair. Try again.',
        );
      setPaired(true);
      check();
    });
  };

  return (
    <section class="card" aria-labelledby="pairing-title">
      <h2 id="pairing-title">Browser extension</h2>
      <div class="pairing-body" aria-live="polite">
        {detect.state === 'checking' && <p>Looking for the Palisade extension in this browser…</p>}
        {detect.state === 'missing' && (
          <>
            <p>The Palisade extension is not installed in this browser.</p>
            <p class="hint">
              On a managed Chromebook your organisation installs it for you — restart the browser if
              it is missing. On your own browser, install “Palisade” from the link your admin gave
              you, then come back and check again.
            </p>
            <button type="button" onClick={check}>
              Check again
            </button>
          </>
        )}
        {detect.state === 'found' && detect.hello.managed && (
          <>
            <p>
              Extension version {detect.hello.version} is installed and managed by your organisation
              {detect.hello.enrolled ? '.' : ', which is still setting it up.'}
            </p>
            {detect.hello.enrolled ? (
              <ManagedClaim
                mine={
                  devices && detect.hello.deviceId
                    ? devices.some((d) => d.id === detect.hello.deviceId)
                    : undefined
                }
                onClaimed={onClaimed}
              />
            ) : (
              <button type="button" onClick={check}>
                Check again
              </button>
            )}
          </>
        )}
        {detect.state === 'found' && !detect.hello.managed && (
          <>
            <p>
              Extension version {detect.hello.version} is installed
              {detect.hello.enrolled ? ' and paired with Palisade.' : ', not paired yet.'}
            </p>
            {paired && (
              <p class="success" role="status">
                Paired. The extension now receives your organisation’s policy.
              </p>
            )}
            {!detect.hello.enrolled && (
              <button type="button" class="primary" onClick={pair} disabled={busy || !online}>
                {busy ? 'Pairing…' : 'Pair the extension'}
              </button>
            )}
            {busy && (
              <p class="hint" role="status">
                Confirm in the Palisade window that opened: it shows this server’s address.
              </p>
            )}
            {!online && <p class="hint">You are offline: pairing needs the network.</p>}
            <DeviceError error={error} />
          </>
        )}
      </div>
    </section>
  );
}
