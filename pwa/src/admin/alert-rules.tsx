import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { siemApi, type AlertRule, type AlertType } from '../api/siem-api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { TextField } from '../components/text-field.tsx';

export const ALERT_LABELS: Record<AlertType, string> = {
  device_silent: 'A device went silent',
  device_removed: 'A device was removed (revoked or wiped)',
  policy_refused: 'A device refused a tampered or rolled-back policy',
  chain_broken: 'The audit chain failed verification',
  rule_blocks: 'One user blocked N times by one rule within M minutes',
};

const describe = (r: AlertRule) =>
  r.type === 'rule_blocks'
    ? `${r.threshold} blocks within ${r.windowMinutes} min${r.policyRuleId ? ` of rule ${r.policyRuleId}` : ''}`
    : ALERT_LABELS[r.type];

/** The alert rules, and a form to add one. Alerts go to every destination. */
export function AlertRules({ rules, onChanged }: { rules: AlertRule[]; onChanged(): void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<AlertType>('policy_refused');
  const [threshold, setThreshold] = useState('10');
  const [windowMinutes, setWindowMinutes] = useState('10');
  const [policyRuleId, setPolicyRuleId] = useState('');
  const { busy, error, perform } = useAction();

  const act = async (fn: () => Promise<unknown>) => {
    await perform(async () => {
      await fn();
      onChanged();
    });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const counted = type === 'rule_blocks';
    void act(async () => {
      await siemApi.createAlertRule({
        name: name.trim() || ALERT_LABELS[type],
        type,
        threshold: counted ? Number(threshold) : null,
        windowMinutes: counted ? Number(windowMinutes) : null,
        policyRuleId: counted && policyRuleId.trim() ? policyRuleId.trim() : null,
      });
      setName('');
    });
  };

  return (
    <div class="stack">
      {rules.length === 0 ? (
        <p>No alert rules yet.</p>
      ) : (
        <ul class="plain-list">
          {rules.map((r) => (
            <li key={r.id} class="row">
              <span>
                <strong>{r.name}</strong> — {describe(r)}
                {!r.enabled && ' (off)'}
              </span>
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(() => siemApi.updateAlertRule(r.id, { enabled: !r.enabled }))
                }
              >
                {r.enabled ? 'Turn off' : 'Turn on'}
              </button>
              <ConfirmButton
                label="Delete"
                question={`Delete the alert rule “${r.name}”? Alerts it raised stay listed.`}
                confirmLabel="Delete rule"
                danger
                onConfirm={() => act(() => siemApi.deleteAlertRule(r.id))}
              />
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={submit} aria-label="New alert rule">
        <div class="field">
          <label for="alert-type">Alert when</label>
          <select
            id="alert-type"
            value={type}
            onChange={(e) => setType(e.currentTarget.value as AlertType)}
          >
            {(Object.keys(ALERT_LABELS) as AlertType[]).map((t) => (
              <option key={t} value={t}>
                {ALERT_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        {type === 'rule_blocks' && (
          <div class="grid-3">
            <TextField
              id="alert-threshold"
              label="Blocks (N)"
              type="number"
              inputMode="numeric"
              value={threshold}
              onValue={setThreshold}
              required
            />
            <TextField
              id="alert-window"
              label="Within minutes (M)"
              type="number"
              inputMode="numeric"
              value={windowMinutes}
              onValue={setWindowMinutes}
              required
            />
            <TextField
              id="alert-rule-id"
              label="Only this rule id (optional)"
              value={policyRuleId}
              onValue={setPolicyRuleId}
              spellcheck={false}
            />
          </div>
        )}
        <TextField
          id="alert-name"
          label="Name (optional)"
          value={name}
          onValue={setName}
          maxLength={200}
        />
        <div class="field">
          <button type="submit" class="primary" disabled={busy}>
            Add alert rule
          </button>
          <ErrorText error={error} />
        </div>
      </form>
    </div>
  );
}
