import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { blockedNavigationBatch } from './support/audit-events.ts';
import { uploadContinuously } from './support/upload-continuously.ts';
import { PalisadeAdmin } from '../e2e/fixtures/palisade-admin.ts';

/**
 * kill -9 in the middle of audit uploads: every batch the server acknowledged is there after
 * the restart, exactly once, the chain verifies, and /healthz answers. Batches that got no
 * answer may or may not be stored (the device resends them with the same ids).
 */
describe('a crash loses no acknowledged audit event', () => {
  let server: TestServer;
  let admin: PalisadeAdmin;
  let device: ApiClient;
  beforeAll(async () => {
    server = await startServer({
      env: { AUDIT_UPLOADS_PER_MINUTE: '0', AUDIT_EVENTS_PER_MINUTE: '0' },
    });
    admin = await PalisadeAdmin.setUp(server);
    await admin.publish({ name: 'Baseline', urlBlocklist: ['bad.test'] });
    device = await admin.enrollBrowser();
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged batch through a SIGKILL mid-stream', async () => {
    const uploads = uploadContinuously(device, blockedNavigationBatch, 4);
    const { acknowledged } = uploads;
    while (acknowledged.length < 2000) await new Promise((r) => setTimeout(r, 10));
    await server.crash();
    await uploads.stop();
    expect(acknowledged.length).toBeGreaterThanOrEqual(2000);

    await server.restart();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const res = await admin.api.request(
      'GET',
      '/api/v1/audit/export?format=ndjson&kind=navigation',
    );
    const stored = (await res.text())
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { id?: string; kind?: string })
      .filter((e) => e.kind === 'navigation') // not the signed checkpoint and head lines
      .map((e) => e.id!);
    const ids = new Set(stored);
    expect(ids.size).toBe(stored.length); // exactly once
    const missing = acknowledged.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    const verified = await admin.api.json<{ ok: boolean }>('GET', '/api/v1/audit/verify');
    expect(verified.ok).toBe(true);
  });
});
