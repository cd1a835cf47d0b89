/** fast-check generators of URL filters and URLs over a small vocabulary, so they collide often. */
import fc from 'fast-check';

const label = fc.constantFrom('a', 'b', 'com', 'com', 'com', 'x-y', '1');
export const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join('.'));
const shortHost = fc.array(label, { minLength: 1, maxLength: 2 }).map((l) => l.join('.'));

const filterScheme = fc.constantFrom(
  '',
  '',
  '',
  'http://',
  'https://',
  'HTTPS://',
  'ftp://',
  'ws://',
  'chrome://',
);
const filterHost = fc.oneof(
  { weight: 6, arbitrary: shortHost },
  { weight: 2, arbitrary: host.map((h) => '.' + h) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('*', '1.2.3.4', '[::1]', '*.a.com', 'A.com', 'a.com.', ''),
  },
);
const port = fc.constantFrom('', '', '', '', '', '', ':80', ':443', ':8080', ':0', ':x', ':65536');
const path = fc.constantFrom(
  '',
  '',
  '',
  '',
  '/',
  '/a',
  '/a/b',
  '/A',
  '/a*',
  '/ab',
  '/a^',
  '/a|',
  '//x',
  '/%20',
  '#x',
  '/a#b',
);
const query = fc.constantFrom(
  '',
  '',
  '',
  '',
  '',
  '',
  '?q',
  '?q=1',
  '?q=1&r',
  '?q*',
  '?q=1*',
  '?q=1&q=2',
  '?*',
  '?q=',
  '?r=2&q=1',
  '?&',
);

/** A filter in Chrome's format, mostly valid, sometimes not. */
export const filter = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.tuple(filterScheme, filterHost, port, path, query).map((p) => p.join('')),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '*',
      'https://*',
      'http://*',
      'data:*',
      'javascript:*',
      'custom:*',
      'file://*',
      'file:///a',
      'data:text/html',
      ' a.com ',
      'chrome-extension://*',
      'htp:/x',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const urlScheme = fc.constantFrom(
  'http',
  'https',
  'https',
  'ftp',
  'ws',
  'custom',
  'chrome-extension',
  'file',
);
const urlPort = fc.constantFrom('', '', '', ':80', ':443', ':8080');
const urlPath = fc.constantFrom('/', '/', '/a', '/a/b', '/A', '/a*', '/ab', '/a^', '/b');
const urlQuery = fc.constantFrom(
  '',
  '',
  '?q',
  '?q=1',
  '?q=1&q=2',
  '?r&q',
  '?q=2&q=1',
  '?',
  '?q=1&r',
  '?r=2&q=1&',
  '?qq',
);
const userinfo = fc.constantFrom('', '', '', 'u:p@', 'a.com@');

/** A URL (canonical-looking; sometimes a non-authority scheme). */
export const url = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        urlScheme,
        userinfo,
        host,
        fc.constantFrom('', '', '.'),
        urlPort,
        urlPath,
        urlQuery,
        fc.constantFrom('', '#f'),
      )
      .map(([s, u, h, dot, p, pa, q, f]) => `${s}://${u}${h}${dot}${p}${pa}${q}${f}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'javascript:alert(1)',
      'data:text/html,hi',
      'blob:https://a.com/1',
      'custom:app',
      'file:///a/b',
      'http://1.2.3.4/',
      'http://[::1]/a',
      'chrome-search://x/',
    ),
  },
);

/** Only http(s) URLs, for DNR comparisons; mostly without port, userinfo or trailing dot. */
export const httpUrl = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.constantFrom('', '', '', '', '', '', '', '', '', 'u:p@'),
    host,
    fc.constantFrom('', '', '', '', '', '', '', '', '', '.'),
    fc.constantFrom('', '', '', '', '', '', '', ':80', ':443', ':8080'),
    urlPath,
    urlQuery,
  )
  .map(([s, u, h, dot, p, pa, q]) => `${s}://${u}${h}${dot}${p}${pa}${q}`);
