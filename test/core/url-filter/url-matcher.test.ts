import { describe, expect, it } from 'vitest';
import { buildUrlMatcher } from '../../../core/policy/url-filter/url-matcher.ts';
import { buildUrlFilterSet } from '../../../core/policy/url-filter/url-filter-set.ts';

type Row = {
  block?: string[];
  allow?: string[];
  url: string;
  expect: 'block' | 'allow';
  by?: string | null;
};

const verdict = (row: Row): string =>
  buildUrlMatcher({ blocklist: row.block ?? [], allowlist: row.allow ?? [] }).decide(row.url)
    .verdict;

/** One filter in the blocklist: does it block the URL? (Chromium's `MatchesPattern`.) */
const blocks = (filter: string, url: string): boolean =>
  buildUrlMatcher({ blocklist: [filter], allowlist: [] }).decide(url).verdict === 'block';

describe('URLBlocklist filter format (chromium.org/administrators/url-blocklist-filter-format)', () => {
  const rows: Row[] = [
    // example.com: the domain and every subdomain, any scheme.
    { block: ['example.com'], url: 'https://example.com/', expect: 'block' },
    { block: ['example.com'], url: 'http://www.example.com/a', expect: 'block' },
    { block: ['example.com'], url: 'https://sub.www.example.com/', expect: 'block' },
    { block: ['example.com'], url: 'https://notexample.com/', expect: 'allow' },
    // .example.com: that host only.
    { block: ['.example.com'], url: 'https://example.com/docs', expect: 'block' },
    { block: ['.example.com'], url: 'https://www.example.com/', expect: 'allow' },
    // https://*: every https URL, nothing else.
    { block: ['https://*'], url: 'https://any.org/', expect: 'block' },
    { block: ['https://*'], url: 'http://any.org/', expect: 'allow' },
    // *: everything not allowlisted.
    { block: ['*'], url: 'https://any.org/', expect: 'block' },
    { block: ['*'], allow: ['example.com'], url: 'https://example.com/', expect: 'allow' },
    // file://* and custom:*.
    { block: ['file://*'], url: 'file:///home/me/a.txt', expect: 'block' },
    { block: ['custom:*'], url: 'custom:app', expect: 'block' },
    { block: ['custom://*'], url: 'custom://app/play', expect: 'block' },
    { block: ['custom:*'], url: 'customs://app', expect: 'allow' },
    // IP literals match exactly.
    { block: ['192.168.1.2'], url: 'http://192.168.1.2/', expect: 'block' },
    { block: ['192.168.1.2'], url: 'http://192.168.1.20/', expect: 'allow' },
    // *:8080/path: any host, port 8080, that path.
    { block: ['*:8080/path'], url: 'http://a.org:8080/path/x', expect: 'block' },
    { block: ['*:8080/path'], url: 'http://a.org/path', expect: 'allow' },
    { block: ['*:8080/path'], url: 'http://a.org:8080/other', expect: 'allow' },
    // Queries: every token must be present, in any order.
    { block: ['example.com/?query'], url: 'https://example.com/?query', expect: 'block' },
    { block: ['example.com/?query'], url: 'https://example.com/?a=1&query', expect: 'block' },
    { block: ['example.com/?query'], url: 'https://example.com/?query=1', expect: 'allow' },
    { block: ['example.com/?query'], url: 'https://example.com/', expect: 'allow' },
    // Default ports are the effective port.
    { block: ['example.com:443'], url: 'https://example.com/', expect: 'block' },
    { block: ['example.com:80'], url: 'https://example.com/', expect: 'allow' },
    // Userinfo and fragment are ignored; a trailing dot in the URL host too.
    { block: ['host.com/path'], url: 'http://user:pass@host.com:8080/path', expect: 'block' },
    { block: ['example.com/a'], url: 'https://example.com./a#frag', expect: 'block' },
    // Path and query are case-sensitive, scheme and host not.
    { block: ['example.com/Path'], url: 'http://example.com/path', expect: 'allow' },
    { block: ['HTTP://EXAMPLE.COM'], url: 'http://example.com/', expect: 'block' },
    { block: ['host/path?Query=1'], url: 'http://host/path?query=1', expect: 'allow' },
  ];
  it.each(rows)('$block / $allow · $url → $expect', (row) => {
    expect(verdict(row)).toBe(row.expect);
  });
});

