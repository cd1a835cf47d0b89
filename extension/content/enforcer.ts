import type { EnforcerContext } from './enforcer-context.ts';

/**
 * A content-script enforcer: one per file under enforcers/, each registered the same way
 * and torn down by aborting `signal` (every listener is added with it), e.g. when the
 * extension is updated and this script is orphaned.
 */
export interface Enforcer {
  readonly name: string;
  init(ctx: EnforcerContext, signal: AbortSignal): void;
}

/** Starts each enforcer; one that throws does not stop the others. */
export function startEnforcers(
  enforcers: readonly Enforcer[],
  ctx: EnforcerContext,
  signal: AbortSignal,
): void {
  for (const enforcer of enforcers) {
    try {
      enforcer.init(ctx, signal);
    } catch (error) {
      console.warn(`[palisade] ${enforcer.name} enforcer failed to start`, error);
    }
  }
}

/** Stops an event from reaching the page's own handlers and its default action. */
export function stop(event: Event): void {
  event.preventDefault();
  event.stopImmediatePropagation();
}
