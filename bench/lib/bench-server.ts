import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { silentLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { ApiClient } from '../../test/helpers/api-client.ts';
import { registerWithLink } from '../../test/helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../../test/helpers/soft-authenticator.ts';
import { freePort } from '../../test/helpers/start-server.ts';

export interface BenchServer {
  running: RunningServer;
  origin: string;
  /** The first admin, registered through the passkey flow. */
  admin: ApiClient;
  groupId: string;
  enrollmentCode: string;
  /** The policy created as a draft (not yet published). */
  policyId: string;
}

/**
 * The real server in this process (SQLite in `dir`), with an admin, a group, its enrollment
 * code and a draft policy: where the in-process benchmarks start. The caller stops
 * `running`; if setting up fails, it is stopped here.
 */
export async function startBenchServer(
  dir: string,
  draft: { name: string; urlBlocklist: string[] },
): Promise<BenchServer> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    ORIGIN: origin,
  });
  const running = await startServer(config, silentLogger);
  try {
    const admin = new ApiClient(origin);
    await registerWithLink(admin, running.setup!.link, new SoftAuthenticator(), {
      name: 'Bench Admin',
      email: 'admin@bench.test',
    });
    const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
      name: 'bench',
    });
    const { enrollmentCode } = await admin.json<{ enrollmentCode: { code: string } }>(
      'POST',
      '/api/v1/enrollment-codes',
      { groupId: group.id },
    );
    const { policy } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
      document: draft,
    });
    return {
      running,
      origin,
      admin,
      groupId: group.id,
      enrollmentCode: enrollmentCode.code,
      policyId: policy.id,
    };
  } catch (err) {
    await running.stop();
    throw err;
  }
}
