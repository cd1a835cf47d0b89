import { PalisadeAdmin } from '../e2e/fixtures/palisade-admin.ts';
import type { ApiClient } from './api-client.ts';
import { startServer, type TestServer } from './start-server.ts';

export interface ListPolicyServer {
  server: TestServer;
  admin: ApiClient;
  enrollmentCode: string;
  /** Replaces the policy's blocklist (the allowlist stays `ok.h1.example`) and publishes it. */
  publish(blocklist: string[]): Promise<number>;
}

/**
 * A real server with an admin, an enrollment code and one policy whose blocklist the delta
 * tests change and publish.
 */
export async function startListPolicyServer(): Promise<ListPolicyServer> {
  const server = await startServer();
  const palisade = await PalisadeAdmin.setUp(server, 'staff');
  const admin = palisade.api;
  const {
    policy: { id },
  } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
    document: { name: 'P', urlBlocklist: ['a.test'] },
  });
  return {
    server,
    admin,
    enrollmentCode: palisade.enrollmentCode,
    async publish(blocklist) {
      await admin.json('PUT', `/api/v1/policies/${id}`, {
        document: { name: 'P', urlBlocklist: blocklist, urlAllowlist: ['ok.h1.example'] },
      });
      return (await admin.json<{ version: number }>('POST', `/api/v1/policies/${id}/publish`))
        .version;
    },
  };
}
