import { useState } from 'preact/hooks';
import { authApi } from '../api/auth-api.ts';
import { useLocation, navigate } from '../router/router.ts';
import { useSession } from '../session/session.tsx';
import { createPasskey } from './create-passkey.ts';
import { fieldOfError } from './field-of-error.ts';
import { SignUpForm } from './sign-up-form.tsx';

const COPY = {
  // The server sends both the first admin's link and invitations to /setup, so this copy
  // fits either.
  setup: {
    title: 'Set up your Palisade account',
    intro:
      'Create your passkey: your fingerprint, face or screen lock is how you sign in from now on — no password. This link works once.',
    tokenLabel: 'Setup token',
    tokenHint: 'The part after # in your setup or invitation link.',
  },
  invite: {
    title: 'Accept your invitation',
    intro:
      'You were invited to Palisade. Create your passkey to sign in — no password. The invitation link works once.',
    tokenLabel: 'Invitation token',
    tokenHint: 'The part after # in the invitation link.',
  },
} as const;

/**
 * `/setup` (the first admin, link printed by the server) and `/invite` (an admin or
 * auditor invited by an admin): the token comes from `#<token>`, then a passkey.
 */
export function RegisterPage({ kind }: { kind: 'setup' | 'invite' }) {
  const { hash } = useLocation();
  const [token, setToken] = useState(() => decodeURIComponent(hash));
  const session = useSession();
  const copy = COPY[kind];
  const fromLink = hash !== '';

  return (
    <section class="narrow">
      <h1 tabIndex={-1}>{copy.title}</h1>
      <p>{copy.intro}</p>
      <SignUpForm
        code={
          fromLink
            ? undefined
            : { value: token, onValue: setToken, label: copy.tokenLabel, hint: copy.tokenHint }
        }
        submitLabel="Create passkey"
        fieldOf={(e) => {
          const f = fieldOfError(e);
          return f === 'code' && fromLink ? 'passkey' : f;
        }}
        onSubmit={async ({ name, email }) => {
          const t = token.trim();
          const options = await authApi.registerOptions({ token: t, name, email });
          const response = await createPasskey(options);
          const { user } = await authApi.registerVerify({ token: t, response });
          session.signedIn(user);
          navigate('/', { replace: true });
        }}
      />
    </section>
  );
}
