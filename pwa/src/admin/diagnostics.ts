import type { Diagnostic } from '../../../core/policy/types.ts';

/**
 * The DOM id of the control that edits `path` (`dataControls[2].sources.urls` →
 * `f-dataControls-2-sources-urls`), so a diagnostic can point at — and focus — its field.
 */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^a-zA-Z0-9_]+/g, '-').replace(/-+$/, '') || 'document'}`;
}

/** The diagnostics about `path` itself (not its children). */
export function diagnosticsAt(all: Diagnostic[], path: string): Diagnostic[] {
  return all.filter((d) => d.path === path);
}

/** The diagnostics about `path` or anything inside it. */
export function diagnosticsUnder(all: Diagnostic[], path: string): Diagnostic[] {
  return all.filter(
    (d) => d.path === path || d.path.startsWith(`${path}.`) || d.path.startsWith(`${path}[`),
  );
}

/** `urlBlocklist[3]` → `urlBlocklist`; `a.b[2].c` → `a.b[2]`; `name` → ''. */
export function parentPath(path: string): string {
  const m = /^(.*)(\[\d+\]|\.[^.[\]]+)$/.exec(path);
  return m ? m[1]! : '';
}

/**
 * Focuses the control for a diagnostic, or the nearest enclosing one that is on screen
 * (a list entry's diagnostic focuses the list's textarea). Returns whether it found one.
 */
export function focusField(path: string, root: ParentNode = document): boolean {
  for (let p = path; ; p = parentPath(p)) {
    const el = root.querySelector<HTMLElement>(`#${fieldId(p)}`);
    if (el) {
      el.focus();
      el.scrollIntoView?.({ block: 'center' });
      return true;
    }
    if (p === '') return false;
  }
}

export function countBySeverity(all: Diagnostic[]): { errors: number; warnings: number } {
  const errors = all.filter((d) => d.severity === 'error').length;
  return { errors, warnings: all.length - errors };
}
