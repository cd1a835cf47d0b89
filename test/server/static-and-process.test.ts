import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminInvite } from '../../server/cli/admin-invite.ts';
import { PAGE_CSP } from '../../server/http/static-pwa.ts';
import { ApiClient } from '../helpers/api-client.ts';
import { registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { makeTestApp, type TestApp } from './support/test-app.ts';

describe('serving the PWA', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    const dir = t.config.pwaDir;
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><title>Palisade</title><div id="app"></div>',
    );
    fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  });
  afterAll(() => t.close());

  it.each(['/', '/setup', '/enroll', '/login', '/admin/policies/abc'])(
    'serves the app shell with the CSP at %s',
    async (p) => {
      const res = await t.app.request(p);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('<div id="app">');
    },
  );

  it('serves assets with long caching and 404s missing ones', async () => {
    const res = await t.app.request('/assets/app-1234.js');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/immutable/);
    expect((await t.app.request('/assets/missing.js')).status).toBe(404);
  });

  it('does not leave the PWA directory', async () => {
    for (const p of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
    ]) {
      const res = await t.app.request(p);
      expect(await res.text()).not.toContain('"name": "palisade"');
    }
  });
});

describe('the server process', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  it('starts, prints a setup link, and logs JSON lines without it', async () => {
    expect(server.setupLink).toMatch(new RegExp(`^${server.origin}/setup#[A-Za-z0-9_-]{43}$`));
    const token = new URL(server.setupLink!).hash.slice(1);
    const jsonLines = server
      .logs()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(jsonLines.length).toBeGreaterThan(1);
    expect(jsonLines.join('\n')).not.toContain(token);
    const page = await fetch(server.url + '/');
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
  });

  it('keeps data across a restart, and stops printing the link once an admin exists', async () => {
    const api = new ApiClient(server.url);
    await registerWithLink(api, server.setupLink!, new SoftAuthenticator(), {
      name: 'Ada',
      email: 'ada@example.com',
    });
    await server.restart();
    expect(server.setupLink).toBeNull();
    const mode = fs.statSync(path.join(server.dataDir, 'signing-key.json')).mode & 0o777;
    expect(mode).toBe(0o600);
    const invite = await adminInvite({
      dataDir: server.dataDir,
      origin: server.origin,
      email: 'bo@example.com',
      role: 'auditor',
    });
    expect(invite.link).toMatch(/\/setup#/);
    const bo = await registerWithLink(
      new ApiClient(server.url),
      invite.link,
      new SoftAuthenticator(),
      {
        name: 'Bo',
        email: 'bo@example.com',
      },
    );
    expect(bo.role).toBe('auditor');
  });
});
