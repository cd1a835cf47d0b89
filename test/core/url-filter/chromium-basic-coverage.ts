/**
 * The BasicCoverage table that Chromium keeps, nearly row for row, in both
 * components/url_matcher/url_util_unittest.cc and url_blocklist_manager_unittest.cc: one
 * filter, one URL, whether it matches. Each test file adds the rows only its source has.
 */
export type BasicCoverageRow = [filter: string, url: string, matches: boolean];

export const BASIC_COVERAGE: BasicCoverageRow[] = [
  // [scheme://][.]host[:port][/path][@query]
  ['file://*', 'file:///abc.txt', true],
  ['file:*', 'file:///usr/local/boot.txt', true],
  ['https://*', 'https:///abc.txt', true],
  ['ftp://*', 'ftp://ftp.txt', true],
  ['chrome://*', 'chrome:policy', true],
  ['noscheme', 'http://noscheme', true],
  // Filter custom schemes.
  ['custom://*', 'custom://example_app', true],
  ['custom:*', 'custom:example2_app', true],
  ['custom://*', 'customs://example_apps', false],
  ['custom://*', 'cust*://example_ap', false],
  ['custom://*', 'ecustom:example_app', false],
  ['custom://*', 'custom:///abc.txt', true],
  // Tests for custom scheme patterns that are not supported.
  ['wrong://app', 'wrong://app', false],
  ['wrong ://*', 'wrong ://app', false],
  [' wrong:*', ' wrong://app', false],
  // Omitting the scheme matches most standard schemes.
  ['example.com', 'chrome:example.com', true],
  ['example.com', 'chrome://example.com', true],
  ['example.com', 'file://example.com/', true],
  ['example.com', 'ftp://example.com', true],
  ['example.com', 'http://example.com', true],
  ['example.com', 'https://example.com', true],
  ['example.com', 'ws://example.com', true],
  ['example.com', 'wss://example.com', true],
  // Some schemes are not matched when the scheme is omitted.
  ['example.com', 'about:example.com', false],
  ['example.com/*', 'filesystem:///something', false],
  // With kStandardCompliantNonSpecialSchemeURLParsing the host of non-special URLs is seen.
  ['example.com', 'about://example.com', true],
  ['example.com', 'custom://example.com', true],
  ['example', 'custom://example', true],
  // An optional '.' (dot) can prefix the host field to disable subdomain matching.
  ['.example.com', 'http://example.com/path', true],
  ['.example.com', 'http://mail.example.com/path', false],
  ['example.com', 'http://mail.example.com/path', true],
  ['ftp://.ftp.file', 'ftp://ftp.file', true],
  ['ftp://.ftp.file', 'ftp://sub.ftp.file', false],
  // The host field is required, and is a valid hostname or an IP address, or '*'.
  ['*', 'http://anything', true],
  ['*', 'ftp://anything', true],
  ['*', 'custom://anything', true],
  ['host', 'http://host:8080', true],
  ['host', 'file:///host', false],
  ['10.1.2.3', 'http://10.1.2.3:8080/path', true],
  // No host, will match nothing.
  [':8080', 'http://host:8080', false],
  [':8080', 'http://:8080', false],
  // An optional port can come after the host, from 1 to 65535.
  ['host:8080', 'http://host:8080/path', true],
  ['host:1', 'http://host:1/path', true],
  // Out of range port.
  ['host:65536', 'http://host:65536/path', false],
  // Star is not allowed in port numbers.
  ['example.com:*', 'http://example.com', false],
  ['example.com:*', 'http://example.com:8888', false],
  // An optional path can come after port.
  ['host/path', 'http://host:8080/path', true],
  ['host/path/path2', 'http://host/path/path2', true],
  ['host/path', 'http://host/path/path2', true],
  // An optional query: key-value and key-only tokens, '*' for a prefix, order ignored.
  ['host?q1=1&q2=2', 'http://host?q2=2&q1=1', true],
  ['host?q1=1&q2=2', 'http://host?q2=1&q1=2', false],
  ['host?q1=1&q2=2', 'http://host?Q2=2&Q1=1', false],
  ['host?q1=1&q2=2', 'http://host?q2=2&q1=1&q3=3', true],
  ['host?q1=1&q2=2*', 'http://host?q2=21&q1=1&q3=3', true],
  // user:pass fields can be included but will be ignored.
  ['host.com/path', 'http://user:pass@host.com:8080/path', true],
  ['ftp://host.com/path', 'ftp://user:pass@host.com:8080/path', true],
  // Scheme is case insensitive.
  ['suPPort://*', 'support:example', true],
  ['FILE://*', 'file:example', true],
  ['FILE://*', 'FILE://example', true],
  ['FtP:*', 'ftp://example', true],
  ['http://example.com', 'HTTP://example.com', true],
  ['HTTP://example.com', 'http://example.com', true],
  // Host is case insensitive.
  ['http://EXAMPLE.COM', 'http://example.com', true],
  ['Example.com', 'http://examplE.com/Path?Query=1', true],
  // Path is case sensitive.
  ['example.com/Path', 'http://example.com/path', false],
  ['http://example.com/aB', 'http://example.com/aB', true],
  ['http://example.com/aB', 'http://example.com/Ab', false],
  ['http://example.com/aB', 'http://example.com/ab', false],
  ['http://example.com/aB', 'http://example.com/AB', false],
  // Query is case sensitive.
  ['host/path?Query=1', 'http://host/path?query=1', false],
];
