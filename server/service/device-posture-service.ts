import {
  parseDevicePosture,
  POSTURE_FIELDS,
  type ReportedPosture,
} from '../../core/policy/access/device-posture.ts';
import type { DevicePosture } from '../../core/policy/access/types.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { DeviceRow, DeviceTrustRow } from '../store/types.ts';
import { hashToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';
import type { DeviceEvents } from './device-events.ts';

/** The posture fields whose change is worth an audit event (versions and signals, not times). */
const WATCHED = POSTURE_FIELDS.filter((k) => k !== 'policySince');

/** A device may report at most this many times a minute; more is dropped, not stored. */
export const REPORTS_PER_MINUTE = 6;

/**
 * What devices say about themselves, and what their silence says: the latest posture per
 * device (push heartbeat and device proofs), `silent` once a device has not reported for
 * `config.silentAfterMinutes`, `removed` when its uninstall URL is opened. Each change is
 * an audit event; losing a device (silent, removed) is told to `deviceEvents`.
 */
export class DevicePostureService {
  /** Per device: the minute window and how many reports it brought (push frames only). */
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    private readonly events: DeviceEvents,
  ) {}

  /** Stores a report (validated by the caller) and audits what changed; returns it with `reportedAt`. */
  async report(device: Pick<DeviceRow, 'id'>, posture: ReportedPosture): Promise<DevicePosture> {
    const at = isoNow(this.ctx);
    const before = await this.ctx.store.putDevicePosture(device.id, JSON.stringify(posture), at);
    const target = `device:${device.id}`;
    if (before?.silentSince) {
      await this.audit.record('system', 'device.back', target, { silentSince: before.silentSince });
    }
    const previous = before?.posture ? parseDevicePosture(JSON.parse(before.posture)) : null;
    const changed = WATCHED.filter((k) => previous?.[k] !== posture[k]);
    if (changed.length > 0) {
      const detail: Record<string, string | number | boolean> = { changed: changed.join(',') };
      for (const k of changed) detail[k] = posture[k] ?? 'none';
      await this.audit.record('system', 'device.posture', target, detail);
    }
    return { ...posture, reportedAt: at };
  }

  /**
   * A push frame's posture: validated here, ignored when malformed (the socket stays up) or
   * past `REPORTS_PER_MINUTE` for the device — a heartbeat is every few minutes, so a flood
   * of frames gets no database writes or audit events out of the server.
   */
  async reportRaw(device: Pick<DeviceRow, 'id'>, raw: unknown): Promise<DevicePosture | null> {
    const posture = parseDevicePosture(raw);
    if (!posture || !this.admit(device.id)) return null;
    return this.report(device, posture);
  }

  private admit(deviceId: string): boolean {
    const now = this.ctx.now();
    const w = this.windows.get(deviceId);
    if (!w || now - w.start >= 60_000) {
      // One entry per reporting device; stale windows go when the map grows large.
      if (this.windows.size > 100_000)
        for (const [id, old] of this.windows)
          if (now - old.start >= 60_000) this.windows.delete(id);
      this.windows.set(deviceId, { start: now, count: 1 });
      return true;
    }
    return ++w.count <= REPORTS_PER_MINUTE;
  }

  /** Each device's key, posture and presence as the admin's views show them, by device id. */
  async presence(deviceIds?: string[]): Promise<Map<string, DevicePresence>> {
    const rows =
      deviceIds?.length === 1
        ? [await this.ctx.store.getDeviceTrust(deviceIds[0]!)].filter((r) => r !== null)
        : await this.ctx.store.listDeviceTrust();
    return new Map(rows.map((r) => [r.deviceId, presenceOf(r)]));
  }

  async latest(deviceId: string): Promise<DevicePosture | null> {
    return postureOf(await this.ctx.store.getDeviceTrust(deviceId));
  }

  /**
   * Marks silent the devices that stopped reporting; run by the `device-silence` job.
   * Returns their ids.
   */
  async markSilent(): Promise<string[]> {
    const now = this.ctx.now();
    const cutoff = new Date(now - this.ctx.config.silentAfterMinutes * 60_000).toISOString();
    const ids = await this.ctx.store.markSilentDevices(cutoff, new Date(now).toISOString());
    for (const id of ids) {
      const device = await this.ctx.store.getDevice(id);
      await this.audit.record('system', 'device.silent', `device:${id}`, {
        minutes: this.ctx.config.silentAfterMinutes,
      });
      void this.events.emit('lost', {
        deviceId: id,
        userId: device?.userId ?? null,
        reason: 'silent',
      });
    }
    return ids;
  }

  /**
   * The uninstall URL was opened: with the device's current uninstall token, the device is
   * marked removed and its key dropped. `false` for anything else (nothing is revealed).
   */
  async removed(deviceId: string, token: string): Promise<boolean> {
    if (!(await this.ctx.store.markDeviceRemoved(deviceId, hashToken(token), isoNow(this.ctx))))
      return false;
    const device = await this.ctx.store.getDevice(deviceId);
    await this.audit.record('system', 'device.removed', `device:${deviceId}`);
    void this.events.emit('lost', { deviceId, userId: device?.userId ?? null, reason: 'removed' });
    return true;
  }
}

/** What the admin's device views show of a device's trust row (nothing secret). */
export interface DevicePresence {
  hasKey: boolean;
  posture: DevicePosture | null;
  silentSince: string | null;
  removedAt: string | null;
}

export const NO_PRESENCE: DevicePresence = {
  hasKey: false,
  posture: null,
  silentSince: null,
  removedAt: null,
};

function presenceOf(row: DeviceTrustRow): DevicePresence {
  return {
    hasKey: row.publicKey !== null,
    posture: postureOf(row),
    silentSince: row.silentSince,
    removedAt: row.removedAt,
  };
}

/** The stored posture with its receipt time, or null. */
export function postureOf(row: DeviceTrustRow | null): DevicePosture | null {
  if (!row?.posture || !row.postureAt) return null;
  const posture = parseDevicePosture(JSON.parse(row.posture));
  return posture ? { ...posture, reportedAt: row.postureAt } : null;
}
