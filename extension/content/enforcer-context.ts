import {
  buildDataControls,
  type DataAction,
  type DataControls,
  type DataDecision,
} from '../../core/policy/data-controls.ts';
import type { Detections } from '../../core/policy/detect/detect-content.ts';
import type { Level } from '../../core/policy/types.ts';
import { dataQuery } from '../shared/data-query.ts';
import type {
  BackgroundType,
  ContentAction,
  PasteTable,
  RequestOf,
  ResponseOf,
} from '../shared/messages.ts';
import type { NoticeRequest, RecordRequest } from '../shared/messages.ts';
import { pageUrl } from '../shared/page-url.ts';
import type { Reply } from '../shared/reply.ts';
import { texts } from './texts.ts';
import type { ConfirmOptions } from './ui/confirm-dialog.ts';

/** Sends a catalogue message to the background (injected, so tests need no browser). */
export type CallBackground = <K extends BackgroundType>(
  type: K,
  body: RequestOf<K>,
) => Promise<Reply<ResponseOf<K>>>;

export interface EnforcerUi {
  notice(notice: NoticeRequest): void;
  confirm(options: ConfirmOptions): Promise<boolean>;
}

/** Fail closed until the policy is known: the first milliseconds of a page. */
export const LOADING: DataDecision = {
  level: 'BLOCK',
  rule: { rule_id: 'palisade.loading', name: 'Policy loading' },
};

export type Verdict = 'allow' | 'report' | 'block' | 'warn';

const RANK: Record<Level, number> = { ALLOW: 4, BLOCK: 3, WARN: 2, REPORT: 1 };

/** The decision that wins under Chrome's precedence (ALLOW > BLOCK > WARN > REPORT). */
export function stronger(a: DataDecision, b: DataDecision): DataDecision {
  if (!b.level) return a;
  if (!a.level) return b;
  return RANK[b.level] > RANK[a.level] ? b : a;
}

export function verdictOf(d: DataDecision): Verdict {
  switch (d.level) {
    case 'BLOCK':
      return 'block';
    case 'WARN':
      return 'warn';
    case 'REPORT':
      return 'report';
    default:
      return 'allow';
  }
}

/**
 * What every enforcer gets: synchronous decisions for this frame's page (core's data
 * controls, from the background's verified policy), clipboard provenance, and the two
 * outcomes that need the user — a BLOCK notice and a WARN question — recorded the same
 * way everywhere.
 */
export class EnforcerContext {
  private controls: DataControls | null = null;
  private table: PasteTable | null = null;
  /** Copies made in this frame: hash → page, for pastes before the table catches up. */
  private readonly localCopies = new Map<string, string>();
  private notice: string | undefined;
  private contact: string | undefined;
  private loading: Promise<void> | null = null;
  /** Decisions made for form submissions, so their events say so (and are re-decided so). */
  private readonly formDecisions = new WeakSet<DataDecision>();

  constructor(
    readonly window: Window & typeof globalThis,
    private readonly call: CallBackground,
    private readonly ui: EnforcerUi,
  ) {}

  /** True once a policy snapshot has been received (decisions are then final). */
  get ready(): boolean {
    return this.controls !== null;
  }

  /** The URL this frame is judged by (about:blank frames take their creator's origin). */
  page(): string | undefined {
    const loc = this.window.location;
    return pageUrl(loc.href, loc.origin);
  }

  /** Fetches the policy snapshot and the paste table; safe to call often (on focus). */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  /** Resolves once a policy snapshot has been received. */
  async loaded(): Promise<void> {
    while (!this.controls) await this.refresh();
  }

  /**
   * `content`: what `scan` found in the content (upload of text files); `form` marks a
   * form submission, which only rules with a content condition judge.
   */
  decide(
    action: Exclude<ContentAction, 'paste'>,
    content?: Detections,
    form?: boolean,
  ): DataDecision {
    const page = this.page();
    if (!page) return { level: null, rule: null };
    if (!this.controls) return LOADING;
    const d = this.controls.decide({ ...dataQuery(action, page), content, contentOnly: form });
    if (form) this.formDecisions.add(d);
    return d;
  }

