/**
 * DOM events between the MAIN-world script and the isolated-world enforcers (the two
 * worlds share only the DOM). Details are JSON strings: plain strings cross worlds intact.
 */
export const PRINT_REQUEST = 'palisade:print-request';
/** detail: `{ id, action: 'copy' | 'paste', text }`; cancelled by the enforcer that answers. */
export const CLIPBOARD_REQUEST = 'palisade:clipboard-request';
/** detail: `{ id, allow }`. */
export const CLIPBOARD_ANSWER = 'palisade:clipboard-answer';

export interface ClipboardRequest {
  id: number;
  action: 'copy' | 'paste';
  text: string;
}

export function parseClipboardRequest(detail: unknown): ClipboardRequest | null {
  if (typeof detail !== 'string') return null;
  try {
    const r = JSON.parse(detail) as Record<string, unknown>;
    const ok =
      Number.isSafeInteger(r.id) &&
      (r.action === 'copy' || r.action === 'paste') &&
      typeof r.text === 'string';
    return ok ? (r as unknown as ClipboardRequest) : null;
  } catch {
    return null;
  }
}