describe("Chromium's url_blocklist_manager_unittest", () => {
  it('Filtering', () => {
    expect(blocks('google.com', 'bogus://google.com/')).toBe(true);
    expect(blocks('http://secure.com', 'https://secure.com/')).toBe(false);
    expect(blocks('ws://secure.com', 'wss://secure.com')).toBe(false);
    expect(blocks('path.to/ruin', 'http://path.to/ruins')).toBe(true);
    expect(blocks('path.to/ruin', 'http://path.to/fortune')).toBe(false);
    expect(blocks('https://s.aaa.com/path', 'https://x.aaa.com/path')).toBe(false);
    expect(blocks('123.123.123.123', 'http://123.123.123.124/')).toBe(false);

    const m = buildUrlMatcher({
      blocklist: ['s.xxx.com/a', 'https://s.xxx.com/a/b/c'],
      allowlist: ['s.xxx.com/a/b', 'https://s.xxx.com/a/b/c/d'],
    });
    const table: [string, boolean][] = [
      ['http://s.xxx.com/a', true],
      ['https://s.xxx.com/a/x', true],
      ['http://s.xxx.com/a/b', false],
      ['http://s.xxx.com/a/b/c', false],
      ['https://s.xxx.com/a/b/c', true],
      ['https://s.xxx.com/a/b/c/x', true],
      ['https://s.xxx.com/a/b/c/d', false],
      ['http://xxx.com/a', false],
    ];
    for (const [url, blocked] of table)
      expect(m.decide(url).verdict === 'block', url).toBe(blocked);
  });

  it('an exact host beats a longer path on a subdomain-matching host', () => {
    const m = buildUrlMatcher({ blocklist: ['yyy.com/aaa'], allowlist: ['.yyy.com/a'] });
    expect(m.decide('http://yyy.com/aaa').verdict).toBe('allow');
    expect(m.decide('http://www.yyy.com/aaa').verdict).toBe('block');
  });

  it('on a full tie the allowlist wins', () => {
    const m = buildUrlMatcher({ blocklist: ['example.com'], allowlist: ['example.com'] });
    expect(m.decide('http://example.com')).toEqual({
      verdict: 'allow',
      filter: 'example.com',
      list: 'allowlist',
      index: 0,
    });
  });

  it('BlockAllWithExceptions', () => {
    const m = buildUrlMatcher({
      blocklist: ['*'],
      allowlist: [
        '.www.google.com',
        'plus.google.com',
        'https://mail.google.com',
        'https://very.safe/path',
      ],
    });
    const table: [string, boolean][] = [
      ['http://random.com', true],
      ['http://s.www.google.com', true],
      ['http://www.google.com', false],
      ['http://s.plus.google.com', false],
      ['http://mail.google.com', true],
      ['https://s.mail.google.com', false],
      ['https://very.safe/', true],
      ['http://very.safe/path', true],
      ['https://very.safe/path', false],
    ];
    for (const [url, blocked] of table)
      expect(m.decide(url).verdict === 'block', url).toBe(blocked);
  });

  it('BlocklistBasicCoverage', () => {
    expect(blocks('file:*', 'file:///usr/local/boot.txt')).toBe(true);
    expect(blocks('https://*', 'https:///abc.txt')).toBe(true);
    expect(blocks('chrome://*', 'chrome:policy')).toBe(true);
    expect(blocks('custom://*', 'cust*://example_ap')).toBe(false);
    expect(blocks('custom://*', 'custom:///abc.txt')).toBe(true);
    expect(blocks('wrong://app', 'wrong://app')).toBe(false);
    expect(blocks(' wrong:*', 'wrong://app')).toBe(false);
    expect(blocks('example.com', 'file://example.com/')).toBe(true);
    expect(blocks('example.com', 'about:example.com')).toBe(false);
    expect(blocks('example.com', 'custom://example.com')).toBe(true);
    expect(blocks('host', 'file:///host')).toBe(false);
    expect(blocks('10.1.2.3', 'http://10.1.2.3:8080/path')).toBe(true);
    expect(blocks(':8080', 'http://host:8080')).toBe(false);
    expect(blocks('host:65536', 'http://host:65535/path')).toBe(false);
    expect(blocks('example.com:*', 'http://example.com:8888')).toBe(false);
    expect(blocks('host?q1=1&q2=2', 'http://host/?q2=2&q1=1')).toBe(true);
    expect(blocks('host?q1=1&q2=2', 'http://host/?q2=1&q1=2')).toBe(false);
    expect(blocks('host?q1=1&q2=2*', 'http://host/?q2=21&q1=1&q3=3')).toBe(true);
    expect(blocks('suPPort://*', 'support:example')).toBe(true);
  });

  it('UseBlocklistState', () => {
    const allow = (filter: string, url: string) =>
      buildUrlMatcher({ blocklist: [], allowlist: [filter] }).decide(url);
    expect(allow('http://*', 'http://example.com').list).toBe('allowlist');
    expect(allow('custom:*', 'custom://app:8080').list).toBe('allowlist');
    expect(allow('file:*', 'http://example.com').filter).toBeNull();
  });
});

