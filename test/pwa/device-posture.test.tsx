// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../../pwa/src/api/types.ts';
import {
  requestDeviceProof,
  requestDeviceProofAnswer,
} from '../../pwa/src/extension/device-proof.ts';
import { click, render, settle, type Rendered } from './support/render.tsx';
import { deviceRow } from './support/device-row.ts';
import { mockFetch } from './support/mock-fetch.ts';

const { AdminDevicesPage } = await import('../../pwa/src/admin/devices-page.tsx');
const { PostureExplainer, POSTURE_SIGNALS } =
  await import('../../pwa/src/employee/posture-explainer.tsx');

const POSTURE = {
  browser: 'chrome',
  browserVersion: '131.0.6778.85',
  os: 'linux',
  extensionVersion: '1.0.0',
  installType: 'admin' as const,
  incognitoAllowed: false,
  policyVersion: 3,
  policySince: '2026-12-03T10:00:00.000Z',
  rulesInPlace: false,
};
const base = { groupId: 'g1', groupName: 'Sales' };
const devices: Device[] = [
  deviceRow({
    ...base,
    id: 'd-ok',
    name: 'Reporting',
    hasKey: true,
    posture: { ...POSTURE, reportedAt: '2026-12-03T12:00:00.000Z' },
  }),
  deviceRow({
    ...base,
    id: 'd-quiet',
    name: 'Quiet',
    hasKey: true,
    posture: null,
    silentSince: '2026-12-03T11:00:00.000Z',
  }),
  deviceRow({
    ...base,
    id: 'd-gone',
    name: 'Gone',
    hasKey: false,
    posture: null,
    removedAt: '2026-12-03T11:30:00.000Z',
  }),
];

let view: Rendered | null = null;
afterEach(() => {
  view?.unmount();
  view = null;
  vi.unstubAllGlobals();
});

describe('admins see posture, silent and removed devices', () => {
  it('marks silent and removed devices in the list, and shows the posture in the details', async () => {
    mockFetch({
      'GET /api/v1/groups': { json: { groups: [] } },
      'GET /api/v1/devices': { json: { devices } },
      'GET /api/v1/devices/d-ok': { json: { device: devices[0] } },
    });
    view = render(<AdminDevicesPage />);
    await settle();
    const status = [...view.container.querySelectorAll('tbody tr')].map(
      (tr) => tr.children[4]!.textContent,
    );
    expect(status).toEqual(['Active', 'ActiveSilent', 'ActiveRemoved']);
    click(view.getByRole('button', 'Reporting'));
    await settle();
    const text = view.text();
    expect(text).toContain('chrome 131.0.6778.85 on linux');
    expect(text).toContain('Force-installed by policy');
    expect(text).toContain('Not covered (not allowed in incognito)');
    expect(text).toContain('No: the browser’s rules do not match the policy');
    expect(text).toMatch(/version 3, since/);
  });
});

describe('the transparency page lists every posture signal', () => {
  it('names each signal with why it is reported, and says nothing else is collected', () => {
    view = render(<PostureExplainer />);
    const items = view.container.querySelectorAll('[aria-label="Posture signals"] li');
    expect(items).toHaveLength(POSTURE_SIGNALS.length);
    // Each reported field, the report time and the removal notice are explained.
    const text = view.text();
    for (const phrase of [
      'Browser and its version',
      'Operating system',
      'extension’s version',
      'How the extension was installed',
      'private (incognito) windows',
      'policy version it enforces, and since when',
      'blocking rules match that policy',
      'When it last reported',
      'extension was removed',
    ])
      expect(text).toContain(phrase);
    expect(view.text()).toMatch(/and nothing\s+else/);
  });
});

describe('requestDeviceProof', () => {
  const answer = (data: Record<string, unknown>, origin = location.origin) =>
    window.addEventListener('message', function reply(e: MessageEvent) {
      if ((e.data as { source?: string })?.source !== 'palisade-pwa') return;
      window.removeEventListener('message', reply);
      setTimeout(() =>
        window.dispatchEvent(
          new MessageEvent('message', {
            data: { source: 'palisade-extension', ...data },
            origin,
            source: window,
          }),
        ),
      );
    });
  const proof = { deviceId: 'dev-1', payload: 'eyJhIjoxfQ', signature: 'A'.repeat(86) };

  it('resolves with the extension’s proof and posture', async () => {
    answer({ type: 'device-proof-result', ok: true, proof, posture: POSTURE });
    expect(await requestDeviceProof('c'.repeat(54), 1000)).toEqual({ proof, posture: POSTURE });
  });

  it('is null when no extension answers, and ignores answers from another origin', async () => {
    answer({ type: 'device-proof-result', ok: true, proof, posture: POSTURE }, 'https://evil.test');
    expect(await requestDeviceProof('c'.repeat(54), 300)).toBeNull();
  });

  it('passes on why the extension could not prove the browser', async () => {
    answer({
      type: 'device-proof-result',
      ok: false,
      code: 'no_device_key',
      message: 'enroll again',
    });
    expect(await requestDeviceProofAnswer('c'.repeat(54), 1000)).toEqual({
      ok: false,
      code: 'no_device_key',
      message: 'enroll again',
    });
  });
});
