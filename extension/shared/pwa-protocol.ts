import { isNonEmptyString, isRecord } from './guards.ts';

/**
 * The window.postMessage protocol between the PWA's page and the bridge content script.
 * Page → extension: `{ source: 'palisade-pwa', type: 'ping' }` and
 * `{ source: 'palisade-pwa', type: 'pair', token, serverUrl }`.
 * Extension → page: `{ source: 'palisade-extension', type: 'hello', version, enrolled }`
 * and `{ source: 'palisade-extension', type: 'pair-result', ok, … }`. `hello` is sent only
 * to the origin of the server the browser is enrolled with or pinned to by managed storage
 * (to any origin while it has neither, so that its PWA can find it to pair).
 */
export type PwaMessage = { type: 'ping' } | { type: 'pair'; token: string; serverUrl: string };

export type ExtensionMessage =
  | { source: 'palisade-extension'; type: 'hello'; version: string; enrolled: boolean }
  | {
      source: 'palisade-extension';
      type: 'pair-result';
      ok: boolean;
      user?: { name: string; email: string } | null;
      code?: string;
      message?: string;
    };

/** Parses a page message; null for anything that is not exactly a PWA request. */
export function parsePwaMessage(data: unknown): PwaMessage | null {
  if (!isRecord(data) || data.source !== 'palisade-pwa') return null;
  if (data.type === 'ping') return { type: 'ping' };
  if (
    data.type === 'pair' &&
    isNonEmptyString(data.token, 512) &&
    isNonEmptyString(data.serverUrl, 2048)
  ) {
    return { type: 'pair', token: data.token, serverUrl: data.serverUrl };
  }
  return null;
}
