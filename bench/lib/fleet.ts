/**
 * A real Palisade server for benchmarks: started as its own process (so the load
 * generator does not share its event loop), with an admin registered through the real
 * passkey flow, a group, an enrollment code, a published policy of realistic size, and
 * devices enrolled through the real endpoint.
 */
import type { ApiClient } from '../../test/helpers/api-client.ts';
import { startServer, type TestServer } from '../../test/helpers/start-server.ts';
import { setUpBenchAdmin } from './bench-admin.ts';
import { realisticPolicy } from './realistic-policy.ts';

export interface Fleet {
  server: TestServer;
  admin: ApiClient;
  groupId: string;
  policyId: string;
  code: string;
  /** Enrolls `n` devices, `concurrency` at a time; returns their credentials. */
  enroll(n: number, concurrency?: number): Promise<string[]>;
  publish(change?: number): Promise<{ version: number; respondedAt: number }>;
  metric(name: string): Promise<number>;
  /** Another server process on the same database (PostgreSQL), for scale-out runs. */
  addInstance(): Promise<TestServer>;
}

export async function startFleet(
  opts: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<Fleet> {
  // Benchmarks measure the server's capacity with a few devices posting as fast as they
  // can — each far beyond what the per-device audit upload limits allow a real device — so
  // those limits are off here (the 429 path is tested in test/server/audit-upload-limits).
  const env = {
    RATE_LIMIT_ENROLLMENT: '0',
    RATE_LIMIT_LOGIN: '0',
    AUDIT_UPLOADS_PER_MINUTE: '0',
    AUDIT_EVENTS_PER_MINUTE: '0',
    ...opts.env,
  };
  const server = await startServer({ env, ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}) });
  const { admin, groupId, enrollmentCode, policyId } = await setUpBenchAdmin(
    server.url,
    server.setupLink!,
    realisticPolicy(0),
    { maxUses: 1_000_000 },
  );

  const fleet: Fleet = {
    server,
    admin,
    groupId,
    policyId,
    code: enrollmentCode,
    async enroll(n, concurrency = 16) {
      const credentials: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < n) {
          const i = next++;
          const res = await fetch(`${server.url}/api/v1/device/enroll`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              enrollmentCode,
              name: `bench-${i}`,
              extensionVersion: '1.0.0',
              platform: 'linux',
              browser: 'chromium',
            }),
          });
          if (!res.ok) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
          credentials.push(((await res.json()) as { credential: string }).credential);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return credentials;
    },
    async publish(change = 1) {
      await admin.json('PUT', `/api/v1/policies/${policyId}`, {
        document: realisticPolicy(change),
      });
      const { version } = await admin.json<{ version: number }>(
        'POST',
        `/api/v1/policies/${policyId}/publish`,
      );
      return { version, respondedAt: performance.timeOrigin + performance.now() };
    },
    addInstance: () => startServer({ env, ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}) }),
    async metric(name) {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line ? Number(line.split(' ')[1]) : NaN;
    },
  };
  await fleet.publish(0);
  return fleet;
}
