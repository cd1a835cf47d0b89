import type { Diagnostic } from '../../../core/policy/types.ts';
import type { Group } from '../api/types.ts';
import { AppsEditor } from './apps-editor.tsx';
import { DataControlsEditor } from './data-controls-editor.tsx';
import { DiagnosticList } from './diagnostic-list.tsx';
import { diagnosticsAt, diagnosticsUnder } from './diagnostics.ts';
import { isRecord, optionalText, text, withField, type Doc } from './doc-edit.ts';
import { DocField } from './doc-field.tsx';
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

/** The policy as a form: every field labelled, every diagnostic under its field. */
export function PolicyForm({ doc, onChange, diagnostics, groups }: Props) {
  const set = (key: string, value: unknown) => onChange(withField(doc, key, value));
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
        <DocField path="name" label="Policy name" diagnostics={diagnostics}>
          {(a) => (
            <input
              {...a}
              value={text(doc.name)}
              onInput={(e) => set('name', optionalText(e.currentTarget.value))}
            />
          )}
        </DocField>
        <DocField path="description" label="Description" diagnostics={diagnostics}>
          {(a) => (
            <textarea
              {...a}
              rows={2}
              value={text(doc.description)}
              onInput={(e) => set('description', optionalText(e.currentTarget.value))}
            />
          )}
        </DocField>
        <TargetGroupsField
          value={doc.targetGroups}
          groups={groups}
          onChange={(v) => set('targetGroups', v)}
          diagnostics={diagnostics}
        />
      </fieldset>

      <fieldset>
        <legend>Sites</legend>
        <LinesField
          path="urlBlocklist"
          label="Blocked sites"
          hint={FILTER_HINT}
          value={doc.urlBlocklist}
          onChange={(v) => set('urlBlocklist', v)}
          diagnostics={diagnostics}
        />
        <LinesField
          path="urlAllowlist"
          label="Allowed exceptions"
          hint="Filters that stay open even when a block covers them. The most specific filter wins; at equal specificity, allow wins."
          value={doc.urlAllowlist}
          onChange={(v) => set('urlAllowlist', v)}
          diagnostics={diagnostics}
        />
        <UrlSchedulesEditor
          value={doc.urlSchedules}
          onChange={(v) => set('urlSchedules', v)}
          diagnostics={diagnostics}
        />
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
          <DocField
            path="httpsOnly.mode"
            label="For plain http:// to those hosts"
            diagnostics={diagnostics}
          >
            {(a) => (
              <select
                {...a}
                value={text(https?.mode) || 'upgrade'}
                disabled={!https}
                onChange={(e) =>
                  https && set('httpsOnly', { ...https, mode: e.currentTarget.value })
                }
              >
                <option value="upgrade">Switch to https://</option>
                <option value="block">Block the request</option>
              </select>
            )}
          </DocField>
          <DiagnosticList diagnostics={diagnosticsAt(diagnostics, 'httpsOnly')} path="httpsOnly" />
        </fieldset>
      </fieldset>

      <DataControlsEditor
        value={doc.dataControls}
        apps={doc.apps}
        onChange={(v) => set('dataControls', v)}
        diagnostics={diagnostics}
      />
      <AppsEditor
        value={doc.apps}
        onChange={(v) => set('apps', v)}
        diagnostics={diagnostics}
        groups={groups}
      />

      <fieldset>
        <legend>Audit and messages</legend>
        <DocField
          path="auditUrlDetail"
          label="Address detail kept in audit events"
          hint="Employees see this on their transparency page."
          diagnostics={diagnostics}
        >
          {(a) => (
            <select
              {...a}
              value={text(doc.auditUrlDetail)}
              onChange={(e) => set('auditUrlDetail', optionalText(e.currentTarget.value))}
            >
              <option value="">Not set (inherit; the default is the site only)</option>
              <option value="full">Full address</option>
              <option value="origin">Site only (scheme and host)</option>
              <option value="none">No address</option>
            </select>
          )}
        </DocField>
        <DocField
          path="messages.blockedPage"
          label="Message on the blocked page"
          diagnostics={diagnostics}
        >
          {(a) => (
            <textarea
              {...a}
              rows={2}
              value={text(messages.blockedPage)}
              onInput={(e) => setMessage('blockedPage', e.currentTarget.value)}
            />
          )}
        </DocField>
        <DocField
          path="messages.contact"
          label="Whom to ask (email, URL or text)"
          diagnostics={diagnostics}
        >
          {(a) => (
            <input
              {...a}
              value={text(messages.contact)}
              onInput={(e) => setMessage('contact', e.currentTarget.value)}
            />
          )}
        </DocField>
        <DocField
          path="messages.dataControlNotice"
          label="Notice when copy, print, download or upload is limited"
          diagnostics={diagnostics}
        >
          {(a) => (
            <textarea
              {...a}
              rows={2}
              value={text(messages.dataControlNotice)}
              onInput={(e) => setMessage('dataControlNotice', e.currentTarget.value)}
            />
          )}
        </DocField>
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
