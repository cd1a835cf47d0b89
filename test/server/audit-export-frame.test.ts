/**
 * A whole-trail NDJSON export after pruning starts with the signed checkpoint and ends on
 * a signed head, and verifies offline; a filtered export carries no frame.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyInfo } from '../../server/signing-key.ts';
import { verifyExport } from '../../server/cli/verify-export.ts';
import { login } from '../helpers/passkey-flows.ts';
import { makeWorld, type World } from './support/world.ts';
import { blockedNavigation } from './support/audit-events.ts';

async function* each(lines: string[]) {
  yield* lines;
}

describe('NDJSON export framing', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await w.device.api.json('POST', '/api/v1/device/audit', {
      events: [blockedNavigation(), blockedNavigation()],
    });
    w.t.advance(3 * 86_400_000);
    await login(w.auditor.api, w.auditor.auth);
    await w.device.api.json('POST', '/api/v1/device/audit', {
      events: [blockedNavigation(), blockedNavigation()],
    });
    expect(await w.t.services.audit.prune(1)).toBeGreaterThan(2);
  });
  afterAll(() => w.t.close());

  const exported = async (query = '') =>
    (await (await w.auditor.api.get(`/api/v1/audit/export?format=ndjson${query}`)).text())
      .trimEnd()
      .split('\n');

  it('starts from the signed checkpoint and verifies offline', async () => {
    const lines = await exported();
    expect(JSON.parse(lines[0]!)).toHaveProperty('signedCheckpoint.signature');
    expect(JSON.parse(lines[lines.length - 1]!)).toHaveProperty('signedHead.signature');
    const key = publicKeyInfo(w.t.services.ctx.signingKey);
    const result = await verifyExport(each(lines), key);
    expect(result).toMatchObject({ ok: true, checked: lines.length - 2 });
    expect(result.startsAfter).toBeGreaterThan(2);
    // Without its checkpoint the first row links to nothing known.
    expect(await verifyExport(each(lines.slice(1)), key)).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringMatching(/missing/) },
    });
  });

  it('leaves a filtered export unframed', async () => {
    const lines = await exported('&kind=navigation');
    expect(lines.every((l) => 'seq' in (JSON.parse(l) as object))).toBe(true);
  });
});
