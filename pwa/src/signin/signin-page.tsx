import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { oidcApi, type SigninOutcome } from '../api/oidc-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { requestDeviceProof } from '../extension/device-proof.ts';

type Step =
  | { kind: 'checking'; app: string | null }
  | { kind: 'continuing'; app: string }
  | { kind: 'refused'; outcome: Extract<SigninOutcome, { allow: false }> }
  | { kind: 'error'; error: ApiError };

/**
 * `/signin/:uid`: an app asked Palisade to sign you in. You are signed in to Palisade
 * (with your passkey — the router sends you to `/login` first if not); this page asks the
 * extension of this browser to prove the device, and the server decides whether the app
 * may open here. Refused, it names every condition that failed and what to do about it.
 */
export function SigninPage({ uid }: { uid: string }) {
  const [step, setStep] = useState<Step>({ kind: 'checking', app: null });

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const { interaction } = await oidcApi.interaction(uid);
        if (cancelled) return;
        setStep({ kind: 'checking', app: interaction.client.name });
        // No answer (another browser, another profile, incognito not covered): no proof.
        const answer = await requestDeviceProof(interaction.challenge);
        const outcome = await oidcApi.complete(uid, answer?.proof ?? null);
        if (cancelled) return;
        if (outcome.allow) {
          setStep({ kind: 'continuing', app: interaction.client.name });
          location.assign(outcome.redirectTo);
        } else setStep({ kind: 'refused', outcome });
      } catch (err) {
        if (!cancelled) setStep({ kind: 'error', error: toApiError(err) });
      }
    })();
    return () => void (cancelled = true);
  }, [uid]);

  if (step.kind === 'refused') {
    const { app, failed, redirectTo } = step.outcome;
    return (
      <section class="narrow" id="signin-refused">
        <h1 tabIndex={-1}>{app.name} cannot open here</h1>
        <p>Your organisation lets this app open only when every condition below is met:</p>
        <ul id="refusal-reasons">
          {failed.map((f) => (
            <li key={f.condition} data-condition={f.condition}>
              {f.message}
            </li>
          ))}
        </ul>
        <p class="hint">
          This refusal is recorded in the audit trail. If you think it is wrong, tell your
          administrator.
        </p>
        <p>
          <a href={redirectTo}>Back to {app.name}</a>
        </p>
      </section>
    );
  }
  if (step.kind === 'error') {
    return (
      <section class="narrow">
        <h1 tabIndex={-1}>This sign-in cannot go on</h1>
        <ErrorText error={step.error} />
      </section>
    );
  }
  const app = step.app ?? 'the app';
  return (
    <section class="narrow" aria-busy="true">
      <h1 tabIndex={-1}>Signing you in to {app}</h1>
      <p class="loading">
        {step.kind === 'continuing'
          ? `Access allowed; opening ${app}…`
          : 'Checking this browser with the Palisade extension…'}
      </p>
    </section>
  );
}
