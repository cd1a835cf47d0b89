/**
 * What a device pays to trust what its server tells it: one ES256 verification per signed
 * device command (`core/crypto/device-command.ts`: signature, device, freshness, nonce) and
 * per policy envelope, with the WebCrypto of Node (the extension and the PWA use their
 * browser's). See docs/device-trust.md.
 *
 *   node --import tsx bench/crypto/verify.ts [--iterations 3000]
 */
import { signDeviceCommand, verifyDeviceCommand } from '../../core/crypto/device-command.ts';
import {
  generateSigningKeyPair,
  signEnvelope,
  verifyEnvelope,
} from '../../core/crypto/envelope.ts';
import { EMPTY_NONCE_LOG } from '../../core/crypto/nonce-log.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { printReport, type BenchReport } from '../lib/report.ts';
import { realisticPolicy } from '../lib/realistic-policy.ts';

const subtle = globalThis.crypto.subtle as unknown as Subtle;

export async function runVerifyBench(opts: { iterations: number }): Promise<BenchReport> {
  const keys = await generateSigningKeyPair(subtle);
  const pinned = { keyId: keys.keyId, jwk: keys.publicJwk };
  const now = Date.now();
  const command = await signDeviceCommand(
    subtle,
    {
      command: 'move',
      deviceId: 'device-1',
      issuedAt: new Date(now).toISOString(),
      nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
      groupId: 'group-1',
      version: 9,
    },
    keys,
  );
  const payload = JSON.stringify({
    v: 1,
    version: 9,
    groupId: 'group-1',
    policy: realisticPolicy(1),
  });
  const envelope = await signEnvelope(subtle, payload, keys.keyId, keys.privateJwk);
  const time = async (check: () => Promise<{ ok: boolean }>) => {
    for (let i = 0; i < 200; i++) await check(); // warm up
    const start = performance.now();
    for (let i = 0; i < opts.iterations; i++) if (!(await check()).ok) throw new Error('refused');
    return ((performance.now() - start) * 1000) / opts.iterations;
  };
  const perCommand = await time(() =>
    verifyDeviceCommand(subtle, command, {
      pinned,
      deviceId: 'device-1',
      now,
      seen: EMPTY_NONCE_LOG,
    }),
  );
  const perEnvelope = await time(() => verifyEnvelope(subtle, envelope, pinned));
  return {
    title: 'Verifying signed commands and envelopes',
    command: `node --import tsx bench/crypto/verify.ts --iterations ${opts.iterations}`,
    rows: [
      ['verify a device command (signature + checks)', `${perCommand.toFixed(1)} µs`],
      [
        `verify a policy envelope (${(payload.length / 1024).toFixed(1)} KB payload)`,
        `${perEnvelope.toFixed(1)} µs`,
      ],
    ],
    notes: ['One verification per command or envelope received; sequential, one core.'],
  };
}

if (isMain(import.meta.url)) {
  printReport(await runVerifyBench(numberArgs({ iterations: 3000 })));
}
