import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log.ts';
import { ClusterPush } from '../../../server/push/cluster-push.ts';
import type { PushNotifier } from '../../../server/push/push-notifier.ts';
import { MIGRATIONS } from '../../../server/store/postgres/migrations.ts';
import { openPostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { append, auditEvent, group, verify } from '../store-contract/fixtures.ts';

type PgStore = Awaited<ReturnType<typeof openPostgresStore>>;

/** What the instance's hub was asked to deliver, in order. */
class DeliveredPush implements PushNotifier {
  readonly calls: string[] = [];
  policy(groupId: string, version: number) {
    this.calls.push(`policy ${groupId} v${version}`);
  }
  revoked(deviceId: string, command: string | null) {
    this.calls.push(`revoked ${deviceId} ${command}`);
  }
  wipe(deviceId: string, command: string) {
    this.calls.push(`wipe ${deviceId} ${command}`);
  }
  moved(deviceId: string, groupId: string, version: number, command: string) {
    this.calls.push(`moved ${deviceId} ${groupId} v${version} ${command}`);
  }
  exceptions(deviceId: string) {
    this.calls.push(`exceptions ${deviceId}`);
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const envelope = (groupId: string, version: number) => ({
  groupId,
  version,
  envelope: `{"v":${version}}`,
  etag: `"v${version}"`,
  updatedAt: new Date().toISOString(),
});

describe('several instances on one PostgreSQL database', () => {
  let cluster: TestPostgres;
  let url: string;
  const open: PgStore[] = [];
  const instance = async (opts: { retryMs?: number } = {}) => {
    const store = await openPostgresStore(url, { retryMs: opts.retryMs ?? 50 });
    open.push(store);
    return store;
  };

  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  const freshDatabase = async () => {
    url = await cluster.createDatabase();
  };

  it('migrates once when instances start together', async () => {
    await freshDatabase();
    await Promise.all([instance(), instance(), instance()]);
    const [a] = open;
    const { rows: versions } = await a!.pool.query('SELECT version FROM schema_migrations');
    expect(versions).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })));
  });

  it('keeps one audit chain when instances append at once', async () => {
    await freshDatabase();
    const [a, b] = await Promise.all([instance(), instance()]);
    const batch = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => auditEvent(`${prefix}${i}`));
    // A retried batch lands on the other instance: the shared ids count once.
    const results = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => append(a!, batch(40, `a${i}-`))),
      ...Array.from({ length: 6 }, (_, i) => append(b!, batch(40, `b${i}-`))),
      append(a!, batch(40, 'shared-')),
      append(b!, batch(40, 'shared-')),
    ]);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(13 * 40);
    expect(await verify(a!)).toEqual({ ok: true, checked: 13 * 40 });
  });

  it('agrees on one signing key, created once', async () => {
    await freshDatabase();
    const stores = await Promise.all([instance(), instance(), instance()]);
    let generated = 0;
    const generate = async () => {
      generated++;
      await new Promise((r) => setTimeout(r, 20)); // widen the race
      return { keyId: `k${generated}`, privateJwk: { d: 'x' }, publicJwk: { x: 'y' } };
    };
    const keys = await Promise.all(stores.map((s) => s.sharedSigningKey!(generate)));
    expect(generated).toBe(1);
    expect(new Set(keys.map((k) => k.keyId))).toEqual(new Set(['k1']));
  });

  it('lets one instance at a time hold a lock', async () => {
    await freshDatabase();
    const [a, b] = await Promise.all([instance(), instance()]);
    const log: string[] = [];
    const hold = (store: PgStore, name: string) =>
      store.withLock('envelopes', async () => {
        log.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 50));
        log.push(`${name} out`);
      });
    await Promise.all([hold(a!, 'a'), hold(b!, 'b')]);
    expect(log.join(',')).toMatch(/^(a in,a out,b in,b out|b in,b out,a in,a out)$/);
  });

  it('broadcasts messages, and envelope changes when they commit', async () => {
    await freshDatabase();
    const [a, b] = await Promise.all([instance(), instance()]);
    const heard: string[] = [];
    await b!.broadcast!.listen({
      message: (p) => heard.push(p),
      connected() {},
      disconnected() {},
    });
    await a!.broadcast!.send('{"hello":1}');
    await a!.createGroup(group('g1'));
    await a!.putGroupEnvelopes([envelope('g1', 3)]);
    await a!.putGroupEnvelopes([envelope('g1', 2)]); // older: not written, not announced
    await until(() => heard.length >= 2, 'two messages');
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.map((p) => JSON.parse(p) as unknown)).toEqual([
      { hello: 1 },
      { type: 'envelope', groupId: 'g1', version: 3 },
    ]);
  });

  it('relays revoke, wipe and moves to the other instances, and delivers its own once', async () => {
    await freshDatabase();
    const [a, b] = await Promise.all([instance(), instance()]);
    const [hubA, hubB] = [new DeliveredPush(), new DeliveredPush()];
    const log = createLogger({ write: () => undefined });
    const pushA = new ClusterPush({ local: hubA, broadcast: a!.broadcast!, store: a!, log });
    const pushB = new ClusterPush({ local: hubB, broadcast: b!.broadcast!, store: b!, log });
    const invalidated: string[] = [];
    await pushA.start({ invalidate: () => undefined });
    await pushB.start({ invalidate: (ids) => invalidated.push(...(ids ?? ['*'])) });
    // Signed commands travel as their JSON, byte for byte.
    pushA.revoked('d1', '{"signed":"r"}');
    pushA.wipe('d2', '{"signed":"w"}');
    pushA.moved('d3', 'g2', 4, '{"signed":"m"}');
    pushA.exceptions('d4'); // an access request decided: each instance signs d4's list itself
    await a!.createGroup(group('g1'));
    await a!.putGroupEnvelopes([envelope('g1', 5)]);
    pushA.policy('g1', 5); // what PolicyService does after the commit
    await until(() => hubB.calls.length >= 5, 'B to hear everything');
    await new Promise((r) => setTimeout(r, 100));
    // An instance's own messages arrive in the order sent; the envelope's announcement
    // comes from the database on its own path, so it may come anywhere among them.
    for (const hub of [hubA, hubB]) {
      expect(hub.calls.filter((c) => !c.startsWith('policy'))).toEqual([
        'revoked d1 {"signed":"r"}',
        'wipe d2 {"signed":"w"}',
        'moved d3 g2 v4 {"signed":"m"}',
        'exceptions d4',
      ]);
      expect(hub.calls.filter((c) => c.startsWith('policy'))).toEqual(['policy g1 v5']);
    }
    expect(invalidated).toContain('g1');
    await Promise.all([pushA.stop(), pushB.stop()]);
  });

  it('re-syncs after its listening connection is killed: a missed notification is not a missed policy', async () => {
    await freshDatabase();
    const a = await instance();
    const b = await instance({ retryMs: 700 }); // slow to come back, so the write lands while it is away
    await a.createGroup(group('g1'));
    await a.putGroupEnvelopes([envelope('g1', 1)]);
    const hubB = new DeliveredPush();
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    const pushB = new ClusterPush({ local: hubB, broadcast: b.broadcast!, store: b, log });
    let invalidatedAll = 0;
    await pushB.start({ invalidate: (ids) => void (ids ? undefined : invalidatedAll++) });
    await until(() => hubB.calls.includes('policy g1 v1'), 'the first sync');
    const connection = /"connection":"(\d+)"/.exec(lines.join('\n'))![1]!;

    await cluster.query('SELECT pg_terminate_backend($1)', [Number(connection)]);
    await until(() => lines.some((l) => l.includes('disconnected')), 'the listener to notice');
    await a.putGroupEnvelopes([envelope('g1', 2)]); // announced while B is not listening
    expect(hubB.calls).toEqual(['policy g1 v1']);

    await until(() => hubB.calls.includes('policy g1 v2'), 'the re-sync after reconnecting');
    expect(invalidatedAll).toBeGreaterThanOrEqual(2); // at the first connection and after the reconnection
    const listening = lines.filter((l) => l.includes('push relay listening'));
    expect(listening).toHaveLength(2);
    // And the new connection hears what comes next.
    await a.putGroupEnvelopes([envelope('g1', 3)]);
    await until(() => hubB.calls.includes('policy g1 v3'), 'a notification on the new connection');
    await pushB.stop();
  });
});
