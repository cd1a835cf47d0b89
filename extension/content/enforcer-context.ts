import {
  buildDataControls,
  type DataControls,
  type DataDecision,
} from '../../core/policy/data-controls.ts';
import { dataQuery } from '../shared/data-query.ts';
import type {
  BackgroundType,
  ContentAction,
  PasteTable,
  RequestOf,
  ResponseOf,
} from '../shared/messages.ts';
import type { NoticeRequest } from '../shared/messages.ts';
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

  decide(action: Exclude<ContentAction, 'paste'>): DataDecision {
    const page = this.page();
    if (!page) return { level: null, rule: null };
    if (!this.controls) return LOADING;
    return this.controls.decide(dataQuery(action, page));
  }

  /** The paste decision for text with this hash, or 'stale' when it needs the background. */
  decidePaste(hash: string): DataDecision | 'stale' {
    const page = this.page();
    if (!page) return { level: null, rule: null };
    if (!this.controls) return LOADING;
    const local = this.localCopies.get(hash);
    if (local) return this.controls.decide(dataQuery('paste', page, local));
    if (!this.table || this.table.url !== page) return 'stale';
    const known = this.table.entries.find(([h]) => h === hash);
    return known ? known[1] : this.controls.decide(dataQuery('paste', page));
  }

  /** Text was copied here: remember its hash (never the text) for paste decisions. */
  copied(hash: string): void {
    const page = this.page();
    if (!page) return;
    this.localCopies.set(hash, page);
    void this.call('clipboard.copied', { hash });
  }

  record(
    action: ContentAction,
    outcome: 'blocked' | 'proceeded' | 'cancelled' | 'allowed',
    pasteHash?: string,
  ) {
    return this.call(
      'audit.record',
      pasteHash ? { action, outcome, pasteHash } : { action, outcome },
    );
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
    void this.record(action, 'blocked', pasteHash);
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
    await this.record(action, proceed ? 'proceeded' : 'cancelled', pasteHash);
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
