import { useEffect, useState } from 'preact/hooks';
import type { Diagnostic } from '../../../core/policy/types.ts';
import { DiagnosticList } from './diagnostic-list.tsx';
import { isRecord, type Doc } from './doc-edit.ts';
import { jsonSyntaxError } from './json-syntax-error.ts';

/**
 * The policy as raw JSON, for pasting whole documents (or a Chrome policy export). Every
 * keystroke that leaves valid JSON updates the document; until then the parse error is
 * shown under the textarea and the last good document stays.
 */
export function JsonEditor({
  doc,
  onChange,
  diagnostics,
  onParseError,
}: {
  doc: Doc;
  onChange(doc: Doc): void;
  diagnostics: Diagnostic[];
  onParseError(message: string | null): void;
}) {
  const [text, setText] = useState(() => JSON.stringify(doc, null, 2));
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    // The document changed elsewhere (e.g. a reload after save): show it, unless it is what we hold.
    try {
      if (JSON.stringify(JSON.parse(text)) === JSON.stringify(doc)) return;
    } catch {
      if (problem) return;
    }
    setText(JSON.stringify(doc, null, 2));
  }, [JSON.stringify(doc)]);

  const onInput = (t: string) => {
    setText(t);
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch (err) {
      const p =
        jsonSyntaxError(t) ?? (err instanceof Error ? err.message : 'This is not valid JSON.');
      setProblem(p);
      onParseError(p);
      return;
    }
    if (!isRecord(parsed)) {
      const p = 'A policy must be a JSON object: { … }.';
      setProblem(p);
      onParseError(p);
      return;
    }
    setProblem(null);
    onParseError(null);
    onChange(parsed);
  };

  return (
    <div class="field">
      <label for="policy-json">Policy JSON</label>
      <p class="hint" id="policy-json-hint">
        The whole document. Field names follow Chrome’s policies (URLBlocklist, URLAllowlist,
        DataControlsRules).
      </p>
      <textarea
        id="policy-json"
        class="code"
        rows={24}
        spellcheck={false}
        autoCapitalize="off"
        value={text}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-invalid={
          problem !== null || diagnostics.some((d) => d.severity === 'error') || undefined
        }
        aria-describedby={problem ? 'policy-json-hint policy-json-error' : 'policy-json-hint'}
      />
      {problem && (
        <p class="error-text" role="alert" id="policy-json-error" data-code="json_syntax">
          {problem}
        </p>
      )}
      {!problem && (
        <DiagnosticList diagnostics={diagnostics} path="" label={(d) => d.path || '(document)'} />
      )}
    </div>
  );
}
