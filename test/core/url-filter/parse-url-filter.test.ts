import { describe, expect, it } from 'vitest';
import { parseUrlFilter } from '../../../core/policy/url-filter/parse-url-filter.ts';
import { validateUrlFilters } from '../../../core/policy/url-filter/validate-url-filters.ts';
import type { ParsedUrlFilter } from '../../../core/policy/url-filter/url-filter-types.ts';

const parsed = (filter: string) => {
  const r = parseUrlFilter(filter);
  if (!r.ok) throw new Error(r.message);
  return r.filter;
};

/** A filter's components: those of "*" (any scheme and host, no port, path or query) but for `own`. */
const components = (own: Partial<ParsedUrlFilter>): ParsedUrlFilter => ({
  scheme: '',
  host: '',
  matchSubdomains: true,
  port: 0,
  path: '',
  query: '',
  ...own,
});

describe('parseUrlFilter — FilterToComponents', () => {
  it.each([
    ['example.com', components({ host: '.example.com' })],
    ['.example.com', components({ host: 'example.com', matchSubdomains: false })],
    ['*', components({})],
    ['https://*', components({ scheme: 'https' })],
    ['custom:*', components({ scheme: 'custom' })],
    ['JavaScript://*', components({ scheme: 'javascript' })],
    ['file://*', components({ scheme: 'file' })],
    ['file:///home/me/My%20Docs/', components({ scheme: 'file', path: '/home/me/My Docs/' })],
    ['data:text/html', components({ scheme: 'data', path: 'text/html' })],
    ['192.168.1.2', components({ host: '192.168.1.2', matchSubdomains: false })],
    ['[::1]:8080', components({ host: '[::1]', matchSubdomains: false, port: 8080 })],
    ['*:8080/path', components({ port: 8080, path: '/path' })],
    ['localhost:8080', components({ host: '.localhost', port: 8080 })],
    [
      'HTTPS://User:pw@Mail.Example.COM:443/Inbox?a=1&b#frag',
      components({
        scheme: 'https',
        host: '.mail.example.com',
        port: 443,
        path: '/Inbox',
        query: 'a=1&b',
      }),
    ],
    ['example.com/?query', components({ host: '.example.com', path: '/', query: 'query' })],
    ['chrome://settings', components({ scheme: 'chrome', host: '.settings' })],
    ['http;//example.com', components({ scheme: 'http', host: '.example.com' })],
    [' example.com ', components({ host: '.example.com' })],
  ])('%s', (filter, expected) => {
    expect(parsed(filter)).toEqual(expected);
  });

  it.each([
    ['', 'it is empty'],
    ['http://', 'no host after "http://"'],
    ['/just/a/path', 'file:///path'],
    ['htp:/x', 'Did you mean "http://x"?'],
    ['custom://app', '"custom:*"'],
    ['example.com:99999', 'from 1 to 65535'],
    ['example.com:0', 'from 1 to 65535'],
    ['example.com:*', 'from 1 to 65535'],
    [' wrong:*', '"wrong:*"'],
  ])('%j is invalid, with a fix', (filter, hint) => {
    const r = parseUrlFilter(filter);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.startsWith(`${JSON.stringify(filter)} is not a valid URL filter: `)).toBe(
        true,
      );
      expect(r.message).toContain(hint);
    }
  });

  it('warns about Chrome-isms', () => {
    const warn = (f: string) => {
      const r = parseUrlFilter(f);
      return r.ok ? r.warnings.join('\n') : r.message;
    };
    expect(warn('*.example.com')).toContain(
      'write "example.com", which already covers its subdomains',
    );
    expect(warn('example.com/docs/*')).toContain('paths are prefixes');
    expect(warn(' example.com')).toContain('surrounding whitespace');
    expect(warn('bücher.de')).toContain('punycode');
    expect(warn('htp//x')).toContain('did you mean "http://x"?');
    expect(warn('example.com')).toBe('');
  });
});

describe('validateUrlFilters', () => {
  it('returns every problem at once, each with its path', () => {
    const d = validateUrlFilters(
      ['example.com', 'htp:/x', '*.example.com', 'Example.com', 42],
      'urlBlocklist',
    );
    expect(d.map((x) => [x.path, x.severity])).toEqual([
      ['urlBlocklist[1]', 'error'],
      ['urlBlocklist[2]', 'warning'],
      ['urlBlocklist[3]', 'warning'],
      ['urlBlocklist[4]', 'error'],
    ]);
    expect(d[2]?.message).toContain('duplicates urlBlocklist[0]');
  });
});

/**
 * Seen in Chromium 156 (Debian): a managed URLBlocklist holding these filters, and the
 * "Policy parsing error" chrome://policy shows for it (URLBlocklistPolicyHandler runs
 * FilterToComponents on each entry, plus a "*" check on the host).
 */
describe('the filters Chromium 156 reports on chrome://policy', () => {
  it.each([
    'custom_scheme:*',
    'host:65536',
    'example.com:*',
    'http://',
    ' wrong:*',
    '',
    '   ',
    'a.test:0',
    'host:-1',
    'host:+80',
    'example.com:443x',
    'my app:*',
  ])('%j is invalid', (filter) => {
    expect(parseUrlFilter(filter).ok).toBe(false);
  });

  it.each([
    'wrong ://*',
    'custom:*',
    'chrome:example.com',
    ':8080',
    'custom_scheme://*',
    '*:8080/path',
    'file://',
    'data:',
    'javascript:*',
    'filesystem:*',
  ])('%j is valid', (filter) => {
    expect(parseUrlFilter(filter).ok).toBe(true);
  });

  it('"*.example.com" is reported but still applied: Palisade warns', () => {
    // Only the policy handler's ValidateHost objects; the matcher keeps the filter (host
    // ".*.example.com", which no real host ends with).
    const r = parseUrlFilter('*.example.com');
    expect(r.ok && r.warnings.some((w) => w.includes('never matches'))).toBe(true);
  });
});
