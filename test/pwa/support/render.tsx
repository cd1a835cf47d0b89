/**
 * A tiny Testing-Library-like helper over preact's `act`: render into a container and
 * find things the way a person (or a screen reader) does — by label, role and text.
 */
import { render as preactRender, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';

export interface Rendered {
  container: HTMLElement;
  /** The control a `<label>` (or aria-label) with this text names. */
  getByLabel(text: string | RegExp): HTMLElement;
  getByRole(role: string, name?: string | RegExp): HTMLElement;
  queryByRole(role: string, name?: string | RegExp): HTMLElement | null;
  getAllByRole(role: string, name?: string | RegExp): HTMLElement[];
  text(): string;
  unmount(): void;
}

const ROLE_SELECTORS: Record<string, string> = {
  button: 'button, [role="button"]',
  heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
  textbox:
    'input:not([type]), input[type="text"], input[type="email"], input[type="url"], input[type="search"], textarea, [role="textbox"]',
  combobox: 'select, [role="combobox"]',
  checkbox: 'input[type="checkbox"], [role="checkbox"]',
  link: 'a[href], [role="link"]',
  status: '[role="status"]',
  alert: '[role="alert"]',
  tab: '[role="tab"]',
  table: 'table',
  row: 'tr',
  list: 'ul, ol, [role="list"]',
  listitem: 'li',
  search: '[role="search"]',
  group: 'fieldset, [role="group"]',
};

function matches(actual: string, want: string | RegExp | undefined): boolean {
  if (want === undefined) return true;
  const a = actual.replace(/\s+/g, ' ').trim();
  return typeof want === 'string' ? a === want : want.test(a);
}

function accessibleName(el: HTMLElement, root: HTMLElement): string {
  const aria = el.getAttribute('aria-label');
  if (aria) return aria;
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    return labelledBy
      .split(' ')
      .map((id) => root.querySelector(`#${CSS.escape(id)}`)?.textContent ?? '')
      .join(' ');
  }
  if (el.id) {
    const label = root.querySelector(`label[for="${CSS.escape(el.id)}"]`);
    if (label) return label.textContent ?? '';
  }
  const wrapping = el.closest('label');
  if (wrapping) return wrapping.textContent ?? '';
  if (el.tagName === 'FIELDSET') return el.querySelector('legend')?.textContent ?? '';
  return el.textContent ?? '';
}

export function render(ui: ComponentChild): Rendered {
  const container = document.createElement('div');
  document.body.appendChild(container);
  act(() => preactRender(ui, container));

  const all = (role: string, name?: string | RegExp) =>
    [...container.querySelectorAll<HTMLElement>(ROLE_SELECTORS[role] ?? `[role="${role}"]`)].filter(
      (el) => matches(accessibleName(el, container), name),
    );

  return {
    container,
    getByLabel(text) {
      for (const label of container.querySelectorAll('label')) {
        if (!matches(label.textContent ?? '', text)) continue;
        const forId = label.getAttribute('for');
        const el = forId
          ? container.querySelector<HTMLElement>(`#${CSS.escape(forId)}`)
          : label.querySelector<HTMLElement>('input, select, textarea');
        if (el) return el;
      }
      const aria = [...container.querySelectorAll<HTMLElement>('[aria-label]')].find((el) =>
        matches(el.getAttribute('aria-label')!, text),
      );
      if (aria) return aria;
      throw new Error(
        `no control labelled ${String(text)} in:\n${container.innerHTML.slice(0, 3000)}`,
      );
    },
    getByRole(role, name) {
      const found = all(role, name);
      if (found.length === 0)
        throw new Error(
          `no ${role} named ${String(name)} in:\n${container.innerHTML.slice(0, 3000)}`,
        );
      return found[0]!;
    },
    queryByRole: (role, name) => all(role, name)[0] ?? null,
    getAllByRole: all,
    text: () => (container.textContent ?? '').replace(/\s+/g, ' '),
    unmount() {
      act(() => preactRender(null, container));
      container.remove();
    },
  };
}

/** Types into an input/textarea the way a person does (one input event with the new value). */
export function type(el: HTMLElement, value: string): void {
  act(() => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export function choose(el: HTMLElement, value: string): void {
  act(() => {
    (el as HTMLSelectElement).value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

export function click(el: HTMLElement): void {
  act(() => {
    el.click();
  });
}

/** Lets pending promises (fetch mocks, effects) settle inside act. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}
