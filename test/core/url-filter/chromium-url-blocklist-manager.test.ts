/**
 * Chromium's own URLBlocklist tests, case by case:
 * components/policy/core/browser/url_list/url_blocklist_manager_unittest.cc (the revision that
 * has BypassBlocklistWildcardForInternalChromeUrls). Each row names the TEST_F it comes from.
 * iOS-only cases (`#if BUILDFLAG(IS_IOS)`) and the ChromeOS BlocklistSource tests, which test
 * pref plumbing rather than decisions, are left out. URLs go in raw, as the tests hand them to
 * GURL: the engine reads them as GURL does (see docs/url-filters.md).
 */
import { describe, expect, it } from 'vitest';
import { buildUrlMatcher } from '../../../core/policy/url-filter/url-matcher.ts';
import type { UrlMatcherOptions } from '../../../core/policy/url-filter/url-matcher.ts';
import { BASIC_COVERAGE, type BasicCoverageRow } from './chromium-basic-coverage.ts';

/** Chromium's URLBlocklistState, from a Palisade decision. */
type State = 'URL_IN_BLOCKLIST' | 'URL_IN_ALLOWLIST' | 'URL_NEUTRAL_STATE';

interface Row {
  test: string;
  block?: string[];
  allow?: string[];
  url: string;
  /** IsURLBlocked. */
  blocked?: boolean;
  /** GetURLBlocklistState, where the test checks the state itself. */
  state?: State;
  options?: UrlMatcherOptions;
}

function decide(row: Row) {
  return buildUrlMatcher(
    { blocklist: row.block ?? [], allowlist: row.allow ?? [] },
    row.options,
  ).decide(row.url);
}

function state(row: Row): State {
  const d = decide(row);
  if (d.verdict === 'block') return 'URL_IN_BLOCKLIST';
  return d.list === 'allowlist' ? 'URL_IN_ALLOWLIST' : 'URL_NEUTRAL_STATE';
}

/** `MatchesPattern(pattern, url)`: one filter in the blocklist. */
const pattern = (test: string, filter: string, url: string, blocked: boolean): Row => ({
  test,
  block: [filter],
  url,
  blocked,
});

/** Rows that share one URLBlocklist (`Block`/`Allow` add to it, they never replace). */
const lists = (
  test: string,
  block: string[],
  allow: string[],
  cases: [string, boolean][],
  options?: UrlMatcherOptions,
): Row[] =>
  cases.map(([url, blocked]) => ({
    test,
    block,
    allow,
    url,
    blocked,
    ...(options && { options }),
  }));

// Filtering: one URLBlocklist to which each paragraph adds filters.
const f1Block = ['s.xxx.com/a', 'https://s.xxx.com/a/b/c'];
const f1Allow = ['s.xxx.com/a/b', 'https://s.xxx.com/a/b/c/d'];
const f2Block = [...f1Block, 'google.com'];
const f2Allow = [...f1Allow, 'plus.google.com'];
const f3Allow = [...f2Allow, 'https://mail.google.com'];
const f4Allow = [...f3Allow, 'http://.google.com'];
const f5Block = [...f2Block, 'yyy.com/aaa'];
const f5Allow = [...f4Allow, '.yyy.com/a'];
const f6Block = [...f5Block, 'example.com'];
const f6Allow = [...f5Allow, 'example.com'];
const f7Block = [...f6Block, '*'];
const f7Allow = [...f6Allow, 'devtools://*'];

