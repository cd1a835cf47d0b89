/**
 * Delta sync against the real server on a real listener (the fast path answers the policy
 * fetch), with the extension's own background code as the device: a publish travels as a
 * signed delta from the version the device holds, any other base or a device too far
 * behind gets the full envelope, a tampered delta is refused, and the state a delta leaves
 * equals the state the full envelope gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DELTA_MEDIA_TYPE } from '../../contract/media-types.ts';
import { checkResponse } from '../helpers/contract-check.ts';
import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import { applyPolicyDelta, parsePolicyDelta } from '../../core/policy/policy-delta.ts';
import { parsePolicyPayload } from '../../core/policy/policy-payload.ts';
import type { PushedPolicy } from '../../extension/background/push-channel.ts';
import { verifyDelta } from '../../extension/background/verify-delta.ts';
import { GROUP_DELTAS_KEPT } from '../../server/store/types.ts';
import type { FakePlatform } from '../extension/fakes/fake-platform.ts';
import { subtle } from '../extension/fakes/fake-server.ts';
import { waitUntil } from '../extension/fakes/harness.ts';
import { startManagedBackground } from '../extension/fakes/managed-background.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { type TestServer } from '../helpers/start-server.ts';
import { startListPolicyServer, type ListPolicyServer } from '../helpers/list-policy-server.ts';

const DELTA = DELTA_MEDIA_TYPE;
const hosts = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `h${from + i}.example`);

describe('delta sync', () => {
  let server: TestServer;
  let admin: ApiClient;
  let code: string;
  let published: ListPolicyServer['publish'];
  let blocklist: string[];
  let key: { keyId: string; alg: 'ES256'; jwk: Record<string, string> };

  const publish = (list: string[]) => {
    blocklist = list;
    return published(list);
  };

  /** The extension background over a fake browser, talking to the real server. */
  const boot = (fetchImpl: typeof fetch, restartOf?: FakePlatform) =>
    startManagedBackground({
      serverUrl: server.url,
      enrollmentCode: code,
      fetch: fetchImpl,
      restartOf,
    });
  const device = async (fetchImpl: typeof fetch = fetch, restartOf?: FakePlatform) => {
    const started = await boot(fetchImpl, restartOf);
    await waitUntil(() => started.bg.state.active !== null);
    const credential = (await started.bg.store.enrollment())!.credential;
    return { ...started, credential };
  };

  // Each answer, envelope or deltas, is checked against its schema in contract/.
  const get = async (credential: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/api/v1/device/policy`, {
      headers: { authorization: `Bearer ${credential}`, ...headers },
    });
    if (res.status === 200) {
      const type = res.headers.get('content-type')!;
      checkResponse('GET /api/v1/device/policy', 200, await res.clone().json(), type);
    }
    return res;
  };

  /** The next `policy` frame the real push channel sends the device `credential`. */
  const nextPolicyFrame = (credential: string, publishing: () => Promise<number>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/device/push`);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', credential })));
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        if (message.type === 'hello') void publishing().catch(reject);
        if (message.type !== 'policy') return;
        ws.close();
        resolve(message);
      });
    });

  beforeAll(async () => {
    ({ server, admin, enrollmentCode: code, publish: published } = await startListPolicyServer());
    await publish(hosts(0, 2000));
    key = await admin.json('GET', '/api/v1/public-key');
  });

  afterAll(() => server?.stop());

  it('serves a signed delta from the version named, which rebuilds the full payload byte for byte', async () => {
    const { credential } = await device();
    const held = await get(credential);
    const etag = held.headers.get('etag')!;
    const base = parsePolicyPayload(((await held.json()) as SignedEnvelope).payload)!;
    // A 304 stays a 304 whatever the device accepts.
    expect((await get(credential, { 'if-none-match': etag, accept: DELTA })).status).toBe(304);

    const version = await publish([...hosts(0, 5), ...hosts(10, 2000), ...hosts(5000, 5010)]);
    const res = await get(credential, { 'if-none-match': etag, accept: DELTA });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(`${DELTA}; charset=utf-8`);
    const body = await res.text();
    const full = await get(credential);
    const fullBody = await full.text();
    expect(res.headers.get('etag')).toBe(full.headers.get('etag'));
    expect(body.length).toBeLessThan(fullBody.length / 10);

    const { deltas } = JSON.parse(body) as { deltas: unknown[] };
    expect(deltas).toHaveLength(1);
    const verified = await verifyDelta(subtle, deltas[0], key);
    if (!verified.ok) throw new Error(verified.message);
    expect(verified.delta).toMatchObject({ baseVersion: base.version, version });
    expect(verified.delta.lists.urlBlocklist.removed).toEqual([5, 6, 7, 8, 9]);
    expect(verified.delta.lists.urlBlocklist.added).toEqual(hosts(5000, 5010));
    const applied = await applyPolicyDelta(subtle, base, verified.delta);
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.text).toBe((JSON.parse(fullBody) as SignedEnvelope).payload);
  });

  it('answers a base it does not know, or a device asking for none, with the full envelope', async () => {
    const { credential } = await device();
    for (const headers of [
      { 'if-none-match': '"v1-0000000000000000"', accept: DELTA } as Record<string, string>,
      { 'if-none-match': '"stale"' },
    ]) {
      const res = await get(credential, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(parsePolicyPayload(((await res.json()) as SignedEnvelope).payload)).not.toBeNull();
    }
  });

  it('chains deltas for a device a few versions behind, and sends the full envelope past the kept ones', async () => {
    const { credential } = await device();
    const etag = (await get(credential)).headers.get('etag')!;
    await publish([...blocklist, 'one.example']);
    await publish([...blocklist, 'two.example']);
    const chained = await get(credential, { 'if-none-match': etag, accept: DELTA });
    expect(chained.headers.get('content-type')).toBe(`${DELTA}; charset=utf-8`);
    expect(((await chained.json()) as { deltas: unknown[] }).deltas).toHaveLength(2);

    for (let i = 0; i < GROUP_DELTAS_KEPT; i++) await publish([...blocklist, `more${i}.example`]);
    const behind = await get(credential, { 'if-none-match': etag, accept: DELTA });
    expect(behind.status).toBe(200);
    expect(behind.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('the extension applies a delta: state equal to the full envelope’s, only the changed DNR rules updated', async () => {
    const d = await device();
    const rulesBefore = d.platform.dnrRules.length;
    const updatesBefore = d.platform.dnrUpdates.length;
    const next = [...blocklist.slice(0, 3), ...blocklist.slice(13), ...hosts(9000, 9010)];
    const version = await publish(next);
    expect(await d.bg.sync.sync()).toBe('updated');
    expect(d.bg.state.active?.version).toBe(version);
    const stored = (await d.bg.store.policy())!;
    expect(parsePolicyDelta(stored.envelope.payload)).not.toBeNull();

    // One update, removing and adding only what changed.
    expect(d.platform.dnrUpdates.length).toBe(updatesBefore + 1);
    const update = d.platform.dnrUpdates.at(-1)!;
    expect(update.removeRuleIds.length).toBeLessThan(rulesBefore);
    expect(update.addRules.length).toBeLessThan(d.platform.dnrRules.length);

    // A device that gets the full envelope of the same version ends in the same state.
    const fresh = await device();
    const freshStored = (await fresh.bg.store.policy())!;
    expect(stored.payload).toBe(freshStored.envelope.payload);
    expect(d.bg.state.active?.payload).toEqual(fresh.bg.state.active?.payload);
    const content = (rules: typeof d.platform.dnrRules) =>
      rules.map(({ id: _id, ...rule }) => JSON.stringify(rule)).sort();
    expect(content(d.platform.dnrRules)).toEqual(content(fresh.platform.dnrRules));
    for (const url of [
      'https://h0.example/',
      'https://h5.example/',
      'https://h9005.example/x',
      'https://ok.h1.example/',
      'https://h1.example/',
      'https://nowhere.example/',
    ])
      expect(d.bg.state.active?.urls.decide(url)).toEqual(fresh.bg.state.active?.urls.decide(url));
    expect(d.bg.state.active?.urls.decide('https://h9005.example/x').verdict).toBe('block');
    expect(d.bg.state.active?.urls.decide('https://h5.example/').verdict).toBe('allow');

    // After a worker restart the stored delta and payload verify and give the same policy,
    // with the rules left as they are.
    const restarted = await device(fetch, d.platform);
    expect(restarted.bg.state.active?.payload).toEqual(d.bg.state.active?.payload);
    expect(d.platform.dnrUpdates.length).toBe(updatesBefore + 1);
  });

  it('pushes a large envelope as the signed delta from the version before, applied with no request', async () => {
    await publish(hosts(0, 8000)); // well over the 64 KiB a push frame carries whole
    const policyRequests: string[] = [];
    const d = await device(async (url, init) => {
      if (String(url).endsWith('/api/v1/device/policy')) policyRequests.push(String(url));
      return fetch(url, init);
    });
    const held = (await d.bg.store.policyHead())!;
    const next = [...blocklist.slice(0, 7), ...blocklist.slice(9), 'pushed.example'];
    let version = 0;
    const frame = await nextPolicyFrame(d.credential, async () => (version = await publish(next)));
    const full = await get(d.credential);
    // The envelope is too large to travel; the delta from the device's version does.
    expect(frame).toMatchObject({ version, baseEtag: held.etag, etag: full.headers.get('etag') });
    expect(frame.envelope).toBeUndefined();
    const deltas = frame.deltas as unknown[];
    expect(deltas).toHaveLength(1);
    const verified = await verifyDelta(subtle, deltas[0], key);
    expect(verified.ok && verified.delta).toMatchObject({ baseVersion: held.version, version });
    expect(JSON.stringify(frame).length).toBeLessThan((await full.text()).length / 10);

    // The device holding the base applies it as a fetched delta, asking the server nothing.
    const pushed = frame as unknown as PushedPolicy;
    policyRequests.length = 0;
    expect(await d.bg.sync.sync(pushed)).toBe('updated');
    expect(policyRequests).toEqual([]);
    expect(d.bg.state.active?.version).toBe(version);
    expect(d.bg.state.active?.urls.decide('https://pushed.example/').verdict).toBe('block');
    const fresh = await device();
    expect(d.bg.state.active?.payload).toEqual(fresh.bg.state.active?.payload);

    // A device that holds another version does not take it: it asks for its own deltas.
    const behind = await device();
    const { version: behindVersion } = (await behind.bg.store.policyHead())!;
    await publish([...next, 'one.example']); // the device does not sync: it stays behind
    const again = await nextPolicyFrame(behind.credential, () =>
      publish([...next, 'one.example', 'two.example']),
    );
    expect((again as { baseEtag: string }).baseEtag).not.toBe(
      (await behind.bg.store.policyHead())!.etag,
    );
    expect(await behind.bg.sync.sync(again as unknown as PushedPolicy)).toBe('updated');
    expect(behind.bg.state.active!.version).toBeGreaterThan(behindVersion);
    expect(behind.bg.state.active?.payload).toEqual((await device()).bg.state.active?.payload);
  });

  it('at start, refuses a stored payload that is not the one the signed delta names', async () => {
    const d = await device();
    await publish([...blocklist, 'restart.example']);
    expect(await d.bg.sync.sync()).toBe('updated');
    const stored = (await d.bg.store.policy())!;
    await d.bg.store.setPolicy({
      ...stored,
      payload: stored.payload!.replace('restart.example', 'x.example'),
    });
    const restarted = await boot(async () => new Response(null, { status: 503 }), d.platform);
    // The tampered copy is dropped, never enforced.
    expect(restarted.bg.state.active).toBeNull();
    expect(await restarted.bg.store.policy()).toBeNull();
  });

  it('refuses a tampered delta with the extension’s verifier and keeps the policy it holds', async () => {
    let tamper = false;
    const d = await device(async (url, init) => {
      const res = await fetch(url, init);
      if (!tamper || !(res.headers.get('content-type') ?? '').startsWith(DELTA)) return res;
      const body = (await res.json()) as { deltas: SignedEnvelope[] };
      const first = body.deltas[0]!;
      // Loosen it: drop the additions but keep the signature.
      const payload = JSON.parse(first.payload) as {
        lists: { urlBlocklist: { at: number[]; added: string[] } };
      };
      payload.lists.urlBlocklist.at = [];
      payload.lists.urlBlocklist.added = [];
      body.deltas[0] = { ...first, payload: JSON.stringify(payload) };
      return new Response(JSON.stringify(body), { status: 200, headers: res.headers });
    });
    const held = d.bg.state.active!.version;
    tamper = true;
    await publish([...blocklist, 'tamper.example']);
    expect(await d.bg.sync.sync()).toBe('refused');
    expect(d.bg.state.active?.version).toBe(held);
    expect((await d.bg.store.status()).lastSyncError).toMatch(/policy refused/);
  });
});
