import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import type { Group } from '../api/types.ts';
import { CopyableValue } from '../components/copyable-value.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { SelectField } from '../components/select-field.tsx';
import { TextField } from '../components/text-field.tsx';
import { isFieldError } from '../lib/is-field-error.ts';
import { GroupSelect, useGroupChoice } from './group-select.tsx';

const EXPIRY = [
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '', label: 'Never' },
];

/** What the creation answer alone carries: the server keeps only the code's hash. */
interface Created {
  code: string;
  link: string;
  emailDomain: string | null;
}

/** The domain part of what an admin typed: `@Example.com` and `example.com` alike. */
const domainOf = (typed: string) => typed.trim().replace(/^@/, '').toLowerCase();

/**
 * Creates an enrollment code for a group (optionally only for addresses at one email
 * domain) and shows the code and its link once, ready to copy: they cannot be shown again.
 */
export function CreateCodeForm({ groups, onCreated }: { groups: Group[]; onCreated(): void }) {
  const [groupId, setGroupId] = useGroupChoice(groups);
  const [days, setDays] = useState('7');
  const [maxUses, setMaxUses] = useState('');
  const [emailDomain, setEmailDomain] = useState('');
  const { busy, error, perform } = useAction();
  const [created, setCreated] = useState<Created | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setCreated(null);
    await perform(async () => {
      const expiresAt = days
        ? new Date(Date.now() + Number(days) * 86_400_000).toISOString()
        : undefined;
      const uses = maxUses.trim() ? Number(maxUses) : undefined;
      const domain = domainOf(emailDomain) || undefined;
      const { enrollmentCode, link } = await adminApi.createCode({
        groupId,
        expiresAt,
        maxUses: uses,
        emailDomain: domain,
      });
      setCreated({
        code: enrollmentCode.code ?? '',
        link: link ?? enrollmentCode.link ?? '',
        emailDomain: enrollmentCode.emailDomain ?? null,
      });
      setEmailDomain('');
      onCreated();
    });
  };

  const domainError = isFieldError(error, 'emailDomain');
  if (groups.length === 0)
    return <p class="hint">Create a group first: every code enrolls people into one group.</p>;
  return (
    <form class="stack" onSubmit={submit}>
      <div class="grid-3">
        <GroupSelect id="code-group" groups={groups} value={groupId} onValue={setGroupId} />
        <SelectField
          id="code-expiry"
          label="Expires after"
          value={days}
          onValue={setDays}
          options={EXPIRY}
        />
        <TextField
          id="code-max-uses"
          label="Maximum uses"
          type="number"
          min={1}
          step={1}
          inputMode="numeric"
          placeholder="No limit"
          value={maxUses}
          onValue={setMaxUses}
        />
      </div>
      <TextField
        id="code-email-domain"
        label="Email domain (optional)"
        hint="Only addresses at this domain can enroll with the code, such as example.com. Leave it empty for any address."
        value={emailDomain}
        onValue={setEmailDomain}
        placeholder="example.com"
        autoComplete="off"
        spellcheck={false}
        maxLength={253}
        error={domainError ? error : null}
      />
      <div class="field">
        <button type="submit" class="primary" disabled={busy || !groupId}>
          Create enrollment code
        </button>
        {!domainError && <ErrorText error={error} />}
      </div>
      {created && (
        <div class="created-link stack" role="status">
          <p class="note">
            <strong>Copy the code and the link now: they will not be shown again.</strong> Palisade
            keeps only a fingerprint of the code; the list below shows its last characters.
          </p>
          <div class="field">
            <label for="created-link">
              Enrollment link — send it to the people joining this group
              {created.emailDomain ? ` (addresses at @${created.emailDomain} only)` : ''}
            </label>
            <CopyableValue id="created-link" value={created.link} what="enrollment link" />
          </div>
          <div class="field">
            <label for="created-code">Enrollment code — for managed browsers’ configuration</label>
            <CopyableValue id="created-code" value={created.code} what="enrollment code" code />
          </div>
        </div>
      )}
    </form>
  );
}