const FILTERING: Row[] = [
  // Block domain and all subdomains, for any filtered scheme.
  pattern('Filtering', 'google.com', 'http://google.com', true),
  pattern('Filtering', 'google.com', 'http://google.com/', true),
  pattern('Filtering', 'google.com', 'http://google.com/whatever', true),
  pattern('Filtering', 'google.com', 'https://google.com/', true),
  pattern('Filtering', 'google.com', 'bogus://google.com/', true),
  pattern('Filtering', 'google.com', 'http://notgoogle.com/', false),
  pattern('Filtering', 'google.com', 'http://mail.google.com', true),
  pattern('Filtering', 'google.com', 'http://x.mail.google.com', true),
  pattern('Filtering', 'google.com', 'https://x.mail.google.com/', true),
  pattern('Filtering', 'google.com', 'http://x.y.google.com/a/b', true),
  pattern('Filtering', 'google.com', 'http://youtube.com/', false),
  // Filter only http, ftp and ws schemes.
  pattern('Filtering', 'http://secure.com', 'http://secure.com', true),
  pattern('Filtering', 'http://secure.com', 'http://secure.com/whatever', true),
  pattern('Filtering', 'ftp://secure.com', 'ftp://secure.com/', true),
  pattern('Filtering', 'ws://secure.com', 'ws://secure.com', true),
  pattern('Filtering', 'http://secure.com', 'https://secure.com/', false),
  pattern('Filtering', 'ws://secure.com', 'wss://secure.com', false),
  pattern('Filtering', 'http://secure.com', 'http://www.secure.com', true),
  pattern('Filtering', 'http://secure.com', 'https://www.secure.com', false),
  pattern('Filtering', 'ws://secure.com', 'wss://www.secure.com', false),
  // Filter only a certain path prefix.
  pattern('Filtering', 'path.to/ruin', 'http://path.to/ruin', true),
  pattern('Filtering', 'path.to/ruin', 'https://path.to/ruin', true),
  pattern('Filtering', 'path.to/ruin', 'http://path.to/ruins', true),
  pattern('Filtering', 'path.to/ruin', 'http://path.to/ruin/signup', true),
  pattern('Filtering', 'path.to/ruin', 'http://www.path.to/ruin', true),
  pattern('Filtering', 'path.to/ruin', 'http://path.to/fortune', false),
  // Filter only a certain path prefix and scheme.
  pattern('Filtering', 'https://s.aaa.com/path', 'https://s.aaa.com/path', true),
  pattern('Filtering', 'https://s.aaa.com/path', 'https://s.aaa.com/path/bbb', true),
  pattern('Filtering', 'https://s.aaa.com/path', 'http://s.aaa.com/path', false),
  pattern('Filtering', 'https://s.aaa.com/path', 'https://aaa.com/path', false),
  pattern('Filtering', 'https://s.aaa.com/path', 'https://x.aaa.com/path', false),
  pattern('Filtering', 'https://s.aaa.com/path', 'https://s.aaa.com/bbb', false),
  pattern('Filtering', 'https://s.aaa.com/path', 'https://s.aaa.com/', false),
  // Filter only ws and wss schemes.
  pattern('Filtering', 'ws://ws.aaa.com', 'ws://ws.aaa.com', true),
  pattern('Filtering', 'wss://ws.aaa.com', 'wss://ws.aaa.com', true),
  pattern('Filtering', 'ws://ws.aaa.com', 'http://ws.aaa.com', false),
  pattern('Filtering', 'ws://ws.aaa.com', 'https://ws.aaa.com', false),
  pattern('Filtering', 'ws://ws.aaa.com', 'ftp://ws.aaa.com', false),
  // Block an ip address.
  pattern('Filtering', '123.123.123.123', 'http://123.123.123.123/', true),
  pattern('Filtering', '123.123.123.123', 'http://123.123.123.124/', false),
  // Test exceptions to path prefixes, and most specific matches.
  ...lists('Filtering', f1Block, f1Allow, [
    ['http://s.xxx.com/a', true],
    ['http://s.xxx.com/a/x', true],
    ['https://s.xxx.com/a/x', true],
    ['http://s.xxx.com/a/b', false],
    ['https://s.xxx.com/a/b', false],
    ['http://s.xxx.com/a/b/x', false],
    ['http://s.xxx.com/a/b/c', false],
    ['https://s.xxx.com/a/b/c', true],
    ['https://s.xxx.com/a/b/c/x', true],
    ['https://s.xxx.com/a/b/c/d', false],
    ['http://s.xxx.com/a/b/c/d', false],
    ['https://s.xxx.com/a/b/c/d/x', false],
    ['http://s.xxx.com/a/b/c/d/x', false],
    ['http://xxx.com/a', false],
    ['http://xxx.com/a/b', false],
  ]),
  // Open an exception.
  ...lists('Filtering', f2Block, f2Allow, [
    ['http://google.com/', true],
    ['http://www.google.com/', true],
    ['http://plus.google.com/', false],
  ]),
  // Open an exception only when using https for mail.
  ...lists('Filtering', f2Block, f3Allow, [
    ['http://google.com/', true],
    ['http://mail.google.com/', true],
    ['http://www.google.com/', true],
    ['https://www.google.com/', true],
    ['https://mail.google.com/', false],
  ]),
  // Match exactly "google.com", only for http. Subdomains without exceptions are still blocked.
  ...lists('Filtering', f2Block, f4Allow, [
    ['http://google.com/', false],
    ['https://google.com/', true],
    ['http://www.google.com/', true],
  ]),
  // A smaller path match in an exact host overrides a longer path for hosts that also match
  // subdomains.
  ...lists('Filtering', f5Block, f5Allow, [
    ['http://yyy.com', false],
    ['http://yyy.com/aaa', false],
    ['http://yyy.com/aaa2', false],
    ['http://www.yyy.com', false],
    ['http://www.yyy.com/aaa', true],
    ['http://www.yyy.com/aaa2', true],
  ]),
  // If the exact entry is both allowed and blocked, allowing takes precedence.
  ...lists('Filtering', f6Block, f6Allow, [['http://example.com', false]]),
  // Devtools should not be blocked.
  ...lists('Filtering', f7Block, f7Allow, [
    ['devtools://something.com', false],
    ['https://something.com', true],
  ]),
];

