import { useEffect, useState } from 'preact/hooks';
import { DEVICE_EVENT_KINDS } from '../../../core/audit/types.ts';
import type { AuditFilter } from '../api/types.ts';
import { fromLocalInput, toLocalInput } from '../lib/format.ts';

export const KIND_WORDS: Record<string, string> = {
  navigation: 'Blocked site',
  clipboard: 'Copy / paste',
  print: 'Print',
  download: 'Download',
  upload: 'Upload',
  policy: 'Policy refused',
  admin: 'Admin change',
  access: 'App access',
};

const PRESETS = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
];

interface Props {
  value: AuditFilter;
  onApply(filter: AuditFilter): void;
  /** For tests: "now" of the range presets. */
  now?: () => number;
}

/**
 * The audit search form. Edits stay local until "Apply" (or Enter), so the table does not
 * reload on every keystroke; a preset range applies at once.
 */
export function AuditFilters({ value, onApply, now = Date.now }: Props) {
  const [draft, setDraft] = useState<AuditFilter>(value);
  useEffect(() => setDraft(value), [JSON.stringify(value)]);
  const set = (k: keyof AuditFilter, v: string) => setDraft((d) => ({ ...d, [k]: v || undefined }));

  return (
    <form
      class="filters audit-filters"
      role="search"
      aria-label="Filter audit events"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <div class="field">
        <label for="audit-from">From</label>
        <input
          id="audit-from"
          type="datetime-local"
          value={toLocalInput(draft.from)}
          onInput={(e) => set('from', fromLocalInput(e.currentTarget.value) ?? '')}
        />
      </div>
      <div class="field">
        <label for="audit-to">To</label>
        <input
          id="audit-to"
          type="datetime-local"
          value={toLocalInput(draft.to)}
          onInput={(e) => set('to', fromLocalInput(e.currentTarget.value) ?? '')}
        />
      </div>
      <div class="field">
        <label for="audit-kind">Kind</label>
        <select
          id="audit-kind"
          value={draft.kind ?? ''}
          onChange={(e) => set('kind', e.currentTarget.value)}
        >
          <option value="">Any</option>
          {[...DEVICE_EVENT_KINDS, 'admin', 'access'].map((k) => (
            <option key={k} value={k}>
              {KIND_WORDS[k] ?? k}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-user">User id</label>
        <input
          id="audit-user"
          value={draft.userId ?? ''}
          onInput={(e) => set('userId', e.currentTarget.value)}
          spellcheck={false}
        />
      </div>
      <div class="field">
        <label for="audit-device">Device id</label>
        <input
          id="audit-device"
          value={draft.deviceId ?? ''}
          onInput={(e) => set('deviceId', e.currentTarget.value)}
          spellcheck={false}
        />
      </div>
      <div class="field">
        <label for="audit-rule">Rule</label>
        <input
          id="audit-rule"
          placeholder="Filter or rule id"
          value={draft.ruleId ?? ''}
          onInput={(e) => set('ruleId', e.currentTarget.value)}
          spellcheck={false}
        />
      </div>
      <div class="field">
        <label for="audit-url">Address contains</label>
        <input
          id="audit-url"
          value={draft.url ?? ''}
          onInput={(e) => set('url', e.currentTarget.value)}
          spellcheck={false}
        />
      </div>
      <div class="presets" role="group" aria-label="Time range presets">
        {PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            class="chip"
            onClick={() => {
              const next = { ...draft, from: new Date(now() - p.ms).toISOString(), to: undefined };
              setDraft(next);
              onApply(next);
            }}
          >
            {p.label}
          </button>
        ))}
      </div>
      <div class="filter-actions">
        <button type="submit" class="primary">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
