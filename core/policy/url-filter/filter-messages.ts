import { isStandardScheme } from './segment-filter.ts';
import type { FilterSegments } from './segment-filter.ts';
import type { ParsedUrlFilter } from './url-filter-types.ts';

/** Web schemes an admin most likely meant when a scheme is misspelt. */
const LIKELY = ['https', 'http', 'file', 'ftp', 'wss', 'ws'];

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j] ?? 0;
      row[j] = Math.min(next + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = next;
    }
  }
  return row[b.length] ?? 0;
}

/** A corrected filter for "htp:/x" or "htps//x"-style typos, if one is obvious. */
function suggestion(filter: string): string | null {
  const m = /^\s*([a-z][a-z0-9+.-]*)\s*[:;]?\/*([\s\S]*)$/i.exec(filter);
  if (!m) return null;
  const [, written = '', rest = ''] = m;
  const near = LIKELY.find((s) => distance(written.toLowerCase(), s) <= 1);
  if (!near || rest === '' || written.toLowerCase() === near) return null;
  return `${near}://${rest}`;
}

/** Why Chromium's FilterToComponents rejects `filter`, phrased as how to fix it. */
export function invalidReason(filter: string, seg: FilterSegments): string {
  const trimmed = filter.trim();
  if (trimmed === '') {
    return 'it is empty. Write a host such as example.com, or * to match every URL.';
  }
  // "custom_scheme:*": not a scheme (only letters, digits, + - . are), so SegmentURL reads
  // host "custom_scheme" and port "*". Chrome's own URLBlocklist example has this filter.
  const schemeLike = /^\s*([^\s:/?#]+):(?:\/\/)?\*\s*$/.exec(filter)?.[1];
  if (!seg.explicitScheme && schemeLike && !/[.]/.test(schemeLike)) {
    return (
      `"${schemeLike}" is not a scheme name (a letter, then letters, digits, "+", "-" or "."), ` +
      `so Chrome reads it as host "${schemeLike}" with port "*". Chrome ignores this filter, ` +
      'and URLs written with such a scheme are not valid URLs: "*" already blocks them.'
    );
  }
  if (seg.scheme === 'file') {
    return /^file:/i.test(trimmed)
      ? 'its file path cannot be read. Write file:///path/to/folder.'
      : 'it has no host. Write a host such as example.com/path, or file:///path for local files.';
  }
  if (seg.explicitScheme && !isStandardScheme(seg.scheme) && seg.host === null) {
    // "host:65536": HasPort refuses a port above 65535, so "host:" is taken as a scheme.
    const port = /^[^:]*:(\d+)\s*$/.exec(filter)?.[1];
    if (port !== undefined) {
      return (
        `its port "${port}" is not a number from 1 to 65535 (so Chrome reads ` +
        `"${seg.scheme}:" as a scheme). Leave the port out to match every port.`
      );
    }
    const fix = suggestion(filter);
    const base =
      `"${seg.scheme}:" is not a web scheme, so the only filter Chrome accepts for it is ` +
      `"${seg.scheme}:*" (every ${seg.scheme}: URL).`;
    return fix ? `${base} Did you mean "${fix}"?` : base;
  }
  if (seg.host === null || seg.host === '') {
    const fix = suggestion(filter);
    if (fix) return `it has no host. Did you mean "${fix}"?`;
    if (!seg.explicitScheme) {
      return 'it has no host. Write a host such as example.com, or * to match every URL.';
    }
    const s = seg.scheme;
    return `it has no host after "${s}://". Write ${s}://example.com, or ${s}://* for every ${s}: URL.`;
  }
  return (
    `its port "${seg.port ?? ''}" is not a number from 1 to 65535. ` +
    'Leave the port out to match every port.'
  );
}

/** Warnings for filters Chrome accepts but that likely do not do what the admin meant. */
export function filterWarnings(filter: string, parsed: ParsedUrlFilter): string[] {
  const warnings: string[] = [];
  const quoted = JSON.stringify(filter);
  if (filter !== filter.trim()) {
    warnings.push(
      `${quoted} has surrounding whitespace. Remove it: Chrome ignores it in most filters ` +
        'but not in "scheme:*" filters.',
    );
  }
  const bareHost = parsed.matchSubdomains ? parsed.host.replace(/^\./, '') : parsed.host;
  if (bareHost.includes('*')) {
    const fixed = bareHost.replace(/^(\*\.?)+/, '');
    const hint =
      fixed && !fixed.includes('*')
        ? `write "${fixed}", which already covers its subdomains`
        : 'hosts take no wildcards; "example.com" already covers its subdomains';
    warnings.push(
      `${quoted} has a "*" in its host, which never matches in Chrome's format: ${hint}.`,
    );
  }
  if (parsed.scheme === '' && parsed.path.startsWith('//')) {
    const fix = suggestion(filter);
    warnings.push(
      `${quoted} reads as host "${bareHost}" with path "${parsed.path}"` +
        (fix ? `: did you mean "${fix}"?` : ': check the scheme is followed by "://".'),
    );
  }
  if (parsed.path.includes('*')) {
    warnings.push(
      `${quoted} has a "*" in its path, which matches only a literal "*": paths are prefixes ` +
        '(example.com/docs covers example.com/docs/anything), so drop the "*".',
    );
  }
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(bareHost)) {
    warnings.push(
      `${quoted} has a non-ASCII host. Chrome compares hosts as written, and URLs carry the ` +
        'punycode form: write the host as xn--… (punycode).',
    );
  }
  return warnings;
}
