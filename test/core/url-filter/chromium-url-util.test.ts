/**
 * Chromium's own url_matcher::util tests, case by case: components/url_matcher/url_util_unittest.cc.
 * Each row names the test it comes from. `MatchFilters` there builds a URLMatcher with
 * `AddAllowFilters` — Palisade's `buildUrlFilterSet` with its default (allowlist) semantics.
 * SingleFilter and BasicCoverage run in Chrome with and without
 * `kStandardCompliantNonSpecialSchemeURLParsing`; the rows here are the feature-enabled ones,
 * Chrome's default (url_blocklist_manager_unittest.cc asserts the same, unconditionally).
 * Normalize and GetEmbeddedURL* test helpers the URL blocklist does not use and are left out.
 */
import { describe, expect, it } from 'vitest';
import { buildUrlFilterSet } from '../../../core/policy/url-filter/url-filter-set.ts';
import { parseUrlFilter } from '../../../core/policy/url-filter/parse-url-filter.ts';
import { BASIC_COVERAGE, type BasicCoverageRow } from './chromium-basic-coverage.ts';

interface Row {
  test: string;
  filters: string[];
  url: string;
  matches: boolean;
}

const row = (test: string, filters: string[], url: string, matches: boolean): Row => ({
  test,
  filters,
  url,
  matches,
});

// OnlyWildcard: "*" matches every permutation of [scheme://][.]host[:port][/path][?query],
// including the scheme-less ones GURL finds no valid URL in.
const ONLY_WILDCARD: Row[] = [];
for (const scheme of ['', 'https://'])
  for (const sub of ['', 'dev.'])
    for (const port of ['', ':1234'])
      for (const path of ['', '/path'])
        for (const query of ['', '?query'])
          ONLY_WILDCARD.push(
            row('OnlyWildcard', ['*'], `${scheme}${sub}google.com${port}${path}${query}`, true),
          );

const SINGLE: [string, string, boolean][] = [
  // Match domain and all subdomains, for any filtered scheme.
  ['google.com', 'http://google.com', true],
  ['google.com', 'http://google.com/', true],
  ['google.com', 'http://google.com/whatever', true],
  ['google.com', 'https://google.com/', true],
  ['google.com', 'bogus://google.com/', true],
  ['google.com', 'http://notgoogle.com/', false],
  ['google.com', 'http://mail.google.com', true],
  ['google.com', 'http://x.mail.google.com', true],
  ['google.com', 'https://x.mail.google.com/', true],
  ['google.com', 'http://x.y.google.com/a/b', true],
  ['google.com', 'http://youtube.com/', false],
  // Filter only http, ftp and ws schemes.
  ['http://secure.com', 'http://secure.com', true],
  ['http://secure.com', 'http://secure.com/whatever', true],
  ['ftp://secure.com', 'ftp://secure.com/', true],
  ['ws://secure.com', 'ws://secure.com', true],
  ['http://secure.com', 'https://secure.com/', false],
  ['ws://secure.com', 'wss://secure.com', false],
  ['http://secure.com', 'http://www.secure.com', true],
  ['http://secure.com', 'https://www.secure.com', false],
  ['ws://secure.com', 'wss://www.secure.com', false],
  // Filter only a certain path prefix.
  ['path.to/ruin', 'http://path.to/ruin', true],
  ['path.to/ruin', 'https://path.to/ruin', true],
  ['path.to/ruin', 'http://path.to/ruins', true],
  ['path.to/ruin', 'http://path.to/ruin/signup', true],
  ['path.to/ruin', 'http://www.path.to/ruin', true],
  ['path.to/ruin', 'http://path.to/fortune', false],
  // Filter only a certain path prefix and scheme.
  ['https://s.aaa.com/path', 'https://s.aaa.com/path', true],
  ['https://s.aaa.com/path', 'https://s.aaa.com/path/bbb', true],
  ['https://s.aaa.com/path', 'http://s.aaa.com/path', false],
  ['https://s.aaa.com/path', 'https://aaa.com/path', false],
  ['https://s.aaa.com/path', 'https://x.aaa.com/path', false],
  ['https://s.aaa.com/path', 'https://s.aaa.com/bbb', false],
  ['https://s.aaa.com/path', 'https://s.aaa.com/', false],
  // Filter only ws and wss schemes.
  ['ws://ws.aaa.com', 'ws://ws.aaa.com', true],
  ['wss://ws.aaa.com', 'wss://ws.aaa.com', true],
  ['ws://ws.aaa.com', 'http://ws.aaa.com', false],
  ['ws://ws.aaa.com', 'https://ws.aaa.com', false],
  ['ws://ws.aaa.com', 'ftp://ws.aaa.com', false],
  // Match an ip address.
  ['123.123.123.123', 'http://123.123.123.123/', true],
  ['123.123.123.123', 'http://123.123.123.124/', false],
  // Open an exception.
  ['plus.google.com', 'http://google.com/', false],
  ['plus.google.com', 'http://www.google.com/', false],
  ['plus.google.com', 'http://plus.google.com/', true],
  // Match exactly "google.com", only for http.
  ['http://.google.com', 'http://google.com/', true],
  ['http://.google.com', 'https://google.com/', false],
  ['http://.google.com', 'http://www.google.com/', false],
];

