import { useState } from 'preact/hooks';
import { ApiError, toApiError } from '../api/api-error.ts';
import { authApi } from '../api/auth-api.ts';
import type { Device, User } from '../api/types.ts';
import { createPasskey } from '../auth/create-passkey.ts';
import { fieldOfError } from '../auth/field-of-error.ts';
import { SignUpForm } from '../auth/sign-up-form.tsx';
import { Link } from '../router/link.tsx';
import { useLocation } from '../router/router.ts';
import { useSession } from '../session/session.tsx';
import { AwaitingApproval } from './awaiting-approval.tsx';
import { DeviceError } from './device-error.tsx';
import { ExtensionPairing } from './extension-pairing.tsx';
import { registerUnlessManaged } from './register-this-device.ts';

/** Clearer words for the enrollment-code failures the server names. */
const CODE_MESSAGES: Record<string, string> = {
  code_invalid:
    'This enrollment code is not valid. Check it, or ask your admin for a new enrollment link.',
  code_expired: 'This enrollment code has expired. Ask your admin for a new enrollment link.',
  code_used_up:
    'This enrollment code has been used as many times as it allows. Ask your admin for a new one.',
  code_revoked: 'This enrollment code was withdrawn by your admin. Ask them for a new one.',
};

function friendly(err: unknown): ApiError {
  const e = toApiError(err);
  const message = CODE_MESSAGES[e.code];
  return message ? new ApiError(e.code, message, e.status, e.details) : e;
}

/**
 * `/enroll#<code>`: an employee joins with an enrollment code, creates a passkey, this
 * browser becomes one of their devices, and the extension can be paired.
 */
export function EnrollPage() {
  const { hash } = useLocation();
  const [code, setCode] = useState(() => decodeURIComponent(hash));
  const [user, setUser] = useState<User | null>(null);
  const [device, setDevice] = useState<Device | null>(null);
  const [deviceError, setDeviceError] = useState<ApiError | null>(null);
  const [managed, setManaged] = useState(false);
  const session = useSession();

  const registerDevice = async (u: User) => {
    setDeviceError(null);
    try {
      const result = await registerUnlessManaged(u.id);
      if ('managed' in result) setManaged(true);
      else setDevice(result.device);
    } catch (err) {
      setDeviceError(toApiError(err));
    }
  };

  if (!user) {
    return (
      <section class="narrow">
        <h1 tabIndex={-1}>Enroll this browser</h1>
        <p>
          Join your organisation’s Palisade with a passkey — your fingerprint, face or screen lock.
          No password. You will see exactly what is enforced here and what is recorded.
        </p>
        <SignUpForm
          code={{ value: code, onValue: setCode }}
          submitLabel="Create passkey and enroll"
          fieldOf={fieldOfError}
          onSubmit={async ({ name, email }) => {
            try {
              const c = code.trim();
              const options = await authApi.enrollOptions({ code: c, name, email });
              const response = await createPasskey(options);
              const { user: u } = await authApi.enrollVerify({ code: c, response });
              setUser(u);
              session.signedIn(u);
              await registerDevice(u);
            } catch (err) {
              throw friendly(err);
            }
          }}
        />
      </section>
    );
  }

  return (
    <section class="narrow">
      <h1 tabIndex={-1}>You are enrolled</h1>
      <p class="success" role="status">
        Welcome, {user.name}. Your passkey is set up
        {user.groupName ? ` and you are in the group “${user.groupName}”` : ''}.
      </p>
      {user.emailVerified === false && <AwaitingApproval email={user.email} />}
      <section class="card" aria-labelledby="this-device-title">
        <h2 id="this-device-title">This browser</h2>
        {device && <p>Registered as “{device.name}”.</p>}
        {managed && (
          <p>
            Your organisation manages this browser. Confirm below that it is yours, so what it
            records is in your name.
          </p>
        )}
        {!device && !deviceError && !managed && <p>Registering this browser…</p>}
        <DeviceError error={deviceError} />
        {deviceError && deviceError.code !== 'device_limit' && (
          <button type="button" onClick={() => void registerDevice(user)}>
            Try again
          </button>
        )}
      </section>
      {(device || managed) && <ExtensionPairing userId={user.id} />}
      <p>
        <Link href="/" class="button">
          Go to my status
        </Link>
      </p>
    </section>
  );
}
