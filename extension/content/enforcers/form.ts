import { stop, type Enforcer } from '../enforcer.ts';
import type { EnforcerContext } from '../enforcer-context.ts';
import { enforce, onProceed } from '../enforce.ts';

/**
 * Form submission judged by its content: when a FILE_UPLOAD rule has a content condition,
 * the text of a form's fields is scanned here before the page's own submit handlers run,
 * and judged by the content rules only (a form is not a file: rules without a content
 * condition leave forms alone). Submissions that fire no `submit` event (`form.submit()`,
 * scripts' own fetch calls) are not seen.
 */
export const formEnforcer: Enforcer = {
  name: 'form',
  init(ctx, signal) {
    const w = ctx.window;
    let bypass = false;
    w.addEventListener(
      'submit',
      (e: SubmitEvent) => {
        const form = e.target as HTMLFormElement | null;
        if (bypass || !form || !ctx.inspects('upload')) return;
        const d = ctx.decide('upload', ctx.scan(formText(ctx, form)), true);
        const go = enforce(ctx, 'upload', d);
        if (go === true) return;
        stop(e);
        const submitter = e.submitter;
        onProceed(go, () => {
          bypass = true;
          try {
            form.requestSubmit(submitter && form.contains(submitter) ? submitter : undefined);
          } finally {
            bypass = false;
          }
        });
      },
      { capture: true, signal },
    );
  },
};

/** The text the form would send: every string field's value, one a line. */
function formText(ctx: EnforcerContext, form: HTMLFormElement): string {
  const parts: string[] = [];
  for (const [, value] of new ctx.window.FormData(form)) {
    if (typeof value === 'string' && value) parts.push(value);
  }
  return parts.join('\n');
}
