/**
 * Runs in the page's own JavaScript world (manifest `world: "MAIN"`, document_start, all
 * frames, match_origin_as_fallback — without the last, an about:blank iframe's native
 * print() would be a bypass). The isolated-world enforcers cannot replace what the page
 * sees, so this routes two page APIs through them:
 * - `window.print()` becomes a request the print enforcer answers (it calls the native
 *   print of its own, untouched world only if allowed) — synchronously when the policy is
 *   loaded, so `print(); close();` pages keep working;
 * - the async Clipboard API (`navigator.clipboard.writeText/write/readText/read`) fires no
 *   copy or paste event, so each call first asks the clipboard-API enforcer.
 * Nothing here decides or stores anything. It is best effort against a hostile page; the
 * guarantees are the isolated-world guards (beforeprint, copy/paste events).
 */
import { CLIPBOARD_ANSWER, CLIPBOARD_REQUEST, PRINT_REQUEST } from './main-world-protocol.ts';

function print(): void {
  document.dispatchEvent(new CustomEvent(PRINT_REQUEST));
}

let nextId = 0;
const pending = new Map<number, (allow: boolean) => void>();

document.addEventListener(CLIPBOARD_ANSWER, (e) => {
  const detail: unknown = (e as CustomEvent).detail;
  if (typeof detail !== 'string') return;
  try {
    const { id, allow } = JSON.parse(detail) as { id: number; allow: boolean };
    pending.get(id)?.(allow === true);
    pending.delete(id);
  } catch {
    // not ours
  }
});

/** Asks the enforcer; a page without one (extension gone) behaves as before. */
function ask(action: 'copy' | 'paste', text: string): Promise<boolean> {
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    const request = new CustomEvent(CLIPBOARD_REQUEST, {
      cancelable: true,
      detail: JSON.stringify({ id, action, text }),
    });
    // The enforcer cancels the event to say "I will answer".
    if (document.dispatchEvent(request)) {
      pending.delete(id);
      resolve(true);
    }
  });
}

const refused = () => new DOMException("Blocked by your organisation's policy", 'NotAllowedError');

async function textOf(items: readonly ClipboardItem[]): Promise<string> {
  for (const item of items) {
    if (item.types.includes('text/plain')) return (await item.getType('text/plain')).text();
  }
  return '';
}

function hookClipboard(): void {
  const proto = globalThis.Clipboard?.prototype;
  if (!proto) return;
  const { writeText, write, readText, read } = proto;
  const define = (name: string, value: (...args: never[]) => Promise<unknown>) =>
    Object.defineProperty(proto, name, { value, writable: true, configurable: true });
  define('writeText', async function (this: Clipboard, text: string) {
    if (!(await ask('copy', String(text)))) throw refused();
    return writeText.call(this, text);
  });
  define('write', async function (this: Clipboard, items: ClipboardItem[]) {
    if (!(await ask('copy', await textOf(items)))) throw refused();
    return write.call(this, items);
  });
  define('readText', async function (this: Clipboard) {
    const text = await readText.call(this);
    if (!(await ask('paste', text))) throw refused();
    return text;
  });
  define('read', async function (this: Clipboard) {
    const items = await read.call(this);
    if (!(await ask('paste', await textOf(items)))) throw refused();
    return items;
  });
}

try {
  Object.defineProperty(window, 'print', {
    value: print,
    writable: true,
    configurable: true,
    enumerable: true,
  });
  hookClipboard();
} catch {
  // A frame that froze its globals: the isolated-world guards still apply.
}
