import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseUrl } from '../../../core/policy/url-filter/parse-url.ts';

describe('parseUrl', () => {
  it.each([
    [
      'https://user:pw@Mail.Example.com:8443/a/b?x=1&y#frag',
      {
        scheme: 'https',
        host: 'mail.example.com',
        port: 8443,
        path: '/a/b',
        query: 'x=1&y',
        hasAuthority: true,
      },
    ],
    [
      'http://example.com',
      { scheme: 'http', host: 'example.com', port: 80, path: '/', query: null, hasAuthority: true },
    ],
    [
      'https://example.com/?',
      { scheme: 'https', host: 'example.com', port: 443, path: '/', query: '', hasAuthority: true },
    ],
    [
      'http://[::1]:8080/x',
      { scheme: 'http', host: '[::1]', port: 8080, path: '/x', query: null, hasAuthority: true },
    ],
    [
      'file:///home/a.txt',
      { scheme: 'file', host: '', port: -1, path: '/home/a.txt', query: null, hasAuthority: true },
    ],
    [
      'javascript:alert(1)',
      {
        scheme: 'javascript',
        host: '',
        port: -1,
        path: 'alert(1)',
        query: null,
        hasAuthority: false,
      },
    ],
    [
      'data:text/html,hi?x#y',
      { scheme: 'data', host: '', port: -1, path: 'text/html,hi', query: 'x', hasAuthority: false },
    ],
    [
      'custom://app/play',
      { scheme: 'custom', host: 'app', port: -1, path: '/play', query: null, hasAuthority: true },
    ],
    [
      'wss://chat.example.com/s',
      {
        scheme: 'wss',
        host: 'chat.example.com',
        port: 443,
        path: '/s',
        query: null,
        hasAuthority: true,
      },
    ],
  ])('%s', (url, expected) => {
    expect(parseUrl(url)).toEqual(expected);
  });

  it.each(['', 'example.com', '://x', '1http://x', 'ht tp://x'])(
    '%j has no scheme → null',
    (url) => {
      expect(parseUrl(url)).toBeNull();
    },
  );

  it('agrees with WHATWG URL on host, port, path and query of canonical http(s) URLs', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (raw) => {
        const u = new URL(raw);
        const p = parseUrl(u.href);
        expect(p).not.toBeNull();
        expect(p?.host).toBe(u.hostname);
        expect(p?.port).toBe(u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80);
        expect(p?.path).toBe(u.pathname);
        expect(p?.query ?? '').toBe(u.search.replace(/^\?/, ''));
      }),
      { numRuns: 500 },
    );
  });
});