describe('query conditions: MATCH_ANY in the blocklist, MATCH_ALL in the allowlist', () => {
  const yt = buildUrlMatcher({
    blocklist: ['youtube.com'],
    allowlist: ['youtube.com/watch?v=XYZ'],
  });
  it.each([
    ['http://youtube.com/watch?v=XYZ', 'allow'],
    ['http://youtube.com/watch?foo=bar&v=XYZ', 'allow'],
    ['http://youtube.com/watch?v=123', 'block'],
    // Appending another v= does not keep an allowed video allowed.
    ['http://youtube.com/watch?v=XYZ&v=123', 'block'],
    ['http://youtube.com/watch?v=123&v=XYZ', 'block'],
  ])('%s → %s', (url, expected) => {
    expect(yt.decide(url).verdict).toBe(expected);
  });

  it('a bare key in an allow filter must appear only bare', () => {
    const m = buildUrlMatcher({ blocklist: ['a.com'], allowlist: ['a.com/?k'] });
    expect(m.decide('http://a.com/?k').verdict).toBe('allow');
    expect(m.decide('http://a.com/?k&k=1').verdict).toBe('block');
  });

  it('prefix tokens with an empty value stay MATCH_ANY (youtube3, youtube4)', () => {
    const m3 = buildUrlMatcher({
      blocklist: ['youtube3.com'],
      allowlist: ['youtube3.com/watch?fo*'],
    });
    expect(m3.decide('http://youtube3.com/watch?b=123&a21=467&foo1').verdict).toBe('allow');
    expect(m3.decide('http://youtube3.com/watch?b=123').verdict).toBe('block');
    const m4 = buildUrlMatcher({ blocklist: ['youtube4.com'], allowlist: ['youtube4.com?*'] });
    expect(m4.decide('http://youtube4.com/').verdict).toBe('block');
    expect(m4.decide('http://youtube4.com/?hello').verdict).toBe('allow');
  });

  it('blocklist prefix values and repeated keys (youtube1, youtube2)', () => {
    const m = buildUrlMatcher({ blocklist: ['youtube1.com/disallow?v=44678'], allowlist: [] });
    expect(m.decide('http://youtube1.com/disallow?v=4467&v=123').verdict).toBe('allow');
    expect(m.decide('http://youtube1.com/disallow?v=4467&v=123&v=44678').verdict).toBe('block');
    expect(blocks('youtube1.com/disallow?g=*', 'http://youtube1.com/disallow?ag=13&g=123')).toBe(
      true,
    );
    expect(blocks('youtube2.com/disallow?a*', 'http://youtube2.com/disallow?b=123&a21=467')).toBe(
      true,
    );
    expect(blocks('youtube2.com/disallow?a*', 'http://youtube2.com/disallow?baba=true')).toBe(
      false,
    );
  });

  it('more query conditions take precedence (youtube5)', () => {
    const m = buildUrlMatcher({
      blocklist: ['youtube5.com?foo=bar'],
      allowlist: ['youtube5.com?foo1=bar1&foo2=bar2&'],
    });
    expect(m.decide('http://youtube5.com/?foo=bar&a=b').verdict).toBe('block');
    expect(m.decide('http://youtube5.com/?a=b&foo=bar&foo1=bar1&foo2=bar2').verdict).toBe('allow');
  });

  it('MATCH_ALL needs every condition (av & ag)', () => {
    const m = buildUrlMatcher({
      blocklist: ['youtube.com'],
      allowlist: ['youtube.com/watch?av=XYZ&ag=123'],
    });
    expect(m.decide('http://youtube.com/watch?ag=123&av=XYZ').verdict).toBe('allow');
    expect(m.decide('http://youtube.com/watch?av=XYZ').verdict).toBe('block');
    expect(m.decide('http://youtube.com/watch?av=XYZ&ag=123&ag=1234').verdict).toBe('block');
  });
});

