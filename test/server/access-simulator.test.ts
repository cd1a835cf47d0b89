import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import { parsePolicyPayload } from '../../core/policy/policy-payload.ts';
import { makeWorld, type World } from './support/world.ts';

const POSTURE = {
  browser: 'chrome',
  browserVersion: '131.0.6778.85',
  os: 'linux',
  extensionVersion: '0.1.0',
  installType: 'normal' as const,
  incognitoAllowed: true,
  policyVersion: 3,
  policySince: '2026-12-04T09:55:00Z',
  rulesInPlace: true,
};

const CRM = {
  name: 'CRM access',
  apps: [
    {
      id: 'crm',
      name: 'CRM',
      urls: ['crm.example.com'],
      access: {
        groups: ['Staff'],
        device: { trust: 'enrolled', minBrowserVersion: { chrome: 120 } },
        when: {
          timeZone: 'Europe/Paris',
          windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' }],
        },
        where: { networks: ['203.0.113.0/24'] },
        maxDevicesPerUser: 2,
      },
    },
  ],
};

interface AccessOut {
  access: {
    app: { id: string };
    device: { trust: string } | null;
    decision: { allow: boolean; failed: { condition: string; message: string }[] };
    notes: string[];
  };
}

describe('access rules on the server', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    const { policy } = await w.admin.api.json<{ policy: { id: string } }>(
      'POST',
      '/api/v1/policies',
      { document: CRM },
    );
    await w.admin.api.json('POST', `/api/v1/policies/${policy.id}/publish`);
  });
  afterAll(() => w.t.close());

  const ask = (access: Record<string, unknown>) =>
    w.admin.api.request('POST', '/api/v1/policies/simulate', {
      access: {
        appId: 'crm',
        userId: w.employee.user.id,
        clientAddress: '203.0.113.7',
        time: '2026-12-04T10:00:00Z',
        ...access,
      },
    });

  it('allows the employee on their device, in hours, from the office network', async () => {
    const res = await ask({ deviceId: w.device.id, posture: POSTURE });
    expect(res.status).toBe(200);
    const out = (await res.json()) as AccessOut;
    expect(out.access.device?.trust).toBe('enrolled');
    expect(out.access.decision).toEqual({ allow: true, failed: [] });
  });

  it('lists every failed condition: no Palisade, Saturday, another network, device cap', async () => {
    const res = await ask({
      deviceId: null,
      time: '2026-12-05T10:00:00+00:00',
      clientAddress: '::ffff:198.51.100.9',
      otherActiveDevices: 2,
    });
    const out = (await res.json()) as AccessOut;
    expect(out.access.decision.allow).toBe(false);
    expect(out.access.decision.failed.map((f) => f.message)).toEqual([
      expect.stringMatching(/^Open this app in the browser where Palisade is installed/),
      expect.stringMatching(/has not reported its state; this app needs Chrome 120 or later/),
      'Available Monday–Friday 08:00–19:00 Paris time',
      expect.stringMatching(/^Your network \(198\.51\.100\.9\) is not one this app accepts/),
      'Sign out of this app on another device first: at most 2 devices.',
    ]);
  });

  it('judges a device by the posture it last reported when the question gives none', async () => {
    const before = (await (await ask({ deviceId: w.device.id })).json()) as AccessOut;
    expect(before.access.decision.failed.map((f) => f.condition)).toEqual(['browser_version']);
    expect(before.access.notes.join(' ')).toMatch(/has not reported its posture yet/);

    await w.t.services.posture.report(w.device, { ...POSTURE, browserVersion: '118.0.5993.70' });
    const old = (await (await ask({ deviceId: w.device.id })).json()) as AccessOut;
    expect(old.access.decision.failed.map((f) => f.message)).toEqual([
      expect.stringMatching(/Chrome 118; this app needs Chrome 120 or later/),
    ]);
    expect(old.access.notes.join(' ')).toMatch(/Using the posture the device last reported/);

    await w.t.services.posture.report(w.device, POSTURE);
    const now = (await (await ask({ deviceId: w.device.id })).json()) as AccessOut;
    expect(now.access.decision).toEqual({ allow: true, failed: [] });
  });

  it('counts a revoked device as no Palisade, and says so', async () => {
    const out = (await (
      await ask({ deviceId: w.revokedDevice.id, posture: POSTURE })
    ).json()) as AccessOut;
    expect(out.access.decision.failed[0]?.condition).toBe('device_trust');
    expect(out.access.notes.join(' ')).toMatch(/is revoked: it cannot prove itself/);
  });

  it('says what to fix in a bad question', async () => {
    const bad = await ask({ clientAddress: 'office' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/IPv4 or IPv6 address/);
    const noApp = await ask({ appId: 'mail' });
    expect(noApp.status).toBe(400);
    const noAppBody = (await noApp.json()) as { error: { message: string } };
    expect(noAppBody.error.message).toMatch(/no app "mail" \(its apps: "crm"\)/);
    const noUser = await ask({ userId: 'nobody' });
    expect(noUser.status).toBe(404);
  });

  it('refuses a draft whose access rule names a group that does not exist', async () => {
    const res = await w.admin.api.request('POST', '/api/v1/policies', {
      document: { ...CRM, apps: [{ ...CRM.apps[0], access: { groups: ['Staf'] } }] },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { details: { diagnostics: { path: string; message: string }[] } };
    };
    expect(body.error.details.diagnostics).toContainEqual(
      expect.objectContaining({
        path: 'apps[0].access.groups[0]',
        message: expect.stringMatching(/no group named "Staf".*"Staff"/),
      }),
    );
    const validated = await w.admin.api.json<{ diagnostics: { path: string }[] }>(
      'POST',
      '/api/v1/policies/validate',
      { document: { apps: [{ ...CRM.apps[0], access: { groups: ['Staf'] } }] } },
    );
    expect(validated.diagnostics.map((d) => d.path)).toEqual(['apps[0].access.groups[0]']);
  });

  it('judges data-control rules with when at the time asked', async () => {
    const document = {
      dataControls: [
        {
          name: 'No printing on weekdays',
          rule_id: 'print-weekdays',
          when: {
            timeZone: 'Europe/Paris',
            windows: [{ days: [1, 2, 3, 4, 5], from: '00:00', to: '24:00' }],
          },
          restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
        },
      ],
    };
    const at = (time: string) =>
      w.admin.api.json<{ data: { level: string | null } }>('POST', '/api/v1/policies/simulate', {
        document,
        time,
        data: { action: 'print', source: { url: 'https://corp.example/' } },
      });
    expect((await at('2026-12-04T10:00:00Z')).data.level).toBe('BLOCK'); // Friday in Paris
    expect((await at('2026-12-04T23:30:00Z')).data.level).toBeNull(); // Saturday 00:30 in Paris
  });

  it('judges URL schedules at the time asked', async () => {
    const document = {
      urlSchedules: [
        {
          name: 'Evenings',
          when: { timeZone: 'Europe/Paris', windows: [{ from: '19:00', to: '08:00' }] },
          urlBlocklist: ['crm.example.com'],
        },
      ],
    };
    const at = (time: string) =>
      w.admin.api.json<{ url: { verdict: string; filter: string | null } }>(
        'POST',
        '/api/v1/policies/simulate',
        { document, time, url: 'https://crm.example.com/' },
      );
    expect((await at('2026-12-04T10:00:00Z')).url.verdict).toBe('allow');
    expect(await at('2026-12-04T19:00:00Z')).toMatchObject({
      url: { verdict: 'block', filter: 'crm.example.com' },
    });
  });

  it('signs the device policy without the access rule', async () => {
    const res = await w.device.api.get('/api/v1/device/policy');
    const payload = parsePolicyPayload(((await res.json()) as SignedEnvelope).payload)!;
    expect(payload.policy.apps).toEqual([{ id: 'crm', name: 'CRM', urls: ['crm.example.com'] }]);
  });
});
