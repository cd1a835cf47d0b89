/**
 * Schemes `url::IsStandard` knows in a desktop Chrome (url/url_util.cc plus the ones //chrome
 * and //extensions register). GURL parses these with an authority even when the `//` is
 * missing (`chrome:policy` is `chrome://policy/`), and `url_formatter::SegmentURL` parses only
 * these (and about:, chrome:, devtools:) for a host: a filter with any other scheme has no
 * host, so only its `scheme:*` form is valid. See docs/url-filters.md.
 */
const STANDARD_SCHEMES = new Set([
  'http',
  'https',
  'ws',
  'wss',
  'ftp',
  'file',
  'chrome',
  'chrome-untrusted',
  'chrome-extension',
  'chrome-search',
  'chrome-native',
  'devtools',
  'isolated-app',
]);

export function isStandardScheme(scheme: string): boolean {
  return STANDARD_SCHEMES.has(scheme);
}
