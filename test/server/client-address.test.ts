import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { makeTestApp } from './support/test-app.ts';

describe('TRUST_PROXY: the address the trusted proxy appended', () => {
  it('a client rotating the left of X-Forwarded-For stays one client for the login limit', async () => {
    const t = await makeTestApp({ RATE_LIMIT_LOGIN: '3', TRUST_PROXY: '1' });
    try {
      const api = t.client();
      // What one proxy forwards: whatever the client sent, then the address it saw.
      const attempt = (i: number) =>
        api.post(
          '/api/v1/auth/login/options',
          {},
          { 'x-forwarded-for': `10.9.${i}.1, 203.0.113.7` },
        );
      for (let i = 0; i < 3; i++) expect((await attempt(i)).status).toBe(200);
      expect((await attempt(99)).status).toBe(429);
      // Another client behind the same proxy has its own budget.
      const other = await api.post(
        '/api/v1/auth/login/options',
        {},
        { 'x-forwarded-for': '203.0.113.8' },
      );
      expect(other.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('with two proxies, the second entry from the right is the client', async () => {
    const t = await makeTestApp({ RATE_LIMIT_LOGIN: '2', TRUST_PROXY: '2' });
    try {
      const api = t.client();
      const attempt = (spoof: string) =>
        api.post(
          '/api/v1/auth/login/options',
          {},
          { 'x-forwarded-for': `${spoof}, 198.51.100.4, 10.0.0.2` },
        );
      expect((await attempt('1.1.1.1')).status).toBe(200);
      expect((await attempt('2.2.2.2')).status).toBe(200);
      expect((await attempt('3.3.3.3')).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('reads TRUST_PROXY as a hop count, keeping `true` as one proxy', () => {
    const hops = (v: string) => loadConfig({ PORT: '8787', TRUST_PROXY: v }).trustProxy;
    expect([hops('true'), hops('1'), hops('3'), hops('false'), hops('0')]).toEqual([1, 1, 3, 0, 0]);
    expect(() => hops('many')).toThrow(/TRUST_PROXY must be a non-negative integer/);
  });
});
