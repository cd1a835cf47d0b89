import type { ComponentChildren } from 'preact';

interface Props<T extends string> {
  label: string;
  tabs: { id: T; label: string; disabled?: boolean }[];
  selected: T;
  onSelect(id: T): void;
  /** Prefix of the tab and panel ids. */
  idBase: string;
  children: ComponentChildren;
}

/**
 * WAI-ARIA tabs: one tab stop, arrow keys move between tabs, the panel is labelled by
 * its tab. (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/)
 */
export function Tabs<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
  idBase,
  children,
}: Props<T>) {
  const enabled = tabs.filter((t) => !t.disabled);
  const onKeyDown = (e: KeyboardEvent) => {
    const i = enabled.findIndex((t) => t.id === selected);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step || i < 0) return;
    e.preventDefault();
    const next = enabled[(i + step + enabled.length) % enabled.length]!;
    onSelect(next.id);
    document.getElementById(`${idBase}-tab-${next.id}`)?.focus();
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${idBase}-tab-${t.id}`}
            aria-selected={t.id === selected}
            aria-controls={`${idBase}-panel`}
            tabIndex={t.id === selected ? 0 : -1}
            disabled={t.disabled}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${idBase}-panel`} aria-labelledby={`${idBase}-tab-${selected}`}>
        {children}
      </div>
    </div>
  );
}