// QueryParameters keeps adding to one URLBlocklist: every filter added so far stays in it.
const q5Block = [
  'youtube.com',
  'youtube1.com/disallow?v=44678',
  'youtube1.com/disallow?g=*',
  'youtube2.com/disallow?a*',
];
const q5Allow = [
  'youtube.com/watch?v=XYZ',
  'youtube.com/watch?av=XYZ&ag=123',
  'youtube.com/watch?foo=bar*&vid=2*',
];
const QUERY_PARAMETERS: Row[] = [
  ...lists(
    'QueryParameters',
    ['youtube.com'],
    ['youtube.com/watch?v=XYZ'],
    [
      ['http://youtube.com', true],
      ['http://youtube.com/watch?v=123', true],
      ['http://youtube.com/watch?v=123&v=XYZ', true],
      ['http://youtube.com/watch?v=XYZ&v=123', true],
      ['http://youtube.com/watch?v=XYZ', false],
      ['http://youtube.com/watch?v=XYZ&foo=bar', false],
      ['http://youtube.com/watch?foo=bar&v=XYZ', false],
    ],
  ),
  ...lists(
    'QueryParameters',
    ['youtube.com'],
    ['youtube.com/watch?v=XYZ', 'youtube.com/watch?av=XYZ&ag=123'],
    [
      ['http://youtube.com', true],
      ['http://youtube.com/watch?av=123', true],
      ['http://youtube.com/watch?av=XYZ', true],
      ['http://youtube.com/watch?av=123&ag=XYZ', true],
      ['http://youtube.com/watch?ag=XYZ&av=123', true],
      ['http://youtube.com/watch?av=XYZ&ag=123', false],
      ['http://youtube.com/watch?ag=123&av=XYZ', false],
      ['http://youtube.com/watch?av=XYZ&ag=123&av=123', true],
      ['http://youtube.com/watch?av=XYZ&ag=123&ag=1234', true],
    ],
  ),
  ...lists(
    'QueryParameters',
    ['youtube.com'],
    [
      'youtube.com/watch?v=XYZ',
      'youtube.com/watch?av=XYZ&ag=123',
      'youtube.com/watch?foo=bar*&vid=2*',
    ],
    [
      ['http://youtube.com', true],
      ['http://youtube.com/watch?vid=2', true],
      ['http://youtube.com/watch?foo=bar', true],
      ['http://youtube.com/watch?vid=2&foo=bar', false],
      ['http://youtube.com/watch?vid=2&foo=bar1', false],
      ['http://youtube.com/watch?vid=234&foo=bar', false],
      ['http://youtube.com/watch?vid=234&foo=bar23', false],
    ],
  ),
  ...lists('QueryParameters', ['youtube.com', 'youtube1.com/disallow?v=44678'], q5Allow, [
    ['http://youtube1.com', false],
    ['http://youtube1.com?v=123', false],
    // Path does not match.
    ['http://youtube1.com?v=44678', false],
    ['http://youtube1.com/disallow?v=44678', true],
    ['http://youtube1.com/disallow?v=4467', false],
    ['http://youtube1.com/disallow?v=4467&v=123', false],
    ['http://youtube1.com/disallow?v=4467&v=123&v=44678', true],
  ]),
  ...lists(
    'QueryParameters',
    ['youtube.com', 'youtube1.com/disallow?v=44678', 'youtube1.com/disallow?g=*'],
    q5Allow,
    [
      ['http://youtube1.com', false],
      ['http://youtube1.com?ag=123', false],
      ['http://youtube1.com/disallow?g=123', true],
      ['http://youtube1.com/disallow?ag=13&g=123', true],
    ],
  ),
  ...lists(
    'QueryParameters',
    [
      'youtube.com',
      'youtube1.com/disallow?v=44678',
      'youtube1.com/disallow?g=*',
      'youtube2.com/disallow?a*',
    ],
    q5Allow,
    [
      ['http://youtube2.com', false],
      ['http://youtube2.com/disallow?b=123&a21=467', true],
      ['http://youtube2.com/disallow?abba=true', true],
      ['http://youtube2.com/disallow?baba=true', false],
    ],
  ),
];

