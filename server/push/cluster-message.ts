/**
 * What travels between instances on the database's broadcast channel. `envelope` comes
 * from the database itself (the `group_envelopes_announce` trigger) in the transaction
 * that changed the envelope; the others are sent by the instance that handled the
 * request, tagged with its id (`from`) so it can skip its own.
 */
export type ClusterMessage =
  | { type: 'envelope'; groupId: string; version: number }
  | { type: 'revoked'; from: string; deviceId: string; command: string | null }
  | { type: 'wipe'; from: string; deviceId: string; command: string }
  | { type: 'exceptions'; from: string; deviceId: string }
  | {
      type: 'moved';
      from: string;
      deviceId: string;
      groupId: string;
      version: number;
      command: string;
    };

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
/** A signed command's JSON (a few hundred bytes; NOTIFY takes up to 8000). */
const signed = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= 4000;
const int = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Parses a payload from the channel; null for anything that is not a well-formed message. */
export function parseClusterMessage(payload: string): ClusterMessage | null {
  let m: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (!parsed || typeof parsed !== 'object') return null;
    m = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  switch (m.type) {
    case 'envelope':
      return str(m.groupId) && int(m.version)
        ? { type: 'envelope', groupId: m.groupId, version: m.version }
        : null;
    case 'revoked':
      return str(m.from) && str(m.deviceId) && (m.command === null || signed(m.command))
        ? { type: m.type, from: m.from, deviceId: m.deviceId, command: m.command }
        : null;
    case 'wipe':
      return str(m.from) && str(m.deviceId) && signed(m.command)
        ? { type: m.type, from: m.from, deviceId: m.deviceId, command: m.command }
        : null;
    case 'exceptions':
      return str(m.from) && str(m.deviceId)
        ? { type: 'exceptions', from: m.from, deviceId: m.deviceId }
        : null;
    case 'moved':
      return str(m.from) && str(m.deviceId) && str(m.groupId) && int(m.version) && signed(m.command)
        ? {
            type: 'moved',
            from: m.from,
            deviceId: m.deviceId,
            groupId: m.groupId,
            version: m.version,
            command: m.command,
          }
        : null;
    default:
      return null;
  }
}
