/**
 * `palisade audit verify` on an export from a real run: the real server as a process, a
 * device enrolled with a code posting real events, the admin's own actions, the NDJSON
 * export and the public key fetched over HTTP — then the CLI, with no server, on the file
 * as exported and on copies tampered with.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { PalisadeAdmin } from '../e2e/fixtures/palisade-admin.ts';

const bin = resolve(import.meta.dirname, '../../bin/palisade');
const dir = mkdtempSync(join(tmpdir(), 'palisade-audit-verify-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function verify(exportFile: string, keyFile: string) {
  const r = spawnSync(process.execPath, [bin, 'audit', 'verify', exportFile, '--key', keyFile], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('palisade audit verify on a real export', () => {
  let server: TestServer;
  let lines: string[];
  let keyFile: string;

  beforeAll(async () => {
    server = await startServer();
    const palisade = await PalisadeAdmin.setUp(server, 'staff');
    const admin = palisade.api;
    const device = await palisade.enrollBrowser();
    for (let batch = 0; batch < 3; batch++) {
      const events = Array.from({ length: 40 }, (_, i) => ({
        id: randomUUID(),
        time: new Date(Date.UTC(2026, 10, 28, 10, batch, i)).toISOString(),
        kind: i % 2 ? 'clipboard' : 'navigation',
        level: 'BLOCK',
        outcome: 'blocked',
        url: `https://site${i % 5}.test/page?q=${i}`,
        ruleId: `rule-${i % 3}`,
        ruleName: 'Ünïcode rule 🚫',
        action: i % 2 ? 'copy' : 'navigate',
        policyVersion: 1,
        detail: { reason: 'listed', n: i, ok: i % 2 === 0 },
      }));
      await device.json('POST', '/api/v1/device/audit', { events });
    }
    const res = await admin.get('/api/v1/audit/export?format=ndjson');
    expect(res.status).toBe(200);
    lines = (await res.text()).trimEnd().split('\n');
    keyFile = file(
      'public-key.json',
      await (await fetch(`${server.url}/api/v1/public-key`)).text(),
    );
  }, 60_000);
  afterAll(() => server?.stop());

  const write = (name: string, ls: string[]) => file(name, ls.join('\n') + '\n');

  it('verifies the export as downloaded, ending on its signed head', () => {
    expect(JSON.parse(lines[lines.length - 1]!)).toHaveProperty('signedHead.signature');
    const r = verify(write('export.ndjson', lines), keyFile);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok: \d+ rows verified \(seq 1–\d+\), ending on the head signed at /);
    expect(Number(/ok: (\d+)/.exec(r.stdout)![1])).toBe(lines.length - 1);
    expect(r.code).toBe(0);
  });

  it('finds an edited row and names it', () => {
    const edited = [...lines];
    const row = JSON.parse(edited[50]!) as { seq: number; url?: string };
    edited[50] = JSON.stringify({ ...row, url: 'https://harmless.test/' });
    const r = verify(write('edited.ndjson', edited), keyFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^BROKEN at seq ${row.seq} \\(line 51\\): .*edited`));
  });

  it('finds an edited site and a removed row', () => {
    const site = [...lines];
    const row = JSON.parse(site[60]!) as { seq: number; site?: string };
    expect(row.site).toMatch(/\.test$/);
    site[60] = JSON.stringify({ ...row, site: 'elsewhere.test' });
    expect(verify(write('site.ndjson', site), keyFile).code).toBe(1);
    const removed = lines.filter((_, i) => i !== 70);
    expect(verify(write('removed.ndjson', removed), keyFile).stdout).toMatch(/missing/);
  });

  it('finds the newest rows cut off, with or without the head line', () => {
    const cut = [...lines.slice(0, -6), lines[lines.length - 1]!];
    const r = verify(write('cut.ndjson', cut), keyFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/signed head is seq/);
    const noHead = verify(write('no-head.ndjson', lines.slice(0, -6)), keyFile);
    expect(noHead.code).toBe(1);
    expect(noHead.stdout).toMatch(/does not end on a signed head/);
  });

  it('refuses a head signed by another key, or forged', () => {
    const other = file(
      'other-key.json',
      JSON.stringify({
        keyId: 'someone-else',
        alg: 'ES256',
        jwk: {
          kty: 'EC',
          crv: 'P-256',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      }),
    );
    expect(verify(write('export2.ndjson', lines), other).code).toBe(1);
    const forged = [...lines];
    const head = JSON.parse(forged[forged.length - 1]!) as { signedHead: { payload: string } };
    const payload = JSON.parse(head.signedHead.payload) as { seq: number };
    head.signedHead.payload = JSON.stringify({ ...payload, seq: payload.seq - 5 });
    forged[forged.length - 1] = JSON.stringify(head);
    const r = verify(
      write('forged.ndjson', [...forged.slice(0, -6), forged[forged.length - 1]!]),
      keyFile,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/signature/);
  });

  it('says how to call it', () => {
    const r = spawnSync(process.execPath, [bin, 'audit', 'verify'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: palisade audit verify EXPORT.ndjson --key PUBLIC_KEY.json/);
  });
});
