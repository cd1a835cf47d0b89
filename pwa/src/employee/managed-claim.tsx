import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { meApi } from '../api/me-api.ts';
import { useOnline } from '../components/use-online.ts';
import { claimExtension } from '../extension/extension-bridge.ts';
import { Link } from '../router/link.tsx';
import { DeviceError } from './device-error.tsx';

/**
 * A browser the organisation set up (force-installed, enrolled from managed storage) is
 * nobody's until a person proves it is theirs: the admin's `userEmail` is only a claim.
 * Signed in here, in that same browser, the person confirms with one click — the server
 * issues a single-use claim token for their session, the extension presents it with its
 * own device credential — and from then on the browser's events carry their name. `mine`
 * is whether this browser is already among the person's devices (undefined: not known, so
 * the offer stands; confirming again is harmless).
 */
export function ManagedClaim({
  mine,
  onClaimed,
}: {
  mine: boolean | undefined;
  onClaimed?: () => void;
}) {
  const { busy, error, perform } = useAction();
  const [claimed, setClaimed] = useState<{ name: string; email: string } | null>(null);
  const online = useOnline();

  const claim = async () => {
    await perform(async () => {
      const { token } = await meApi.deviceClaim();
      const result = await claimExtension(token);
      if (!result.ok) throw new ApiError(result.code, result.message);
      setClaimed(result.user);
      onClaimed?.();
    });
  };

  if (claimed) {
    return (
      <p class="success" role="status">
        Confirmed: this browser is yours, {claimed.name} ({claimed.email}). Its events now carry
        your name.
      </p>
    );
  }
  if (mine) {
    return (
      <p>
        This browser is yours: the events it records carry your name.{' '}
        <Link href="/transparency">See what is recorded</Link>.
      </p>
    );
  }
  return (
    <div class="managed-claim" data-testid="managed-claim">
      <p>
        <strong>This browser is managed by your organisation — confirm it is yours.</strong>
      </p>
      <p>
        Your organisation set up Palisade in this browser. Confirm only if you are the person who
        uses it: from then on the events it records (blocked sites, blocked copies, downloads and
        the like) carry your name and email, and your admin sees it as your device. What is
        recorded, and when, is on the <Link href="/transparency">transparency page</Link>.
      </p>
      <button type="button" class="primary" onClick={claim} disabled={busy || !online}>
        {busy ? 'Confirming…' : 'Confirm this browser is mine'}
      </button>
      {!online && <p class="hint">You are offline: confirming needs the network.</p>}
      <DeviceError error={error} />
    </div>
  );
}
