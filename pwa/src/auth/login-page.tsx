import { useAction } from '../components/use-action.ts';
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  WebAuthnError,
} from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, toApiError } from '../api/api-error.ts';
import { authApi } from '../api/auth-api.ts';
import type { User } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useOnline } from '../components/use-online.ts';
import { Link } from '../router/link.tsx';
import { navigate, useLocation } from '../router/router.ts';
import { useSession } from '../session/session.tsx';
import { safeNext } from '../lib/safe-next.ts';
import { passkeyError } from './passkey-error.ts';

async function signIn(autofill: boolean): Promise<User> {
  const optionsJSON = await authApi.loginOptions();
  let response;
  try {
    response = await startAuthentication({ optionsJSON, useBrowserAutofill: autofill });
  } catch (err) {
    throw passkeyError(err);
  }
  return (await authApi.loginVerify(response)).user;
}

/**
 * `/login`: discoverable passkey sign-in — no username. Where the browser offers
 * conditional mediation the passkey also appears in the field's autofill suggestions.
 */
export function LoginPage() {
  const { query } = useLocation();
  const session = useSession();
  const online = useOnline();
  const [autofill, setAutofill] = useState(false);
  const { busy, error, setError, perform } = useAction();
  const supported = typeof window !== 'undefined' && browserSupportsWebAuthn();
  const next = safeNext(query.get('next'));

  const done = (user: User) => {
    session.signedIn(user);
    navigate(next, { replace: true });
  };

  useEffect(() => {
    let cancelled = false;
    void browserSupportsWebAuthnAutofill().then((ok) => {
      if (!ok || cancelled) return;
      setAutofill(true);
      // Wait a frame so the autofill input is in the DOM before the conditional request.
      requestAnimationFrame(() => {
        signIn(true).then(done, (err: unknown) => {
          // The button's ceremony aborts this one; that is not an error to show.
          if (cancelled || (err instanceof ApiError && err.code === 'passkey_aborted')) return;
          if (err instanceof WebAuthnError && err.code === 'ERROR_CEREMONY_ABORTED') return;
          setError(toApiError(err));
        });
      });
    });
    return () => void (cancelled = true);
  }, []);

  const onButton = async () => {
    await perform(async () => {
      done(await signIn(false));
    });
  };

  return (
    <section class="narrow">
      <h1 tabIndex={-1}>Sign in to Palisade</h1>
      <p>
        Use the passkey you created when you enrolled: your fingerprint, face or screen lock
        confirms it is you.
      </p>
      {!supported && (
        <p class="error-text" role="alert">
          This browser does not support passkeys. Use a current Chrome, Edge, Safari or Firefox.
        </p>
      )}
      {autofill && (
        <div class="field">
          <label for="login-username">Account</label>
          <p class="hint" id="login-username-hint">
            Pick your passkey from the suggestions, or use the button below.
          </p>
          <input
            id="login-username"
            name="username"
            autoComplete="username webauthn"
            aria-describedby="login-username-hint"
          />
        </div>
      )}
      <div class="field">
        <button
          type="button"
          class="primary"
          onClick={onButton}
          disabled={busy || !supported || !online}
        >
          {busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
        </button>
        {!online && <p class="hint">You are offline: signing in needs the network.</p>}
        <ErrorText error={error} />
      </div>
      <p class="hint">
        New here? Open the enrollment link your admin sent you, or{' '}
        <Link href="/enroll">enter an enrollment code</Link>.
      </p>
    </section>
  );
}
