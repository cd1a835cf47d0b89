/**
 * "Acknowledged means on disk": devices post audit batches to the real server process,
 * which is killed with SIGKILL while batches are in flight. Every event it acknowledged
 * is in the database file afterwards, and the chain still verifies after the restart.
 * (A killed process proves nothing is acknowledged before its commit; synchronous=FULL is
 * what carries that through a power cut, which no test here can make.)
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.ts';
import { registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';

let server: TestServer | undefined;
afterEach(() => server?.stop());

const event = () => ({
  id: randomUUID(),
  time: new Date().toISOString(),
  kind: 'navigation',
  level: 'BLOCK',
  outcome: 'blocked',
  url: 'https://games.example/',
  ruleId: 'games.example',
  action: 'navigate',
});

it('keeps every acknowledged event through a kill -9, and the chain verifies', async () => {
  server = await startServer({
    env: { AUDIT_UPLOADS_PER_MINUTE: '0', AUDIT_EVENTS_PER_MINUTE: '0' },
  });
  const s = server;
  const admin = new ApiClient(s.url);
  await registerWithLink(admin, s.setupLink!, new SoftAuthenticator(), {
    name: 'Admin',
    email: 'admin@corp.test',
  });
  const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
    name: 'fleet',
  });
  const { enrollmentCode } = await admin.json<{ enrollmentCode: { code: string } }>(
    'POST',
    '/api/v1/enrollment-codes',
    { groupId: group.id, maxUses: 10 },
  );
  const credentials = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      const res = await fetch(`${s.url}/api/v1/device/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          enrollmentCode: enrollmentCode.code,
          name: `device-${i}`,
          extensionVersion: '1.0.0',
          platform: 'linux',
          browser: 'chromium',
        }),
      });
      return ((await res.json()) as { credential: string }).credential;
    }),
  );

  const acknowledged: string[] = [];
  let killed = false;
  const post = async (credential: string) => {
    while (!killed) {
      const events = Array.from({ length: 50 }, event);
      try {
        const res = await fetch(`${s.url}/api/v1/device/audit`, {
          method: 'POST',
          headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        });
        if (res.ok && ((await res.json()) as { accepted: number }).accepted === events.length) {
          acknowledged.push(...events.map((e) => e.id));
        }
      } catch {
        return; // the server is gone: this batch was never acknowledged
      }
    }
  };
  const devices = credentials.map(post);
  while (acknowledged.length < 2000) await new Promise((r) => setTimeout(r, 20));
  killed = true;
  await s.kill(); // batches are still in flight
  await Promise.all(devices);

  const db = new Database(path.join(s.dataDir, 'palisade.db'), { readonly: true });
  const stored = new Set(db.prepare('SELECT event_id FROM audit_events').pluck().all() as string[]);
  db.close();
  expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

  await s.restart();
  const verify = await admin.json<{ ok: boolean; checked: number }>('GET', '/api/v1/audit/verify');
  expect(verify).toMatchObject({ ok: true });
  expect(verify.checked).toBeGreaterThanOrEqual(acknowledged.length);
}, 60_000);