QUERY_PARAMETERS.push(
  ...lists(
    'QueryParameters',
    [...q5Block, 'youtube3.com'],
    [...q5Allow, 'youtube3.com/watch?fo*'],
    [
      ['http://youtube3.com', true],
      ['http://youtube3.com/watch?b=123&a21=467', true],
      ['http://youtube3.com/watch?b=123&a21=467&foo1', false],
      ['http://youtube3.com/watch?b=123&a21=467&foo=bar', false],
      ['http://youtube3.com/watch?b=123&a21=467&fo=ba', false],
      ['http://youtube3.com/watch?foreign=true', false],
      ['http://youtube3.com/watch?fold', false],
    ],
  ),
  ...lists(
    'QueryParameters',
    [...q5Block, 'youtube3.com', 'youtube4.com'],
    [...q5Allow, 'youtube3.com/watch?fo*', 'youtube4.com?*'],
    [
      ['http://youtube4.com', true],
      ['http://youtube4.com/?hello', false],
      ['http://youtube4.com/?foo', false],
    ],
  ),
  ...lists(
    'QueryParameters',
    [...q5Block, 'youtube3.com', 'youtube4.com', 'youtube5.com?foo=bar'],
    [...q5Allow, 'youtube3.com/watch?fo*', 'youtube4.com?*', 'youtube5.com?foo1=bar1&foo2=bar2&'],
    [
      ['http://youtube5.com', false],
      ['http://youtube5.com/?foo=bar&a=b', true],
      // More specific filter is given precedence.
      ['http://youtube5.com/?a=b&foo=bar&foo1=bar1&foo2=bar2', false],
    ],
  ),
);

const BLOCK_ALL_WITH_EXCEPTIONS = lists(
  'BlockAllWithExceptions',
  ['*'],
  ['.www.google.com', 'plus.google.com', 'https://mail.google.com', 'https://very.safe/path'],
  [
    ['http://random.com', true],
    ['http://google.com', true],
    ['http://s.www.google.com', true],
    ['http://www.google.com', false],
    ['http://plus.google.com', false],
    ['http://s.plus.google.com', false],
    ['http://mail.google.com', true],
    ['https://mail.google.com', false],
    ['https://s.mail.google.com', false],
    ['https://very.safe/', true],
    ['http://very.safe/path', true],
    ['https://very.safe/path', false],
  ],
);

const DEFAULT_BLOCKLIST_EXCEPTIONS: Row[] = [
  // Internal NTP and extension URLs are not blocked by the "*".
  ...lists(
    'DefaultBlocklistExceptions',
    ['*'],
    [],
    [
      ['http://www.google.com', true],
      ['chrome-extension://xyz', false],
      ['chrome-search://most-visited/title.html', false],
      ['chrome-native://ntp', false],
    ],
  ),
  // Unless they are explicitly on the blocklist.
  ...lists(
    'DefaultBlocklistExceptions',
    ['*', '*', 'chrome-extension://*'],
    ['chrome-extension://abc'],
    [
      ['http://www.google.com', true],
      ['chrome-extension://xyz', true],
      ['chrome-extension://abc', false],
      ['chrome-search://most-visited/title.html', false],
      ['chrome-native://ntp', false],
    ],
  ),
];

/** kBypassURLBlocklistWildcardForInternalChromeUrls is enabled by default. */
const BYPASS_CHROME_URLS: Row[] = [
  ...lists(
    'BypassBlocklistWildcardForInternalChromeUrls',
    ['*'],
    [],
    [
      ['chrome://newtab', false],
      ['chrome://settings', false],
      ['chrome://print', false],
      ['chrome://settings/privacy', false],
      ['chrome://omnibox-popup.top-chrome', false],
    ],
  ),
  // chrome://* URLs can still be blocked explicitly.
  ...lists(
    'BypassBlocklistWildcardForInternalChromeUrls',
    ['*', '*', 'chrome://*'],
    [],
    [
      ['chrome://new-tab-page', true],
      ['chrome://settings', true],
      ['chrome://settings/privacy', true],
    ],
  ),
  // chrome://* URLs can still be allowed explicitly.
  ...lists(
    'BypassBlocklistWildcardForInternalChromeUrls',
    ['*', '*', 'chrome://*'],
    ['chrome://settings'],
    [
      ['chrome://new-tab-page', true],
      ['chrome://settings', false],
      ['chrome://settings/privacy', false],
    ],
  ),
  // The same with the feature disabled: "*" blocks chrome:// URLs.
  ...lists(
    'BypassBlocklistWildcardForInternalChromeUrlsDisabled',
    ['*'],
    [],
    [
      ['chrome://settings', true],
      ['chrome://print', true],
      ['chrome://settings/privacy', true],
      ['chrome://omnibox-popup.top-chrome', true],
      ['chrome://newtab', true],
    ],
    { bypassWildcardForChromeUrls: false },
  ),
];

