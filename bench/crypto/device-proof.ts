/**
 * What the server pays per device proof (docs/device-trust.md, "Device keys"): issuing a
 * challenge (an HMAC, no write) and `services.deviceProof.verify` on a real SQLite store —
 * the device and key reads, one ES256 verification with the registered key, and the
 * insert that makes the challenge single-use. Proofs are signed beforehand, as the
 * extension would, so signing is not in the figures.
 *
 *   node --import tsx bench/crypto/device-proof.ts [--iterations 2000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeDeviceProofPayload } from '../../core/policy/access/device-proof.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { benchServices } from '../lib/bench-services.ts';
import { printReport, type BenchReport } from '../lib/report.ts';

const subtle = globalThis.crypto.subtle;

export async function runDeviceProofBench(opts: { iterations: number }): Promise<BenchReport> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-bench-proof-'));
  const { config, store, services } = await benchServices(dataDir, { ORIGIN: 'https://emm.test' });
  try {
    const now = new Date().toISOString();
    await store.createGroup({ id: 'g1', name: 'Staff', createdAt: now, maxDevicesPerUser: 5 });
    await store.createDevice(
      {
        id: 'd1',
        name: 'bench',
        userId: null,
        groupId: 'g1',
        platform: 'linux',
        browser: 'chrome',
        extensionVersion: '1.0.0',
        status: 'active',
        managed: true,
        enrolledAt: now,
        lastSeenAt: now,
        appliedVersion: null,
        claimedEmail: null,
      },
      'cred-hash',
    );
    const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const { kty, crv, x, y } = await subtle.exportKey('jwk', pair.publicKey);
    await store.setDeviceKey('d1', {
      publicKey: JSON.stringify({ kty, crv, x, y }),
      uninstallTokenHash: 'h',
      createdAt: now,
    });

    const total = opts.iterations + 200;
    const issueStart = performance.now();
    const challenges = Array.from(
      { length: total },
      () => services.deviceProof.issueChallenge().challenge,
    );
    const perIssue = ((performance.now() - issueStart) * 1000) / total;
    const proofs = await Promise.all(
      challenges.map(async (challenge) => {
        const payload = encodeDeviceProofPayload({
          challenge,
          origin: config.origin,
          deviceId: 'd1',
          exp: Date.now() + 5 * 60_000 - 1000,
        });
        const sig = await subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          pair.privateKey,
          new TextEncoder().encode(payload),
        );
        return { deviceId: 'd1', payload, signature: Buffer.from(sig).toString('base64url') };
      }),
    );
    for (const proof of proofs.slice(0, 200))
      await services.deviceProof.verify(proof, config.origin);
    const start = performance.now();
    for (const proof of proofs.slice(200)) {
      const result = await services.deviceProof.verify(proof, config.origin);
      if (!result.ok) throw new Error(`refused: ${result.code}`);
    }
    const perVerify = ((performance.now() - start) * 1000) / opts.iterations;
    return {
      title: 'Device proofs on the server',
      command: `node --import tsx bench/crypto/device-proof.ts --iterations ${opts.iterations}`,
      rows: [
        ['issue a challenge (HMAC, no write)', `${perIssue.toFixed(1)} µs`],
        ['verify a proof (SQLite reads + ES256 + single-use insert)', `${perVerify.toFixed(1)} µs`],
        ['proofs verified / s (one core, sequential)', `${Math.round(1e6 / perVerify)}`],
      ],
      notes: ['One proof per sign-in; the posture it carries is not part of these proofs.'],
    };
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  printReport(await runDeviceProofBench(numberArgs({ iterations: 2000 })));
}
