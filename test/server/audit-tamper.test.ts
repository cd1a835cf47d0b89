/**
 * What someone with write access to the database does to the audit trail — with the
 * no-update trigger dropped — and `/audit/verify` noticing each of it: an edited
 * `detail.__proto__`, an edited `site`, the newest rows deleted, a rewritten prune
 * checkpoint, a chain rehashed from an edit to its end; and rows of chain version 1 still
 * verifying after the upgrade.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash } from '../../server/audit/hash-chain.ts';
import { linkAuditRows } from '../../server/audit/link-audit-rows.ts';
import { AuditService } from '../../server/audit/audit-service.ts';
import type { AuditRow } from '../../server/store/types.ts';
import { verifyExport } from '../../server/cli/verify-export.ts';
import { publicKeyInfo } from '../../server/signing-key.ts';
import { makeTestApp, type TestApp } from './support/test-app.ts';
import { makeWorld, type World } from './support/world.ts';
import { blockedNavigation } from './support/audit-events.ts';
import { auditEvent } from './store-contract/fixtures.ts';

const event = (over: Record<string, unknown> = {}) =>
  blockedNavigation({ detail: { reason: 'listed' }, ...over });

async function* each(lines: string[]) {
  yield* lines;
}

type Verify = {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
  signedHead: { seq: number } | null;
  unsignedRows: number;
};

describe('audit chain against a database-level attacker', () => {
  let w: World;
  beforeEach(async () => {
    w = await makeWorld();
    await w.device.api.json('POST', '/api/v1/device/audit', {
      events: [event(), event(), event(), event()],
    });
    await w.t.services.audit.signer.signHead();
    w.t.store.db.exec('DROP TRIGGER audit_events_no_update');
  });
  afterEach(() => w.t.close());

  const db = () => w.t.store.db;
  const verify = () => w.auditor.api.json<Verify>('GET', '/api/v1/audit/verify');
  const navigationSeqs = () =>
    (
      db().prepare(`SELECT seq FROM audit_events WHERE kind = 'navigation' ORDER BY seq`).all() as {
        seq: number;
      }[]
    ).map((r) => r.seq);

  it('verifies the untouched chain against its signed head', async () => {
    const result = await verify();
    expect(result).toMatchObject({ ok: true, unsignedRows: 0 });
    expect(result.signedHead!.seq).toBe(Math.max(...navigationSeqs()));
  });

  it('detects a __proto__ member added to a stored detail', async () => {
    const [seq] = navigationSeqs();
    db()
      .prepare(`UPDATE audit_events SET detail = ? WHERE seq = ?`)
      .run('{"__proto__":{"admin":true},"reason":"listed"}', seq);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq } });
  });

  it('detects a stored detail rewritten to other bytes of the same meaning', async () => {
    const [seq] = navigationSeqs();
    db()
      .prepare(`UPDATE audit_events SET detail = ? WHERE seq = ?`)
      .run('{ "reason": "listed" }', seq);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq } });
  });

  it('detects an edited site (the column the charts count)', async () => {
    const [, seq] = navigationSeqs();
    db().prepare(`UPDATE audit_events SET site = 'harmless.test' WHERE seq = ?`).run(seq);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBroken: { seq, reason: expect.stringMatching(/edited/) },
    });
  });

  it('detects the newest rows deleted', async () => {
    const seqs = navigationSeqs();
    db().prepare(`DELETE FROM audit_events WHERE seq >= ?`).run(seqs[2]);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/before its signed head/) },
    });
  });

  it('detects the newest rows deleted with their signed heads (this process signed them)', async () => {
    const seqs = navigationSeqs();
    db().prepare(`DELETE FROM audit_events WHERE seq >= ?`).run(seqs[2]);
    db().prepare(`DELETE FROM audit_heads WHERE seq >= ?`).run(seqs[2]);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/gone from the database/) },
    });
    // Nor does the next head bless the truncated chain.
    expect(await w.t.services.audit.signer.signHead()).toBeNull();
  });

  it('detects every signed head deleted, after a restart', async () => {
    db().exec('DELETE FROM audit_heads');
    const restarted = new AuditService(w.t.services.ctx);
    expect(await restarted.verify()).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/no signed head/) },
    });
  });

  it('detects a chain rehashed from an edited row to its end', async () => {
    const [seq] = navigationSeqs();
    const rows = db()
      .prepare(
        `SELECT seq, event_id AS eventId, time, kind, level, outcome, url, destination_url AS destinationUrl,
        rule_id AS ruleId, rule_name AS ruleName, action, policy_version AS policyVersion, detail,
        received_at AS receivedAt, device_id AS deviceId, user_id AS userId, user_email AS userEmail,
        actor, admin_action AS adminAction, target, site, hash_version AS hashVersion,
        prev_hash AS prevHash, hash FROM audit_events WHERE seq >= ? ORDER BY seq`,
      )
      .all(seq) as AuditRow[];
    let prevHash = rows[0]!.prevHash;
    for (const row of rows) {
      const edited = {
        ...row,
        prevHash,
        url: row.seq === seq ? 'https://harmless.test/' : row.url,
      };
      const hash = chainHash(edited);
      db()
        .prepare(`UPDATE audit_events SET url = ?, prev_hash = ?, hash = ? WHERE seq = ?`)
        .run(edited.url, prevHash, hash, row.seq);
      prevHash = hash;
    }
    expect(await verify()).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/signed head/) },
    });
    // The next events do not get the rewrite signed.
    await w.device.api.json('POST', '/api/v1/device/audit', { events: [event()] });
    expect(await w.t.services.audit.signer.signHead()).toBeNull();
    // The export still comes, ending on the genuine head, and does not verify offline.
    const res = await w.auditor.api.get('/api/v1/audit/export?format=ndjson');
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\n');
    const key = publicKeyInfo(w.t.services.ctx.signingKey);
    expect(await verifyExport(each(lines), key)).toMatchObject({ ok: false });
  });

  it('detects a rewritten prune checkpoint', async () => {
    w.t.advance(3 * 86_400_000);
    await w.device.api.json('POST', '/api/v1/device/audit', { events: [event()] });
    expect(await w.t.services.audit.prune(1)).toBeGreaterThan(3);
    const { login } = await import('../helpers/passkey-flows.ts');
    await login(w.auditor.api, w.auditor.auth);
    expect(await verify()).toMatchObject({ ok: true });
    // Move the checkpoint past rows that are still there, as if they were pruned too.
    const [first] = db()
      .prepare(`SELECT seq, hash FROM audit_events ORDER BY seq LIMIT 1`)
      .all() as {
      seq: number;
      hash: string;
    }[];
    db().prepare(`UPDATE audit_checkpoint SET seq = ?, hash = ?`).run(first!.seq, first!.hash);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/checkpoint/) },
    });
    // Stripping its signature does not pass either: heads exist, so it is not a legacy one.
    db().exec('UPDATE audit_checkpoint SET key_id = NULL, payload = NULL, signature = NULL');
    expect(await verify()).toMatchObject({ ok: false });
  });
});

describe('rows hashed under chain version 1', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  afterEach(() => t.close());

  const v1 = () =>
    auditEvent(randomUUID(), {
      time: '2026-11-28T10:00:00.000Z',
      kind: 'navigation',
      url: 'https://example.com/',
      ruleId: 'example.com',
      ruleName: null,
      action: 'navigate',
      detail: '{"reason":"listed"}',
      receivedAt: '2026-11-28T10:00:01.000Z',
      deviceId: null,
      site: 'example.com',
      hashVersion: 1,
    });

  it('still verify, followed by version 2 rows', async () => {
    const { store, services } = t;
    await store.appendAudit([v1(), v1()], linkAuditRows);
    await services.audit.record('system', 'test.after-upgrade', null);
    await services.audit.signer.signHead();
    expect(await services.audit.verify()).toMatchObject({ ok: true, checked: 3 });
    const versions = store.db
      .prepare(`SELECT hash_version AS v FROM audit_events ORDER BY seq`)
      .all();
    expect(versions).toEqual([{ v: 1 }, { v: 1 }, { v: 2 }]);
  });

  it('cannot be a version 2 row relabelled to dodge the new hash', async () => {
    const { store, services } = t;
    await services.audit.record('system', 'test.before', null);
    await store.appendAudit([v1()], linkAuditRows);
    await services.audit.signer.signHead();
    expect(await services.audit.verify()).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: expect.stringMatching(/version 1 row follows/) },
    });
  });
});