const PATTERNS = ['s.xxx.com/a/b', 'https://s.xxx.com/a/b/c/d'];
const QUERIES = [
  '*?q=1234',
  '*?q=5678',
  '*?a=1&b=2',
  'youtube.com?foo=baz',
  'youtube.com?foo=bar*',
];
const MULTIPLE: Row[] = [
  // Test exceptions to path prefixes, and most specific matches.
  ...(
    [
      ['http://s.xxx.com/a', false],
      ['http://s.xxx.com/a/x', false],
      ['https://s.xxx.com/a/x', false],
      ['http://s.xxx.com/a/b', true],
      ['https://s.xxx.com/a/b', true],
      ['http://s.xxx.com/a/b/x', true],
      ['http://s.xxx.com/a/b/c', true],
      ['https://s.xxx.com/a/b/c', true],
      ['https://s.xxx.com/a/b/c/x', true],
      ['https://s.xxx.com/a/b/c/d', true],
      ['http://s.xxx.com/a/b/c/d', true],
      ['https://s.xxx.com/a/b/c/d/x', true],
      ['http://s.xxx.com/a/b/c/d/x', true],
      ['http://xxx.com/a', false],
      ['http://xxx.com/a/b', false],
    ] as [string, boolean][]
  ).map(([url, m]) => row('MultipleFilters', PATTERNS, url, m)),
  // Match queries.
  ...(
    [
      ['http://google.com?q=1234', true],
      ['http://google.com?q=5678', true],
      ['http://google.com?a=1&b=2', true],
      ['http://google.com?b=2&a=1', true],
      ['http://google.com?a=1&b=4&q=1234', true],
      ['http://youtube.com?foo=baz', true],
      ['http://youtube.com?foo=barbaz', true],
      ['http://youtube.com?a=1&foo=barbaz', true],
      ['http://google.com?r=1234', false],
      ['http://google.com?r=5678', false],
      ['http://google.com?a=2&b=1', false],
      ['http://google.com?b=1&a=2', false],
      ['http://google.com?a=1&b=3', false],
      ['http://youtube.com?foo=meh', false],
      ['http://youtube.com?foo=bazbar', false],
      ['http://youtube.com?foo=ba', false],
    ] as [string, boolean][]
  ).map(([url, m]) => row('MultipleFilters', QUERIES, url, m)),
];

// url_util_unittest.cc alone also has a data: URL row.
const BASIC: BasicCoverageRow[] = [
  ...BASIC_COVERAGE,
  ['data:*', 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"/>', true],
];

const ROWS: Row[] = [
  ...ONLY_WILDCARD,
  ...SINGLE.map(([f, url, m]) => row('SingleFilter', [f], url, m)),
  ...MULTIPLE,
  ...BASIC.map(([f, url, m]) => row('BasicCoverage', [f], url, m)),
];

describe('url_util_unittest.cc', () => {
  it.each(ROWS)('$test: $filters · $url', (r) => {
    expect(buildUrlFilterSet(r.filters).firstMatch(r.url) !== null).toBe(r.matches);
  });

  // FilterToComponentsTest: the scheme, host, match_subdomains, port and path of each filter.
  it.each([
    ['google.com', '', '.google.com', true, 0, ''],
    ['.google.com', '', 'google.com', false, 0, ''],
    ['http://google.com', 'http', '.google.com', true, 0, ''],
    ['google.com/', '', '.google.com', true, 0, '/'],
    ['http://google.com:8080/whatever', 'http', '.google.com', true, 8080, '/whatever'],
    ['http://user:pass@google.com:8080/whatever', 'http', '.google.com', true, 8080, '/whatever'],
    ['123.123.123.123', '', '123.123.123.123', false, 0, ''],
    ['https://123.123.123.123', 'https', '123.123.123.123', false, 0, ''],
    ['123.123.123.123/', '', '123.123.123.123', false, 0, '/'],
    ['http://123.123.123.123:123/whatever', 'http', '123.123.123.123', false, 123, '/whatever'],
    ['*', '', '', true, 0, ''],
    ['ftp://*', 'ftp', '', true, 0, ''],
    ['http://*/whatever', 'http', '', true, 0, '/whatever'],
    ['data:image/png', 'data', '', true, 0, 'image/png'],
  ] as const)('FilterToComponents: %j', (filter, scheme, host, matchSubdomains, port, path) => {
    const r = parseUrlFilter(filter);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect({
      scheme: r.filter.scheme,
      host: r.filter.host,
      matchSubdomains: r.filter.matchSubdomains,
      port: r.filter.port,
      path: r.filter.path,
    }).toEqual({ scheme, host, matchSubdomains, port, path });
  });
});
