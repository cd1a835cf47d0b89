import type { DataDecision } from '../../core/policy/data-controls.ts';
import type { ContentAction } from '../shared/messages.ts';
import type { EnforcerContext } from './enforcer-context.ts';

/** Whether the action may go on: known now, or once the user has answered a WARN. */
export type Go = boolean | Promise<boolean>;

export interface EnforceOptions {
  /** The pasted text's hash, so the background can find where it was copied. */
  pasteHash?: string;
  /**
   * What a WARN does here: `ask` (the default); `block` where the action cannot wait for an
   * answer (a drag); `pass` where the question was already asked (a picker's `change`).
   */
  onWarn?: 'ask' | 'block' | 'pass';
  /** False where a later step records the REPORT (a picker's click, recorded on `change`). */
  report?: boolean;
}

/**
 * The one place a data-control decision is acted on: ALLOW goes on; REPORT records and
 * goes on; BLOCK shows the notice naming the rule (and records); WARN asks, records the
 * answer and goes on if the user chose to. Synchronous except for the question, so a
 * caller can still prevent the event it is handling when the answer is `false` or a promise.
 *
 * @example
 * const go = enforce(ctx, 'print', ctx.decide('print'));
 * if (go !== true) stop(event);
 * onProceed(go, printNow);
 */
export function enforce(
  ctx: EnforcerContext,
  action: ContentAction,
  d: DataDecision,
  options: EnforceOptions = {},
): Go {
  const { pasteHash, onWarn = 'ask', report = true } = options;
  switch (d.level) {
    case 'REPORT':
      if (report) void ctx.record(action, 'allowed', pasteHash, d);
      return true;
    case 'BLOCK':
      ctx.block(action, d, pasteHash);
      return false;
    case 'WARN':
      if (onWarn === 'pass') return true;
      if (onWarn === 'block') {
        ctx.block(action, d, pasteHash);
        return false;
      }
      return ctx.warn(action, d, pasteHash);
    default:
      return true;
  }
}

/** Runs `then` once the action may go on: now, or after a WARN the user accepted. */
export function onProceed(go: Go, then: () => void): void {
  if (go === true) return then();
  if (go === false) return;
  void go.then((proceed) => proceed && then());
}
