import { describe, expect, it } from 'vitest';
import type { IntegrationRow } from '../../../server/store/types.ts';
import { at, backends, T0 } from './backends.ts';

const integration = (id: string, patch: Partial<IntegrationRow> = {}): IntegrationRow => ({
  id,
  name: `Dest ${id}`,
  kind: 'syslog',
  format: 'cef',
  target: { host: '127.0.0.1', port: 514, tls: false, caPem: null, facility: 13 },
  secret: null,
  events: 'all',
  enabled: true,
  createdBy: null,
  createdAt: T0,
  updatedAt: T0,
  ...patch,
});

describe.each(backends())('store contract: SIEM destinations and alerts ($name)', (backend) => {
  it('creates, lists, changes and deletes a destination with its cursor', async () => {
    const store = await backend.open();
    await store.createIntegration(integration('i1'), 41);
    await store.createIntegration(
      integration('i2', {
        kind: 'webhook',
        format: 'ocsf',
        target: { url: 'https://siem.example/hook' },
        secret: 'plain:whsec_x',
        events: 'alerts',
        createdAt: at(1),
      }),
      0,
    );
    const list = await store.listIntegrations();
    expect(list.map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(list[0]!.state).toMatchObject({
      name: 'integration:i1',
      cursorSeq: 41,
      attempts: 0,
      delivered: 0,
    });
    expect(list[1]).toMatchObject({
      target: { url: 'https://siem.example/hook' },
      events: 'alerts',
      enabled: true,
    });
    expect(
      await store.updateIntegration('i1', { enabled: false, name: 'Renamed', updatedAt: at(5) }),
    ).toBe(true);
    expect(await store.getIntegration('i1')).toMatchObject({
      enabled: false,
      name: 'Renamed',
      updatedAt: at(5),
    });
    expect(await store.updateIntegration('nope', { updatedAt: at(5) })).toBe(false);
    expect(await store.deleteIntegration('i1')).toBe(true);
    expect(await store.getIntegration('i1')).toBeNull();
    expect(await store.deleteIntegration('i1')).toBe(false);
  });

  it('leases a consumer to one owner at a time, until the lease runs out', async () => {
    const store = await backend.open();
    await store.ensureConsumer('alerts', 7);
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((owner) => store.leaseConsumer('alerts', owner, at(0), at(30_000))),
    );
    const holders = results.filter((r) => r !== null);
    expect(holders).toHaveLength(1);
    const holder = holders[0]!.leaseOwner!;
    expect(holders[0]!.cursorSeq).toBe(7);
    // The holder renews; the others wait for the lease to end.
    expect(await store.leaseConsumer('alerts', holder, at(10_000), at(40_000))).not.toBeNull();
    expect(await store.leaseConsumer('alerts', 'other', at(39_999), at(70_000))).toBeNull();
    expect((await store.leaseConsumer('alerts', 'other', at(40_000), at(70_000)))?.leaseOwner).toBe(
      'other',
    );
    await store.releaseConsumer('alerts', holder); // not the holder any more: no effect
    expect(await store.leaseConsumer('alerts', holder, at(41_000), at(71_000))).toBeNull();
    await store.releaseConsumer('alerts', 'other');
    expect(await store.leaseConsumer('alerts', holder, at(41_000), at(71_000))).not.toBeNull();
  });

  it('moves the cursor only for the lease holder and from where it is (fenced)', async () => {
    const store = await backend.open();
    expect((await store.ensureConsumer('c', 0)).cursorSeq).toBe(0);
    expect((await store.ensureConsumer('c', 99)).cursorSeq).toBe(0); // exists: kept
    await store.leaseConsumer('c', 'me', at(0), at(30_000));
    expect(
      await store.advanceConsumer('c', 'intruder', { from: 0, to: 10, delivered: 10, at: at(1) }),
    ).toBe(false);
    expect(
      await store.advanceConsumer('c', 'me', { from: 5, to: 10, delivered: 5, at: at(1) }),
    ).toBe(false);
    expect(
      await store.failConsumer('c', 'me', { error: 'refused', at: at(2), nextAttemptAt: at(3000) }),
    ).toBe(true);
    expect(
      await store.failConsumer('c', 'intruder', { error: 'x', at: at(2), nextAttemptAt: at(3) }),
    ).toBe(false);
    let state = await store.leaseConsumer('c', 'me', at(3), at(30_000));
    expect(state).toMatchObject({ attempts: 1, lastError: 'refused', nextAttemptAt: at(3000) });
    expect(
      await store.advanceConsumer('c', 'me', { from: 0, to: 10, delivered: 4, at: at(4000) }),
    ).toBe(true);
    state = await store.leaseConsumer('c', 'me', at(4001), at(30_000));
    expect(state).toMatchObject({
      cursorSeq: 10,
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      delivered: 4,
      lastDeliveredAt: at(4000),
    });
    // A step that delivered nothing (all filtered out) moves on without a delivery time.
    expect(
      await store.advanceConsumer('c', 'me', { from: 10, to: 12, delivered: 0, at: at(5000) }),
    ).toBe(true);
    expect(await store.leaseConsumer('c', 'me', at(5001), at(30_000))).toMatchObject({
      cursorSeq: 12,
      lastDeliveredAt: at(4000),
    });
  });

  it('keeps alert rules and stores each alert once', async () => {
    const store = await backend.open();
    await store.createAlertRule({
      id: 'r1',
      name: 'Bursts',
      type: 'rule_blocks',
      threshold: 5,
      windowMinutes: 10,
      policyRuleId: null,
      enabled: true,
      createdBy: null,
      createdAt: T0,
    });
    expect(await store.listAlertRules()).toMatchObject([
      { id: 'r1', type: 'rule_blocks', threshold: 5, enabled: true },
    ]);
    expect(await store.updateAlertRule('r1', { enabled: false, threshold: 3 })).toMatchObject({
      enabled: false,
      threshold: 3,
    });
    expect(await store.updateAlertRule('nope', { enabled: false })).toBeNull();
    const alert = {
      alertRuleId: 'r1',
      ruleName: 'Bursts',
      type: 'rule_blocks' as const,
      subject: 'u1|rule',
      summary: 's',
    };
    expect(await store.recordAlert({ ...alert, id: 'a1', firedAt: at(1000) })).toBe(true);
    expect(await store.recordAlert({ ...alert, id: 'a1', firedAt: at(1000) })).toBe(false);
    expect(await store.recordAlert({ ...alert, id: 'a2', firedAt: at(2000) })).toBe(true);
    expect((await store.listAlerts(10)).map((a) => a.id)).toEqual(['a2', 'a1']);
    expect(await store.lastAlert('r1', 'u1|rule')).toMatchObject({ id: 'a2', firedAt: at(2000) });
    expect(await store.lastAlert('r1', 'someone else')).toBeNull();
    expect(await store.deleteAlertRule('r1')).toBe(true);
    expect(await store.listAlertRules()).toEqual([]);
  });
});
