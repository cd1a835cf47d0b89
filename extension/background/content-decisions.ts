import type { Outcome } from '../../core/audit/types.ts';
import type { DataDecision } from '../../core/policy/data-controls.ts';
import { formatDetections } from '../../core/policy/detect/detect-content.ts';
import { dataQuery } from '../shared/data-query.ts';
import type { Level } from '../../core/policy/types.ts';
import type {
  ContentAction,
  PasteTable,
  PolicySnapshot,
  RecordRequest,
} from '../shared/messages.ts';
import type { AuditRecorder } from './audit-recorder.ts';
import type { ClipboardProvenance } from './clipboard-provenance.ts';
import type { PolicyState } from './policy-state.ts';

const EMPTY_CONTROLS = { dataControls: [], apps: [] };

/** Outcomes that make sense for each level; anything else is corrected, not trusted. */
const OUTCOMES_FOR: Record<Exclude<Level, 'ALLOW'>, Outcome[]> = {
  BLOCK: ['blocked'],
  WARN: ['proceeded', 'cancelled'],
  REPORT: ['allowed'],
};

/**
 * The background's side of the content-script enforcers. Content scripts decide
 * synchronously (an event must be prevented inside its handler), but the background does
 * not take their word for what to record: it re-decides from its own verified policy and
 * the page URL the browser reports, and records that — a compromised page can neither
 * forge a rule name nor hide a block behind a milder level.
 */
export class ContentDecisions {
  constructor(
    private readonly deps: {
      state: PolicyState;
      recorder: AuditRecorder;
      provenance: ClipboardProvenance;
      enrolled: () => Promise<boolean>;
    },
  ) {}

  async snapshot(): Promise<PolicySnapshot> {
    const active = this.deps.state.active;
    return {
      enrolled: await this.deps.enrolled(),
      version: active?.version ?? null,
      controls: active
        ? { dataControls: active.policy.dataControls, apps: active.policy.apps }
        : EMPTY_CONTROLS,
      notice: active?.policy.messages.dataControlNotice,
      contact: active?.policy.messages.contact,
    };
  }

  /** Paste decisions for every tracked copy, judged for `page`; hashes only, no URLs. */
  async pasteTable(page: string): Promise<PasteTable> {
    const active = this.deps.state.active;
    const entries = await this.deps.provenance.list();
    const now = new Date();
    return {
      url: page,
      at: now.toISOString(),
      entries: active
        ? entries.map((e): [string, DataDecision] => [
            e.hash,
            active.controls.decide({
              action: 'paste',
              source: { url: e.sourceUrl },
              destination: { url: page },
              now,
            }),
          ])
        : [],
    };
  }

  async record(req: RecordRequest, page: string): Promise<{ recorded: boolean }> {
    const active = this.deps.state.active;
    if (!active) return { recorded: false };
    const source =
      req.action === 'paste' && req.pasteHash
        ? await this.deps.provenance.sourceOf(req.pasteHash)
        : undefined;
    // The content was scanned in the page (it never comes here): decide with the counts.
    const { level, rule, detections } = active.controls.decide({
      ...dataQuery(req.action, page, source),
      content: req.detections,
      contentOnly: req.form,
    });
    if (!level || level === 'ALLOW' || !rule) return { recorded: false };
    const detail: Record<string, string> = {};
    if (req.action === 'paste' && !source) detail.source = 'os_clipboard';
    if (req.form) detail.via = 'form';
    // Only what the deciding rule counted: detector ids and counts, never a match.
    if (detections) detail.detections = formatDetections(detections);
    const allowed = OUTCOMES_FOR[level];
    const outcome = allowed.includes(req.outcome) ? req.outcome : allowed[allowed.length - 1]!;
    await this.deps.recorder.record(
      {
        kind: kindOf(req.action),
        action: req.action,
        level,
        outcome,
        url: req.action === 'paste' ? source : page,
        destinationUrl: req.action === 'paste' ? page : undefined,
        ruleId: rule.rule_id,
        ruleName: rule.name,
        detail: Object.keys(detail).length ? detail : undefined,
      },
      { auditUrlDetail: active.policy.auditUrlDetail, policyVersion: active.version },
    );
    return { recorded: true };
  }
}

function kindOf(action: ContentAction): 'clipboard' | 'print' | 'upload' {
  return action === 'print' ? 'print' : action === 'upload' ? 'upload' : 'clipboard';
}
