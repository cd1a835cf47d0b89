import type { KeyValueArea } from '../platform/types.ts';
import { isRecord } from '../shared/guards.ts';

export interface ProvenanceEntry {
  hash: string;
  sourceUrl: string;
}

/** Enough for "copy here, paste there" a few times over, small enough to stay trivial. */
const MAX_ENTRIES = 50;
const KEY = 'clipboardProvenance';

/**
 * Where clipboard content came from: a hash of the copied text and the page it was copied
 * on — never the text. Kept in storage.session (memory only, gone when the browser closes,
 * not readable by content scripts) and never sent anywhere; a paste's audit event names
 * its source only when a rule acted on that paste.
 */
export class ClipboardProvenance {
  constructor(private readonly session: KeyValueArea) {}

  async add(hash: string, sourceUrl: string): Promise<void> {
    const entries = (await this.list()).filter((e) => e.hash !== hash);
    entries.unshift({ hash, sourceUrl });
    await this.session.set({ [KEY]: entries.slice(0, MAX_ENTRIES) });
  }

  async list(): Promise<ProvenanceEntry[]> {
    const value = (await this.session.get(KEY))[KEY];
    if (!Array.isArray(value)) return [];
    return value.filter(
      (e): e is ProvenanceEntry =>
        isRecord(e) && typeof e.hash === 'string' && typeof e.sourceUrl === 'string',
    );
  }

  async sourceOf(hash: string): Promise<string | undefined> {
    return (await this.list()).find((e) => e.hash === hash)?.sourceUrl;
  }

  async clear(): Promise<void> {
    await this.session.remove(KEY);
  }
}
