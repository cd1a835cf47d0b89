import { platformAuthenticatorIsAvailable } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { ErrorText } from '../components/error-text.tsx';
import { TextField } from '../components/text-field.tsx';
import { useOnline } from '../components/use-online.ts';

/** Which input an error belongs beside. */
export type ErrorField = 'code' | 'name' | 'email' | 'passkey';

interface Props {
  /** Shown (and editable) only when the page asks for an enrollment code. */
  code?: { value: string; onValue(v: string): void; label?: string; hint?: string };
  submitLabel: string;
  /** Registers the passkey; throws an ApiError placed by `fieldOf`. */
  onSubmit(input: { name: string; email: string }): Promise<void>;
  fieldOf(error: ApiError): ErrorField;
}

/** Who is signing up, in the order the form asks. */
const PERSON_FIELDS = [
  { key: 'name', label: 'Your name', type: 'text', autoComplete: 'name' },
  { key: 'email', label: 'Work email', type: 'email', autoComplete: 'email' },
] as const;

/**
 * Name, email (and enrollment code), then the browser's passkey prompt. Each error lands
 * beside the field it is about: a spent code by the code, a cancelled prompt by the button.
 */
export function SignUpForm({ code, submitLabel, onSubmit, fieldOf }: Props) {
  const [person, setPerson] = useState({ name: '', email: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: ErrorField; error: ApiError } | null>(null);
  const [noPlatform, setNoPlatform] = useState(false);
  const online = useOnline();

  useEffect(() => {
    platformAuthenticatorIsAvailable().then(
      (ok) => setNoPlatform(!ok),
      () => setNoPlatform(true),
    );
  }, []);

  const at = (field: ErrorField) => (error?.field === field ? error.error : null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ name: person.name.trim(), email: person.email.trim() });
    } catch (err) {
      const apiError = toApiError(err);
      setError({ field: fieldOf(apiError), error: apiError });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" onSubmit={submit} aria-busy={busy}>
      {code && (
        <TextField
          id="signup-code"
          label={code.label ?? 'Enrollment code'}
          value={code.value}
          onValue={code.onValue}
          required
          autoComplete="off"
          spellcheck={false}
          hint={code.hint ?? 'From the enrollment link or email your admin sent.'}
          error={at('code')}
        />
      )}
      {PERSON_FIELDS.map(({ key, ...input }) => (
        <TextField
          key={key}
          id={`signup-${key}`}
          {...input}
          value={person[key]}
          onValue={(v) => setPerson((p) => ({ ...p, [key]: v }))}
          required
          error={at(key)}
        />
      ))}
      {noPlatform && (
        <p class="note">
          This device has no built-in passkey authenticator (fingerprint, face or screen lock) that
          the browser can use. You can still use a phone or a security key when the browser asks.
        </p>
      )}
      <div class="field">
        <button type="submit" class="primary" disabled={busy || !online}>
          {busy ? 'Waiting for your passkey…' : submitLabel}
        </button>
        {!online && <p class="hint">You are offline: creating a passkey needs the network.</p>}
        <ErrorText error={at('passkey')} />
      </div>
    </form>
  );
}
