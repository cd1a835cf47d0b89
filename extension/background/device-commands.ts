import { base64urlEncode } from '../../core/crypto/base64url.ts';
import { verifyDeviceCommand, type DeviceCommand } from '../../core/crypto/device-command.ts';
import { rememberNonce } from '../../core/crypto/nonce-log.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { AuditRecorder } from './audit-recorder.ts';
import { ApiError, type ServerApi } from './server-api.ts';
import type { Enrollment, StateStore } from './state-store.ts';

export interface CommandDeps {
  store: StateStore;
  subtle: Subtle;
  recorder: AuditRecorder;
  apiFor: (enrollment: Enrollment) => ServerApi;
  now: () => Date;
  /** 16 random bytes, for the challenge of each re-check. */
  randomBytes: (n: number) => Uint8Array;
  onWipe: () => Promise<void>;
  onRevoke: () => Promise<void>;
  /** After a verified move: fetch the new group's policy. */
  onMoved: () => Promise<void>;
}

const UNVERIFIED_AUDIT_EVERY_MS = 15 * 60_000;

/** What a re-check found: the commands acted on, or why nothing could be verified. */
export type RecheckResult =
  { ok: true; acted: DeviceCommand['command'][] } | { ok: false; reason: string };

/**
 * The device side of signed commands (docs/device-trust.md). Only a command signed with
 * the pinned key, for this device, fresh and not seen before makes the extension wipe
 * itself, stop syncing or change group. Anything else — an unsigned `wipe` frame, a 410,
 * a 401, a socket closed 4403, a stale or replayed command, another group's envelope — is
 * a hint: `recheck()` asks `GET /device/commands` with a fresh challenge and acts only on
 * a signed answer to it. When none comes, the refusal is audited and the current policy
 * stays enforced.
 */
export class DeviceCommands {
  private rechecking: Promise<RecheckResult> | null = null;
  private serial: Promise<unknown> = Promise.resolve();
  /** When an unanswered re-check was last audited: a server that is away is not a new event each minute. */
  private lastUnverifiedAt = -Infinity;

  constructor(private readonly deps: CommandDeps) {}

  /** A command the push channel carried. */
  async pushed(signed: unknown): Promise<void> {
    const acted = await this.exclusive(async () => {
      const enrollment = await this.deps.store.enrollment();
      if (!enrollment) return true;
      const check = await this.verify(enrollment, signed);
      if (check.ok) await this.act(enrollment, check.command, check.issuedAtMs);
      else await this.refused(check.code, 'push');
      return check.ok;
    });
    if (!acted) await this.recheck();
  }

  /**
   * An unsigned hint: ask the server, signed. Concurrent hints share one request. With
   * `claimed`, the hint said the device was wiped or revoked: when no signed command
   * confirms it, the refusal is audited (someone may be trying to switch enforcement off).
   */
  async recheck(claimed?: { command: 'wipe' | 'revoke'; via: string }): Promise<RecheckResult> {
    this.rechecking ??= this.ask().finally(() => (this.rechecking = null));
    const result = await this.rechecking;
    const confirmed = result.ok && result.acted.includes(claimed?.command ?? 'move');
    if (claimed && !confirmed) await this.refused('unsigned', claimed.via, claimed.command);
    return result;
  }

  private async ask(): Promise<RecheckResult> {
    const enrollment = await this.deps.store.enrollment();
    if (!enrollment) return { ok: false, reason: 'not enrolled' };
    const challenge = base64urlEncode(this.deps.randomBytes(16));
    let commands: unknown[];
    try {
      commands = await this.deps.apiFor(enrollment).commands(challenge);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // No signed answer: someone on the path, or the server is away. Keep enforcing.
      const now = this.deps.now().getTime();
      if (now - this.lastUnverifiedAt >= UNVERIFIED_AUDIT_EVERY_MS) {
        this.lastUnverifiedAt = now;
        await this.refused('unverified', 'recheck');
      }
      await this.deps.store.updateStatus({
        lastSyncError: `could not confirm a command from the server: ${error.message}`,
      });
      return { ok: false, reason: error.message };
    }
    const acted: DeviceCommand['command'][] = [];
    for (const signed of commands) {
      const done = await this.exclusive(async () => {
        const current = await this.deps.store.enrollment();
        if (!current) return null; // wiped by an earlier command of this answer
        const check = await this.verify(current, signed, challenge);
        if (!check.ok) return void (await this.refused(check.code, 'recheck'));
        await this.act(current, check.command, check.issuedAtMs);
        return check.command.command;
      });
      if (done === null) break;
      if (done) acted.push(done);
    }
    return acted.length ? { ok: true, acted } : { ok: false, reason: 'no signed command' };
  }

  /** One command at a time: check-then-remember of a nonce must not interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  private async verify(enrollment: Enrollment, signed: unknown, challenge?: string) {
    return verifyDeviceCommand(this.deps.subtle, signed, {
      pinned: { keyId: enrollment.publicKey.keyId, jwk: enrollment.publicKey.jwk },
      deviceId: enrollment.deviceId,
      now: this.deps.now().getTime(),
      seen: await this.deps.store.nonces(this.deps.now().getTime()),
      challenge,
    });
  }

  private async act(enrollment: Enrollment, command: DeviceCommand, issuedAtMs: number) {
    const { store } = this.deps;
    const now = this.deps.now().getTime();
    await store.setNonces(rememberNonce(await store.nonces(now), command.nonce, issuedAtMs, now));
    switch (command.command) {
      case 'wipe':
        return this.deps.onWipe();
      case 'revoke':
        return this.deps.onRevoke();
      case 'move': {
        const changed =
          command.groupId !== enrollment.groupId ||
          (command.version ?? 0) > (enrollment.minVersion ?? 0);
        if (!changed) return;
        await store.updateEnrollment({ groupId: command.groupId, minVersion: command.version });
        return this.deps.onMoved();
      }
    }
  }

  private refused(code: string, via: string, command?: string) {
    return this.deps.recorder.record(
      {
        kind: 'policy',
        level: 'BLOCK',
        outcome: 'blocked',
        detail: { reason: 'command_refused', code, via, ...(command ? { command } : {}) },
      },
      { auditUrlDetail: 'none' },
    );
  }
}