  /** True when some rule of this action's class looks at content (so scan it first). */
  inspects(action: DataAction): boolean {
    return this.controls?.inspects(action) ?? false;
  }

  /**
   * Runs the policy's detectors over `text` here, in the page's content script: the text
   * is never sent anywhere, only the counts are (with the audit event).
   */
  scan(text: string): Detections {
    return this.controls?.scan(text) ?? {};
  }

  /**
   * The paste decision for text with this hash (and what was detected in it), or 'stale'
   * when it needs the background. The paste table holds decisions, not sources, so content
   * rules are judged without the source unless the copy was made in this frame: a content
   * rule limited to some sources then applies to every source (fail closed); the background
   * re-decides with the real source before recording.
   */
  decidePaste(hash: string, content?: Detections): DataDecision | 'stale' {
    const page = this.page();
    if (!page) return { level: null, rule: null };
    if (!this.controls) return LOADING;
    const local = this.localCopies.get(hash);
    if (local) return this.controls.decide({ ...dataQuery('paste', page, local), content });
    if (!this.table || this.table.url !== page) return 'stale';
    if (this.tableOutdated()) return 'stale';
    const known = this.table.entries.find(([h]) => h === hash);
    if (!known) return this.controls.decide({ ...dataQuery('paste', page), content });
    if (!content) return known[1];
    const { source: _unknown, ...query } = dataQuery('paste', page);
    return stronger(known[1], this.controls.decide({ ...query, content, contentOnly: true }));
  }

  /** True when a rule with `when` started or stopped applying since the table was made. */
  private tableOutdated(): boolean {
    const at = this.table?.at;
    if (!this.controls || !at) return false;
    return this.controls.scheduleAt(new Date(at)) !== this.controls.scheduleAt(new Date());
  }

  /** Text was copied here: remember its hash (never the text) for paste decisions. */
  copied(hash: string): void {
    const page = this.page();
    if (!page) return;
    this.localCopies.set(hash, page);
    void this.call('clipboard.copied', { hash });
  }

  /** Queues the event; `d` supplies the detections (ids and counts) the rule counted. */
  record(
    action: ContentAction,
    outcome: 'blocked' | 'proceeded' | 'cancelled' | 'allowed',
    pasteHash?: string,
    d?: DataDecision,
  ) {
    const body: RecordRequest = { action, outcome };
    if (pasteHash) body.pasteHash = pasteHash;
    if (d?.detections) body.detections = d.detections;
    if (d && this.formDecisions.has(d)) body.form = true;
    return this.call('audit.record', body);
  }

  /** BLOCK: tell the user which rule stopped them, and record it. */
  block(action: ContentAction, d: DataDecision, pasteHash?: string): void {
    const t = texts(action);
    if (d === LOADING) return this.ui.notice({ title: t.blockedTitle, body: t.loading });
    this.ui.notice({
      title: t.blockedTitle,
      body: this.notice ?? t.blockedBody,
      ruleName: d.rule?.name,
      contact: this.contact,
    });
    void this.record(action, 'blocked', pasteHash, d);
  }

  /** WARN: ask, record the answer, and say whether to go on. */
  async warn(action: ContentAction, d: DataDecision, pasteHash?: string): Promise<boolean> {
    const t = texts(action);
    const proceed = await this.ui.confirm({
      title: t.warnTitle,
      body: this.notice ?? t.warnBody,
      ruleName: d.rule?.name,
      contact: this.contact,
      proceedLabel: t.proceed,
    });
    await this.record(action, proceed ? 'proceeded' : 'cancelled', pasteHash, d);
    return proceed;
  }

  private async load(): Promise<void> {
    const [snapshot, table] = await Promise.all([
      this.call('policy.snapshot', {}),
      this.call('clipboard.pasteTable', {}),
    ]);
    if (snapshot.ok) {
      this.controls = buildDataControls(snapshot.value.controls);
      this.notice = snapshot.value.notice;
      this.contact = snapshot.value.contact;
    }
    if (table.ok) this.table = table.value;
    if (!snapshot.ok) throw new Error(snapshot.message);
  }
}
