import { buildUrlMatcher } from '../../core/policy/url-filter/url-matcher.ts';
import { CliError } from '../cli-error.ts';
import { loadPolicy, reportIgnored } from '../load-policy.ts';
import { readStdinLines } from '../read-input.ts';

/**
 * `palisade check --policy FILE [URL ...]`: one line per URL, `block|allow TAB url TAB filter`.
 * URLs are canonicalized as a browser would (WHATWG URL) before matching; a string that is
 * not a URL is decided as Chrome decides an invalid URL (only `*` matches it). Invalid URL
 * filters are ignored, as Chrome ignores them, and listed on stderr.
 */
export async function check(args: string[]): Promise<number> {
  const i = args.indexOf('--policy');
  if (i < 0 || !args[i + 1]) throw new CliError('usage: palisade check --policy FILE [URL ...]');
  const { document: policy, ignored } = await loadPolicy(args[i + 1], {
    ignoreInvalidUrlFilters: true,
  });
  reportIgnored(ignored);
  const urls = [...args.slice(0, i), ...args.slice(i + 2)];
  const input = urls.length ? urls : await readStdinLines();
  const matcher = buildUrlMatcher({
    blocklist: policy.urlBlocklist ?? [],
    allowlist: policy.urlAllowlist ?? [],
  });
  const out: string[] = [];
  for (const url of input) {
    const d = matcher.decide(canonicalize(url));
    out.push(`${d.verdict}\t${url}\t${d.filter ?? ''}`);
    if (out.length >= 4096) process.stdout.write(out.splice(0).join('\n') + '\n');
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  return 0;
}

function canonicalize(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
