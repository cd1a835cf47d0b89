import { describe, expect, it } from 'vitest';
import type { StoredAuditEvent } from '../../core/audit/types.ts';
import { retryDelay } from '../../server/siem/drain-consumer.ts';
import { formatCef } from '../../server/siem/format-cef.ts';
import { formatOcsf } from '../../server/siem/format-ocsf.ts';
import { SecretBox } from '../../server/siem/secret-box.ts';
import { octetFrame, syslogMessage } from '../../server/siem/syslog-message.ts';

const base: StoredAuditEvent = {
  seq: 7,
  id: 'e-7',
  time: '2026-11-28T10:00:00.000Z',
  kind: 'navigation',
  level: 'BLOCK',
  outcome: 'blocked',
  url: 'https://bad.test/',
  ruleId: 'bad.test',
  action: 'navigate',
  receivedAt: '2026-11-28T10:00:01.000Z',
  deviceId: 'd1',
  userId: 'u1',
  userEmail: 'emil@example.com',
  hashVersion: 2,
  prevHash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
};
const admin = (adminAction: string, over: Partial<StoredAuditEvent> = {}): StoredAuditEvent => ({
  ...base,
  kind: 'admin',
  level: undefined,
  outcome: undefined,
  url: undefined,
  ruleId: undefined,
  action: undefined,
  actor: 'ada@example.com',
  adminAction,
  ...over,
});

describe('OCSF class per event kind (docs/siem.md)', () => {
  interface Row {
    event: StoredAuditEvent;
    classUid: number;
    typeUid: number;
    disposition?: number;
  }
  /** A row of Web Resources Activity (6001), by default for a blocked event (disposition 2). */
  const webActivity = (over: Partial<StoredAuditEvent>, typeUid: number, disposition = 2): Row => ({
    event: { ...base, ...over },
    classUid: 6001,
    typeUid,
    disposition,
  });
  const table: Row[] = [
    webActivity({}, 600102),
    webActivity({ outcome: 'proceeded', level: 'WARN' }, 600102, 1),
    webActivity({ kind: 'download', action: 'download' }, 600107),
    webActivity({ kind: 'upload', action: 'upload' }, 600106),
    webActivity({ kind: 'clipboard', action: 'paste' }, 600106),
    webActivity({ kind: 'clipboard', action: 'copy' }, 600107),
    webActivity({ kind: 'print', action: 'print' }, 600199),
    {
      event: { ...base, kind: 'policy', detail: { reason: 'bad_signature' } },
      classUid: 2004,
      typeUid: 200401,
    },
    {
      event: admin('alert', { detail: { summary: 's', type: 'rule_blocks' } }),
      classUid: 2004,
      typeUid: 200401,
    },
    { event: admin('audit.chain_broken'), classUid: 2004, typeUid: 200401 },
    { event: admin('auth.login'), classUid: 3002, typeUid: 300201 },
    { event: admin('user.invite'), classUid: 3001, typeUid: 300101 },
    { event: admin('passkey.delete'), classUid: 3001, typeUid: 300111 },
    { event: admin('group.create'), classUid: 3004, typeUid: 300401 },
    { event: admin('policy.publish'), classUid: 3004, typeUid: 300403 },
    { event: admin('device.revoke'), classUid: 3004, typeUid: 300404 },
    { event: admin('device.pair'), classUid: 3004, typeUid: 300499 },
  ];
  it.each(table)(
    '$event.kind $event.adminAction $event.action → $classUid',
    ({ event, classUid, typeUid, disposition }) => {
      const o = formatOcsf(event);
      expect(o).toMatchObject({
        class_uid: classUid,
        type_uid: typeUid,
        metadata: { uid: event.id, sequence: event.seq },
      });
      expect(o.time).toBe(Date.parse(event.time));
      if (disposition !== undefined) expect(o.disposition_id).toBe(disposition);
    },
  );

  it('puts the blocked URL in web_resources and the rest in unmapped', () => {
    const o = formatOcsf(base);
    expect(o.web_resources).toEqual([{ url_string: 'https://bad.test/' }]);
    expect(o.actor).toEqual({ user: { uid: 'u1', email_addr: 'emil@example.com' } });
    expect(o.unmapped).toMatchObject({ rule_id: 'bad.test', hash: 'b'.repeat(64) });
  });
});

describe('CEF and syslog framing', () => {
  it('escapes header pipes and extension equals signs, backslashes and newlines', () => {
    const line = formatCef({
      ...base,
      kind: 'admin',
      adminAction: 'x|y',
      target: 'a=b\\c\nd',
      url: undefined,
    });
    expect(line).toContain('|admin:x\\|y|Admin x\\|y|3|');
    expect(line).toContain('cs4=a\\=b\\\\c\\nd cs4Label=target');
  });

  it('counts octets in bytes, not characters', () => {
    const message = syslogMessage({ ...base, url: 'https://bücher.test/' }, 'é', {
      facility: 13,
      hostname: 'h ost',
    });
    expect(message).toBe('<108>1 2026-11-28T10:00:00.000Z host palisade - navigation - é');
    const frame = octetFrame(message);
    expect(frame.toString('utf8')).toBe(`${Buffer.byteLength(message)} ${message}`);
  });
});

describe('retry schedule', () => {
  it('doubles from 1 s to a 5 min ceiling, each delay between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(30, () => 1)).toBe(300_000);
    expect(retryDelay(30, () => 0)).toBe(150_000);
  });
});

describe('secret box', () => {
  it('seals with AES-256-GCM under SECRETS_KEY and refuses a tampered box', () => {
    const box = new SecretBox(Buffer.alloc(32, 1));
    const sealed = box.seal('whsec_abc');
    expect(sealed).toMatch(/^aes256gcm:/);
    expect(sealed).not.toContain('abc');
    expect(box.open(sealed)).toBe('whsec_abc');
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(() => box.open(flipped)).toThrow();
    expect(() => new SecretBox(null).open(sealed)).toThrow(/SECRETS_KEY/);
    expect(new SecretBox(null).seal('s')).toBe('plain:s');
  });
});