describe('the blocklist * and special schemes', () => {
  const m = buildUrlMatcher({ blocklist: ['*'], allowlist: [] });
  it.each([
    'chrome-extension://xyz/',
    'chrome-search://most-visited/title.html',
    'chrome-native://ntp',
    'chrome://settings',
  ])('* does not block %s', (url) =>
    expect(m.decide(url)).toEqual({ verdict: 'allow', filter: null, list: null, index: -1 }),
  );
  it('a specific filter still blocks extension pages', () => {
    const m2 = buildUrlMatcher({
      blocklist: ['*', 'chrome-extension://*'],
      allowlist: ['chrome-extension://abc'],
    });
    expect(m2.decide('chrome-extension://xyz/').verdict).toBe('block');
    expect(m2.decide('chrome-extension://abc/').verdict).toBe('allow');
    expect(m2.decide('chrome-search://most-visited/').verdict).toBe('allow');
  });
  it('blob: URLs are never blocked', () => {
    expect(m.decide('blob:https://example.com/uuid').verdict).toBe('allow');
  });
  it('javascript: and data: are blocked by * or by their scheme', () => {
    expect(m.decide('javascript:alert(1)').verdict).toBe('block');
    const d = buildUrlMatcher({ blocklist: ['data:*', 'javascript:*'], allowlist: [] });
    expect(d.decide('data:text/html,hi').filter).toBe('data:*');
    expect(d.decide('javascript:void(0)').filter).toBe('javascript:*');
  });
});

describe('decisions name the filter', () => {
  const m = buildUrlMatcher({
    blocklist: ['bad', 'example.com', ' example.com/x '],
    allowlist: ['  ', 'mail.example.com'],
  });
  it('reports list and index, skipping nothing', () => {
    expect(m.decide('https://a.mail.example.com/')).toEqual({
      verdict: 'allow',
      filter: 'mail.example.com',
      list: 'allowlist',
      index: 1,
    });
    expect(m.decide('https://example.com/x1')).toEqual({
      verdict: 'block',
      filter: ' example.com/x ',
      list: 'blocklist',
      index: 2,
    });
    expect(m.decide('https://elsewhere.org/').filter).toBeNull();
  });
  it('lists invalid filters', () => {
    expect(m.invalid).toEqual({ blocklist: [], allowlist: [0] });
    const bad = buildUrlMatcher({ blocklist: ['http://', 'ok.com', 'htp:/x'], allowlist: [] });
    expect(bad.invalid.blocklist).toEqual([0, 2]);
  });
  it('equal filters: the first one in its list decides', () => {
    const dup = buildUrlMatcher({ blocklist: ['a.com', 'A.com'], allowlist: [] });
    expect(dup.decide('http://a.com/').index).toBe(0);
  });
});

describe('buildUrlFilterSet', () => {
  const set = buildUrlFilterSet([
    'docs.example.com/d/',
    'example.com',
    'bad:',
    'youtube.com/watch?v=1',
  ]);
  it('returns the first matching filter in list order', () => {
    expect(set.firstMatch('https://docs.example.com/d/1')).toBe('docs.example.com/d/');
    expect(set.firstMatch('https://www.example.com/')).toBe('example.com');
    expect(set.firstMatch('https://example.org/')).toBeNull();
    expect(set.invalid).toEqual([2]);
  });
  it('uses allowlist query semantics by default, blocklist semantics on request', () => {
    expect(set.firstMatch('https://youtube.com/watch?v=1&v=2')).toBeNull();
    const block = buildUrlFilterSet(['youtube.com/watch?v=1'], { semantics: 'block' });
    expect(block.firstMatch('https://youtube.com/watch?v=1&v=2')).toBe('youtube.com/watch?v=1');
  });
});
