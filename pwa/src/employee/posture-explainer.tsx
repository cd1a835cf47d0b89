/**
 * Every signal the extension reports about this browser (its "posture"), what it is and
 * why — the full list: the extension collects nothing else about the browser. Kept in
 * step with `collectPosture` (extension/background/posture-report.ts) and DevicePosture.
 */
export const POSTURE_SIGNALS: { what: string; why: string }[] = [
  {
    what: 'Browser and its version (e.g. Chrome 131.0.6778.85)',
    why: 'Company apps may require a browser recent enough to have its security fixes.',
  },
  {
    what: 'Operating system (e.g. Windows, macOS, Linux, ChromeOS)',
    why: 'So your administrator can tell your browsers apart and apply the right rules.',
  },
  {
    what: 'The Palisade extension’s version',
    why: 'To know which protections this browser has.',
  },
  {
    what: 'How the extension was installed (by your organisation’s policy, or by you)',
    why: 'An app may open only in a browser your organisation manages.',
  },
  {
    what: 'Whether the extension may run in private (incognito) windows',
    why: 'If it may not, the rules above do not apply there; an app may require that they do.',
  },
  {
    what: 'The policy version it enforces, and since when',
    why: 'To check this browser enforces the current rules.',
  },
  {
    what: 'Whether the browser’s blocking rules match that policy',
    why: 'To notice when the rules failed to install.',
  },
  {
    what: 'When it last reported (about every four minutes while the browser runs)',
    why: 'A browser that stops reporting for a while is shown to your administrator as silent.',
  },
  {
    what: 'That the extension was removed (the browser opens a page of the server when it is)',
    why: 'So your administrator knows the browser is no longer protected.',
  },
];

/** The transparency page's section on what the extension reports about the browser. */
export function PostureExplainer() {
  return (
    <section class="card" aria-labelledby="posture-title">
      <h2 id="posture-title">What the extension reports about this browser</h2>
      <p>
        When company apps ask whether this browser may open them, and with its regular heartbeat,
        the extension sends your organisation’s server these signals, and nothing else — no browsing
        history, no list of other extensions, no files:
      </p>
      <ul class="plain-list" aria-label="Posture signals">
        {POSTURE_SIGNALS.map((s) => (
          <li key={s.what}>
            <strong>{s.what}.</strong> {s.why}
          </li>
        ))}
      </ul>
      <p class="hint">
        The extension also holds a key, made in this browser, that cannot be copied out of it. It
        signs the answer when a company app asks whether this is an enrolled browser; the key is
        deleted when this browser is revoked or wiped.
      </p>
    </section>
  );
}
