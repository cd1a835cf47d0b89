import { MAX_SCAN_CHARS } from '../../core/policy/detect/detect-content.ts';

const TEXT_TYPES = [
  'application/json',
  'application/xml',
  'application/x-ndjson',
  'application/csv',
];
const TEXT_EXTENSIONS =
  /\.(txt|csv|tsv|md|json|ndjson|xml|log|ini|conf|env|pem|key|yaml|yml|sql)$/i;

/** Files whose content the detectors can read as text: by MIME type, or by name. */
export function textFiles(files: readonly File[]): File[] {
  return files.filter(
    (f) =>
      f.type.startsWith('text/') || TEXT_TYPES.includes(f.type) || TEXT_EXTENSIONS.test(f.name),
  );
}

/**
 * Reads text files for scanning, here in the content script: at most MAX_SCAN_CHARS bytes
 * of each (the size cap; the rest of a larger file is not scanned), joined by newlines.
 * A file that cannot be read counts as empty.
 */
export async function readTextFiles(files: readonly File[]): Promise<string> {
  const parts = await Promise.all(
    files.map((f) =>
      f
        .slice(0, MAX_SCAN_CHARS)
        .text()
        .catch(() => ''),
    ),
  );
  return parts.join('\n');
}
