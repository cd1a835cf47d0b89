import type { ApiClient } from '../../helpers/api-client.ts';
import { enrollWithCode, registerWithLink, type SessionUser } from '../../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.ts';
import { makeTestApp, type TestApp } from './test-app.ts';

export interface Person {
  api: ApiClient;
  user: SessionUser;
  auth: SoftAuthenticator;
}

export interface World {
  t: TestApp;
  admin: Person;
  auditor: Person;
  employee: Person;
  other: Person;
  group: { id: string; name: string };
  code: string;
  device: { id: string; credential: string; api: ApiClient };
  revokedDevice: { id: string; credential: string; api: ApiClient };
  policyId: string;
}

export const BLOCKING_POLICY = {
  name: 'Baseline',
  urlBlocklist: ['example.com', 'bad.test'],
  urlAllowlist: ['good.example.com'],
};

/**
 * A populated installation: an admin (setup link), an auditor (invite), two employees
 * (enrollment code) in group "Staff", a device of the first employee and a revoked one,
 * and a published organisation-wide policy.
 */
export async function makeWorld(env: Record<string, string> = {}): Promise<World> {
  const t = await makeTestApp(env);
  const admin = await person(t, (api, auth) =>
    registerWithLink(api, t.setupLink, auth, { name: 'Ada Admin', email: 'ada@example.com' }),
  );
  const { group } = await admin.api.json<{ group: { id: string; name: string } }>(
    'POST',
    '/api/v1/groups',
    {
      name: 'Staff',
    },
  );
  const { enrollmentCode } = await admin.api.json<{ enrollmentCode: { code: string } }>(
    'POST',
    '/api/v1/enrollment-codes',
    { groupId: group.id },
  );
  const { link } = await admin.api.json<{ link: string }>('POST', '/api/v1/users/invite', {
    email: 'audrey@example.com',
    role: 'auditor',
  });
  const auditor = await person(t, (api, auth) =>
    registerWithLink(api, link, auth, { name: 'Audrey Auditor', email: 'audrey@example.com' }),
  );
  const employee = await person(t, (api, auth) =>
    enrollWithCode(api, enrollmentCode.code, auth, {
      name: 'Emil Employee',
      email: 'emil@example.com',
    }),
  );
  const other = await person(t, (api, auth) =>
    enrollWithCode(api, enrollmentCode.code, auth, {
      name: 'Olga Other',
      email: 'olga@example.com',
    }),
  );
  const device = await newDevice(t, employee.api, 'Emil laptop');
  const revokedDevice = await newDevice(t, employee.api, 'Old laptop');
  await admin.api.json('POST', `/api/v1/devices/${revokedDevice.id}/revoke`);
  const { policy } = await admin.api.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
    document: BLOCKING_POLICY,
  });
  await admin.api.json('POST', `/api/v1/policies/${policy.id}/publish`);
  return {
    t,
    admin,
    auditor,
    employee,
    other,
    group,
    code: enrollmentCode.code,
    device,
    revokedDevice,
    policyId: policy.id,
  };
}

/** The server's public signing key, in the form a device pins it. */
export interface PinnedKey {
  keyId: string;
  jwk: Record<string, string>;
}

export const publicKeyOf = (w: World): Promise<PinnedKey> =>
  w.t.client().json<PinnedKey>('GET', '/api/v1/public-key');

/** A world and its public key, for suites that verify what the server signs. */
export async function makeWorldWithKey(): Promise<{ world: World; pinned: PinnedKey }> {
  const world = await makeWorld();
  return { world, pinned: await publicKeyOf(world) };
}

async function person(
  t: TestApp,
  register: (api: ApiClient, auth: SoftAuthenticator) => Promise<SessionUser>,
): Promise<Person> {
  const api = t.client();
  const auth = new SoftAuthenticator();
  return { api, auth, user: await register(api, auth) };
}

export async function newDevice(t: TestApp, api: ApiClient, name: string) {
  const { device, credential } = await api.json<{ device: { id: string }; credential: string }>(
    'POST',
    '/api/v1/me/devices',
    { name, platform: 'linux', browser: 'chromium' },
  );
  return { id: device.id, credential, api: t.client({ origin: null, bearer: credential }) };
}
