/**
 * A host element with its own shadow root, so the page's CSS cannot restyle (or hide by
 * accident) what Palisade shows, and our CSS cannot leak into the page. Attached to
 * <html> rather than <body>, which may not exist yet at document_start or may be replaced.
 */
export function createShadowHost(
  doc: Document,
  name: string,
  css: string,
): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement('div');
  host.setAttribute('data-palisade', name);
  // Reset the host itself: page rules like `div { display: none }` must not reach it.
  host.style.cssText = 'all: initial; position: static;';
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = BASE_CSS + css;
  root.append(style);
  doc.documentElement.append(host);
  return { host, root };
}

const BASE_CSS = `
  :host { all: initial; }
  * { box-sizing: border-box; }
  .card {
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    color: #1b1f24; background: #fff; border-radius: 10px;
    box-shadow: 0 8px 28px rgba(0, 0, 0, .28); border-top: 4px solid #b42318;
    padding: 14px 16px; max-width: 380px;
  }
  .card.warn { border-top-color: #b54708; }
  h2 { font-size: 15px; margin: 0 0 6px; }
  p { margin: 0 0 6px; }
  .rule { color: #475467; font-size: 13px; }
  button {
    font: inherit; border-radius: 6px; padding: 6px 14px; cursor: pointer;
    border: 1px solid #98a2b3; background: #fff; color: #1b1f24;
  }
  button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
  button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
  @media (prefers-color-scheme: dark) {
    .card { background: #1f2937; color: #f3f4f6; }
    .rule { color: #cbd5e1; }
    button { background: #111827; color: #f3f4f6; border-color: #4b5563; }
  }
`;

/** Text content only: nothing from a policy or a page is ever parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}
