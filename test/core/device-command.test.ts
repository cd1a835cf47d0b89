import { describe, expect, it } from 'vitest';
import {
  parseDeviceCommand,
  signDeviceCommand,
  verifyDeviceCommand,
  type CommandFields,
} from '../../core/crypto/device-command.ts';
import { generateSigningKeyPair, signEnvelope } from '../../core/crypto/envelope.ts';
import {
  EMPTY_NONCE_LOG,
  MAX_NONCES,
  nonceSeen,
  parseNonceLog,
  rememberNonce,
  type NonceLog,
} from '../../core/crypto/nonce-log.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';

const subtle = globalThis.crypto.subtle as unknown as Subtle;
const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const nonce = (i: number) => `nonce-${String(i).padStart(12, '0')}`;

describe('signed device commands', async () => {
  const keys = await generateSigningKeyPair(subtle);
  const rogue = await generateSigningKeyPair(subtle);
  const pinned = { keyId: keys.keyId, jwk: keys.publicJwk };
  const base: CommandFields = {
    command: 'wipe',
    deviceId: 'dev-1',
    issuedAt: at(0),
    nonce: nonce(1),
  };
  const seenOnce: NonceLog = rememberNonce(EMPTY_NONCE_LOG, nonce(1), NOW, NOW);

  const cases: {
    name: string;
    make: () => Promise<unknown>;
    seen?: NonceLog;
    challenge?: string;
    deviceId?: string;
    expect: string;
  }[] = [
    { name: 'a fresh wipe for this device', make: () => sign(base), expect: 'ok' },
    {
      name: 'a move with its group and version',
      make: () => sign({ ...base, command: 'move', groupId: 'g2', version: 12 }),
      expect: 'ok',
    },
    {
      name: 'a move without a group',
      make: () => sign({ ...base, command: 'move' }),
      expect: 'malformed',
    },
    {
      name: 'for another device',
      make: () => sign(base),
      deviceId: 'dev-2',
      expect: 'wrong_device',
    },
    {
      name: 'issued 11 minutes ago',
      make: () => sign({ ...base, issuedAt: at(-11 * 60_000) }),
      expect: 'stale',
    },
    {
      name: 'issued 5 minutes in the future',
      make: () => sign({ ...base, issuedAt: at(5 * 60_000) }),
      expect: 'stale',
    },
    {
      name: 'an old command answering this device’s challenge',
      make: () =>
        sign({ ...base, issuedAt: at(-3 * 3600_000), challenge: 'challenge-aaaaaaaaaaaa' }),
      challenge: 'challenge-aaaaaaaaaaaa',
      expect: 'ok',
    },
    {
      name: 'answering another challenge',
      make: () => sign({ ...base, challenge: 'challenge-bbbbbbbbbbbb' }),
      challenge: 'challenge-aaaaaaaaaaaa',
      expect: 'stale',
    },
    {
      name: 'a fresh command when a challenge answer is expected',
      make: () => sign(base),
      challenge: 'challenge-aaaaaaaaaaaa',
      expect: 'stale',
    },
    {
      name: 'a nonce already acted on',
      make: () => sign(base),
      seen: seenOnce,
      expect: 'replayed',
    },
    {
      name: 'issued before the eviction floor',
      make: () => sign({ ...base, nonce: nonce(2), issuedAt: at(-60_000) }),
      seen: { floor: NOW - 30_000, entries: [] },
      expect: 'replayed',
    },
    {
      name: 'signed by another key under the pinned key id',
      make: () =>
        signDeviceCommand(subtle, base, { keyId: keys.keyId, privateJwk: rogue.privateJwk }),
      expect: 'bad_signature',
    },
    {
      name: 'the unsigned frame a proxy would send',
      make: async () => ({ type: 'wipe' }),
      expect: 'malformed',
    },
    {
      name: 'a signed policy envelope passed off as a command',
      make: () =>
        signEnvelope(
          subtle,
          JSON.stringify({ v: 1, version: 9, groupId: 'g1', policy: {} }),
          keys.keyId,
          keys.privateJwk,
        ),
      expect: 'malformed',
    },
  ];

  it.each(cases)('$name → $expect', async (c) => {
    const result = await verifyDeviceCommand(subtle, await c.make(), {
      pinned,
      deviceId: c.deviceId ?? 'dev-1',
      now: NOW,
      seen: c.seen ?? EMPTY_NONCE_LOG,
      challenge: c.challenge,
    });
    expect(result.ok ? 'ok' : result.code).toBe(c.expect);
  });

  it('never parses a policy payload as a command, nor a command as a policy', async () => {
    const signed = await sign(base);
    expect(parseDeviceCommand(signed.payload)).toMatchObject({
      command: 'wipe',
      typ: expect.any(String),
    });
    expect(parseDeviceCommand('{"v":1,"version":3,"groupId":"g","policy":{}}')).toBeNull();
  });

  function sign(fields: CommandFields) {
    return signDeviceCommand(subtle, fields, keys);
  }
});

describe('the bounded nonce log', () => {
  it('prunes what no fresh command could reuse', () => {
    let log = rememberNonce(EMPTY_NONCE_LOG, nonce(1), NOW - 20 * 60_000, NOW - 20 * 60_000);
    log = rememberNonce(log, nonce(2), NOW, NOW);
    expect(log.entries.map(([n]) => n)).toEqual([nonce(2)]);
    expect(log.floor).toBe(0);
  });

  it('stays bounded, and what it evicts stays refused through the floor', () => {
    let log = EMPTY_NONCE_LOG;
    for (let i = 0; i < MAX_NONCES + 10; i++) log = rememberNonce(log, nonce(i), NOW + i, NOW + i);
    expect(log.entries).toHaveLength(MAX_NONCES);
    expect(nonceSeen(log, nonce(0), NOW)).toBe('below_floor');
    expect(nonceSeen(log, nonce(9), NOW + 9)).toBe('below_floor');
    expect(nonceSeen(log, nonce(10), NOW + 10)).toBe('seen');
    expect(nonceSeen(log, nonce(999), NOW + 999)).toBe('new');
  });

  it('reads a damaged log from storage as "everything until now was seen"', () => {
    expect(parseNonceLog(undefined, NOW)).toEqual(EMPTY_NONCE_LOG);
    expect(parseNonceLog({ floor: 'x' }, NOW)).toEqual({ floor: NOW, entries: [] });
    const good = rememberNonce(EMPTY_NONCE_LOG, nonce(1), NOW, NOW);
    expect(parseNonceLog(JSON.parse(JSON.stringify(good)), NOW)).toEqual(good);
  });
});
