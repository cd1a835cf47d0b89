import { useEffect, useMemo, useState } from 'preact/hooks';
import { validatePolicy } from '../../../core/policy/validate-policy.ts';
import type { Diagnostic } from '../../../core/policy/types.ts';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { adminApi } from '../api/admin-api.ts';
import type { Policy } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { Tabs } from '../components/tabs.tsx';
import { useResource } from '../components/use-resource.ts';
import { Link } from '../router/link.tsx';
import { navigate } from '../router/router.ts';
import { DiagnosticSummary } from './diagnostic-summary.tsx';
import type { Doc } from './doc-edit.ts';
import { JsonEditor } from './json-editor.tsx';
import { PolicyForm } from './policy-form.tsx';
import { PolicySimulator } from './policy-simulator.tsx';
import { PublishPanel } from './publish-panel.tsx';
import { RolloutPanel } from './rollout-panel.tsx';

const NEW_POLICY: Doc = { name: 'New policy', urlBlocklist: [], urlAllowlist: [] };

/** Edit a policy (form or JSON), validated live by core/, simulated, saved, published. */
export function PolicyEditPage({ id }: { id: string | null }) {
  const groups = useResource(async () => (await adminApi.groups()).groups, []);
  // For the simulator's "may this person open this app?"; the editor works without them.
  const users = useResource(async () => (await adminApi.users()).users, []);
  const devices = useResource(async () => (await adminApi.devices({})).devices, []);
  const loaded = useResource(async () => (id ? (await adminApi.policy(id)).policy : null), [id]);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [doc, setDoc] = useState<Doc | null>(id ? null : NEW_POLICY);
  const [savedJson, setSavedJson] = useState<string>(id ? '' : '');
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [jsonProblem, setJsonProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [serverDiagnostics, setServerDiagnostics] = useState<Diagnostic[]>([]);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  useEffect(() => {
    if (!loaded.data) return;
    setPolicy(loaded.data);
    setDoc(loaded.data.document as unknown as Doc);
    setSavedJson(JSON.stringify(loaded.data.document));
  }, [loaded.data]);

  // With the groups loaded, access rules are checked against them as the server will.
  const groupNames = groups.data?.map((g) => g.name);
  const result = useMemo(
    () => (doc ? validatePolicy(doc, { groups: groupNames }) : { document: null, diagnostics: [] }),
    [doc, groupNames?.join('\n')],
  );
  const dirty = doc !== null && JSON.stringify(doc) !== savedJson;
  const hasErrors = jsonProblem !== null || result.diagnostics.some((d) => d.severity === 'error');

  // Leaving with unsaved edits asks first (reload, close, typed address).
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const save = async (): Promise<string | null> => {
    if (!doc) return null;
    setSaving(true);
    setSaveError(null);
    setServerDiagnostics([]);
    try {
      const { policy: p } = id
        ? await adminApi.savePolicy(id, doc)
        : await adminApi.createPolicy(doc);
      setPolicy(p);
      setSavedJson(JSON.stringify(doc));
      setSavedAt(new Date().toLocaleTimeString());
      if (!id) navigate(`/admin/policies/${encodeURIComponent(p.id)}`, { replace: true });
      return p.id;
    } catch (err) {
      const e = toApiError(err);
      setSaveError(e);
      const d = (e.details as { diagnostics?: Diagnostic[] } | undefined)?.diagnostics;
      if (Array.isArray(d)) setServerDiagnostics(d);
      return null;
    } finally {
      setSaving(false);
    }
  };

  if (loaded.error) {
    return (
      <section>
        <h1 tabIndex={-1}>Policy</h1>
        <ErrorText error={loaded.error} />
        <Link href="/admin/policies">Back to policies</Link>
      </section>
    );
  }
  if (!doc)
    return (
      <p class="loading" aria-busy="true">
        Loading policy…
      </p>
    );

  const title = typeof doc.name === 'string' && doc.name ? doc.name : 'Untitled policy';
  return (
    <section>
      <p class="breadcrumb">
        <Link href="/admin/policies">Policies</Link>
      </p>
      <h1 tabIndex={-1}>{id ? `Edit policy: ${title}` : 'New policy'}</h1>
      <div class="editor-layout">
        <div class="editor-main">
          <Tabs<'form' | 'json'>
            label="Editor view"
            idBase="policy-view"
            tabs={[
              { id: 'form', label: 'Form', disabled: jsonProblem !== null },
              { id: 'json', label: 'JSON' },
            ]}
            selected={tab}
            onSelect={setTab}
          >
            {tab === 'form' ? (
              <PolicyForm
                doc={doc}
                onChange={setDoc}
                diagnostics={result.diagnostics}
                groups={groups.data ?? []}
              />
            ) : (
              <JsonEditor
                doc={doc}
                onChange={setDoc}
                diagnostics={result.diagnostics}
                onParseError={setJsonProblem}
              />
            )}
          </Tabs>
          {jsonProblem && tab === 'json' && (
            <p class="hint">The form view opens again once the JSON parses.</p>
          )}
        </div>
        <aside class="editor-side" aria-label="Validation, saving and publishing">
          <section class="card" aria-label="Validation">
            <DiagnosticSummary diagnostics={result.diagnostics} onShowJson={() => setTab('json')} />
          </section>
          <section class="card" aria-labelledby="save-title">
            <h2 id="save-title">Draft</h2>
            <p class="hint" role="status">
              {dirty
                ? 'Unsaved changes.'
                : savedAt
                  ? `Saved at ${savedAt}.`
                  : id
                    ? 'No unsaved changes.'
                    : 'Not saved yet.'}
            </p>
            <button
              type="button"
              class="primary"
              onClick={() => void save()}
              disabled={saving || jsonProblem !== null || (!dirty && !!id)}
            >
              {saving ? 'Saving…' : 'Save draft'}
            </button>
            <ErrorText error={saveError} />
            {serverDiagnostics.length > 0 && <DiagnosticSummary diagnostics={serverDiagnostics} />}
          </section>
          <PolicySimulator
            document={result.document}
            users={users.data ?? []}
            devices={devices.data ?? []}
          />
          <PublishPanel
            policyId={policy?.id ?? id}
            liveVersion={policy?.liveVersion}
            canPublish={!hasErrors}
            saveFirst={async () => (dirty || !id ? save() : id)}
            onPublished={(version) => setPolicy((p) => (p ? { ...p, liveVersion: version } : p))}
          />
          {policy?.liveVersion ? <RolloutPanel /> : null}
        </aside>
      </div>
    </section>
  );
}
