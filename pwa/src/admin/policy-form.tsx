import type { Diagnostic } from '../../../core/policy/types.ts';
import type { Group } from '../api/types.ts';
import { AppsEditor } from './apps-editor.tsx';
import { DataControlsEditor } from './data-controls-editor.tsx';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, diagnosticsUnder } from './diagnostics.ts';
import { fieldBinder, isRecord, optionalText, text, withField, type Doc } from './doc-edit.ts';
import { DocInput } from './doc-input.tsx';
import { LinesField } from './lines-field.tsx';
import { TargetGroupsField } from './target-groups-field.tsx';
import { UrlSchedulesEditor } from './url-schedules-editor.tsx';

interface Props {
  doc: Doc;
  onChange(doc: Doc): void;
  diagnostics: Diagnostic[];
  groups: Group[];
}

const FILTER_HINT =
  'One filter per line, in Chrome’s URLBlocklist format: example.com (and subdomains), .example.com (that host only), https://example.com/path, or * for everything.';

const HTTPS_MODES = [
  ['upgrade', 'Switch to https://'],
  ['block', 'Block the request'],
] as const;

const AUDIT_URL_DETAILS = [
  ['', 'Not set (inherit; the default is the site only)'],
  ['full', 'Full address'],
  ['origin', 'Site only (scheme and host)'],
  ['none', 'No address'],
] as const;

/** The messages an admin can word, in the order the form shows them. */
const MESSAGE_FIELDS = [
  { key: 'blockedPage', label: 'Message on the blocked page', rows: 2 },
  { key: 'contact', label: 'Whom to ask (email, URL or text)', rows: undefined },
  {
    key: 'dataControlNotice',
    label: 'Notice when copy, print, download or upload is limited',
    rows: 2,
  },
] as const;

/** The policy as a form: every field labelled, every diagnostic under its field. */
export function PolicyForm({ doc, onChange, diagnostics, groups }: Props) {
  const set = (key: string, value: unknown) => onChange(withField(doc, key, value));
  const bind = fieldBinder(doc, set, diagnostics);
  const messages = isRecord(doc.messages) ? doc.messages : {};
  const setMessage = (key: string, value: string) => {
    const next = withField(messages, key, optionalText(value));
    set('messages', Object.keys(next).length ? next : undefined);
  };
  const https = isRecord(doc.httpsOnly) ? doc.httpsOnly : null;

  return (
    <div class="stack policy-form">
      <fieldset>
        <legend>General</legend>
        <DocInput
          path="name"
          label="Policy name"
          diagnostics={diagnostics}
          value={doc.name}
          onValue={(v) => set('name', optionalText(v))}
        />
        <DocInput
          path="description"
          label="Description"
          diagnostics={diagnostics}
          value={doc.description}
          onValue={(v) => set('description', optionalText(v))}
          rows={2}
        />
        <TargetGroupsField {...bind('targetGroups')} groups={groups} />
      </fieldset>

      <fieldset>
        <legend>Sites</legend>
        <LinesField
          path="urlBlocklist"
          label="Blocked sites"
          hint={FILTER_HINT}
          {...bind('urlBlocklist')}
        />
        <LinesField
          path="urlAllowlist"
          label="Allowed exceptions"
          hint="Filters that stay open even when a block covers them. The most specific filter wins; at equal specificity, allow wins."
          {...bind('urlAllowlist')}
        />
        <UrlSchedulesEditor {...bind('urlSchedules')} />
        <fieldset class="nested">
          <legend>Secure connections only</legend>
          <LinesField
            path="httpsOnly.hosts"
            label="Hosts that must use https"
            hint="One host per line, e.g. intranet.example.com. Leave empty for none."
            rows={3}
            value={https?.hosts}
            onChange={(hosts) =>
              set('httpsOnly', hosts.length ? { hosts, mode: https?.mode ?? 'upgrade' } : undefined)
            }
            diagnostics={diagnostics}
          />
          <DocInput
            path="httpsOnly.mode"
            label="For plain http:// to those hosts"
            diagnostics={diagnostics}
            value={text(https?.mode) || 'upgrade'}
            onValue={(mode) => https && set('httpsOnly', { ...https, mode })}
            options={HTTPS_MODES}
            disabled={!https}
          />
          <DiagnosticList diagnostics={diagnosticsAt(diagnostics, 'httpsOnly')} path="httpsOnly" />
        </fieldset>
      </fieldset>

      <DataControlsEditor {...bind('dataControls')} apps={doc.apps} />
      <AppsEditor {...bind('apps')} groups={groups} />

      <fieldset>
        <legend>Audit and messages</legend>
        <DocInput
          path="auditUrlDetail"
          label="Address detail kept in audit events"
          hint="Employees see this on their transparency page."
          diagnostics={diagnostics}
          value={doc.auditUrlDetail}
          onValue={(v) => set('auditUrlDetail', optionalText(v))}
          options={AUDIT_URL_DETAILS}
        />
        {MESSAGE_FIELDS.map(({ key, label, rows }) => (
          <DocInput
            key={key}
            path={`messages.${key}`}
            label={label}
            diagnostics={diagnostics}
            value={messages[key]}
            onValue={(v) => setMessage(key, v)}
            rows={rows}
          />
        ))}
        <DiagnosticList
          diagnostics={diagnosticsUnder(diagnostics, 'messages').filter(
            (d) => d.path === 'messages',
          )}
          path="messages"
        />
      </fieldset>
    </div>
  );
}