// url_blocklist_manager_unittest.cc alone also has a gopher: URL row.
const BASIC: BasicCoverageRow[] = [
  ...BASIC_COVERAGE,
  ['example.com', 'gopher://example.com', true],
];

const USE_BLOCKLIST_STATE: Row[] = [
  {
    test: 'UseBlocklistState',
    allow: ['example.com'],
    url: 'http://example.com',
    state: 'URL_IN_ALLOWLIST',
  },
  {
    test: 'UseBlocklistState',
    allow: ['http://*'],
    url: 'http://example.com',
    state: 'URL_IN_ALLOWLIST',
  },
  {
    test: 'UseBlocklistState',
    allow: ['custom://*'],
    url: 'custom://app',
    state: 'URL_IN_ALLOWLIST',
  },
  {
    test: 'UseBlocklistState',
    allow: ['custom:*'],
    url: 'custom://app/play',
    state: 'URL_IN_ALLOWLIST',
  },
  {
    test: 'UseBlocklistState',
    allow: ['custom:*'],
    url: 'custom://app:8080',
    state: 'URL_IN_ALLOWLIST',
  },
  { test: 'UseBlocklistState', block: ['ftp:*'], url: 'ftp://server', state: 'URL_IN_BLOCKLIST' },
  {
    test: 'UseBlocklistState',
    allow: ['file:*'],
    url: 'http://example.com',
    state: 'URL_NEUTRAL_STATE',
  },
  {
    test: 'UseBlocklistState',
    block: ['https://*'],
    url: 'http://example.com',
    state: 'URL_NEUTRAL_STATE',
  },
];

const LOAD: Row[] = [
  {
    test: 'LoadBlocklistOnCreate',
    block: ['example.com'],
    url: 'http://example.com',
    state: 'URL_IN_BLOCKLIST',
  },
  {
    test: 'LoadAllowlistOnCreate',
    allow: ['example.com'],
    url: 'http://example.com',
    state: 'URL_IN_ALLOWLIST',
  },
];

const ROWS: Row[] = [
  ...LOAD,
  ...FILTERING,
  ...QUERY_PARAMETERS,
  ...BLOCK_ALL_WITH_EXCEPTIONS,
  ...DEFAULT_BLOCKLIST_EXCEPTIONS,
  ...BYPASS_CHROME_URLS,
  ...BASIC.map(([f, url, blocked]) => pattern('BlocklistBasicCoverage', f, url, blocked)),
  ...USE_BLOCKLIST_STATE,
];

describe('url_blocklist_manager_unittest.cc', () => {
  it.each(ROWS)('$test: block $block allow $allow · $url', (row) => {
    if (row.blocked !== undefined) expect(decide(row).verdict === 'block').toBe(row.blocked);
    if (row.state !== undefined) expect(state(row)).toBe(row.state);
  });

  it('PolicyListLimit: Chrome applies the first kMaxUrlFiltersPerPolicy (1000) filters of a list', () => {
    const filters = Array.from({ length: 1005 }, (_, i) => `https://example-${i}.com`);
    const options = { maxFiltersPerList: 1000 };
    const blockOnly = buildUrlMatcher({ blocklist: filters, allowlist: [] }, options);
    filters.forEach((url, i) =>
      expect(blockOnly.decide(url).verdict === 'block', url).toBe(i < 1000),
    );
    const both = buildUrlMatcher({ blocklist: filters, allowlist: filters }, options);
    for (const url of filters) expect(both.decide(url).verdict, url).toBe('allow');
    // Palisade's own default has no cap.
    const uncapped = buildUrlMatcher({ blocklist: filters, allowlist: [] });
    for (const url of filters) expect(uncapped.decide(url).verdict, url).toBe('block');
  });
});
