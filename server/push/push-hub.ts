import type { WebSocket } from 'ws';
import { secondsSince, type Metrics } from '../metrics.ts';
import type { PushMessage, PushNotifier } from './push-notifier.ts';

/** Envelopes up to this size travel in the push frame; larger ones are fetched as deltas. */
export const PUSHED_ENVELOPE_MAX = 64 * 1024;

interface Peer {
  deviceId: string;
  /** The group's entry in `byGroup`: its id is then held once, not once per socket. */
  group: Group;
  /** Cleared at each heartbeat, set by the client's pong (or any message). */
  alive: boolean;
}

interface Group {
  id: string;
  sockets: Set<WebSocket>;
}

/** A socket this far behind on reading is dropped rather than buffered without bound. */
const MAX_BUFFERED = 1024 * 1024;

/**
 * The devices connected to this instance, indexed by device and by group. A publish
 * serialises its message once and writes that one buffer to each socket of the group — no
 * per-socket streams or timers — so a fan-out to 10,000+ devices is one loop of cheap
 * writes. What it holds per socket is kept small, as 20,000 sockets hold it 20,000 times:
 * a device almost always has one socket, indexed as itself rather than a one-element set.
 */
export class PushHub implements PushNotifier {
  private readonly peers = new Map<WebSocket, Peer>();
  private readonly byDevice = new Map<string, WebSocket | Set<WebSocket>>();
  private readonly byGroup = new Map<string, Group>();

  /**
   * Where the hub reads a group's current signed envelope to send with a `policy` push
   * (set once services exist); without it the push carries the version only.
   */
  envelopes:
    ((groupId: string) => Promise<{ version: number; etag: string; body: string } | null>) | null =
    null;

  /**
   * Where the hub reads the signed delta to a group's envelope of a version from the one
   * before it (set once services exist): a large envelope's push carries that delta instead.
   */
  deltaTo:
    | ((groupId: string, version: number) => Promise<{ baseEtag: string; delta: string } | null>)
    | null = null;

  /** Where the hub reads a device's signed exception list (set once services exist). */
  exceptionLists: ((deviceId: string) => Promise<string>) | null = null;

  constructor(private readonly metrics?: Metrics) {}

  get size(): number {
    return this.peers.size;
  }

  add(ws: WebSocket, deviceId: string, groupId: string): void {
    if (this.peers.has(ws)) this.remove(ws);
    this.peers.set(ws, { deviceId, group: this.join(groupId, ws), alive: true });
    const had = this.byDevice.get(deviceId);
    if (!had) this.byDevice.set(deviceId, ws);
    else if (had instanceof Set) had.add(ws);
    else if (had !== ws) this.byDevice.set(deviceId, new Set([had, ws]));
  }

  remove(ws: WebSocket): void {
    const peer = this.peers.get(ws);
    if (!peer) return;
    this.peers.delete(ws);
    this.leave(peer.group, ws);
    const had = this.byDevice.get(peer.deviceId);
    if (had === ws) this.byDevice.delete(peer.deviceId);
    else if (had instanceof Set) {
      had.delete(ws);
      if (had.size === 1) this.byDevice.set(peer.deviceId, had.values().next().value!);
    }
  }

  /** The sockets of one device (usually one). */
  private socketsOf(deviceId: string): WebSocket[] {
    const had = this.byDevice.get(deviceId);
    return had instanceof Set ? [...had] : had ? [had] : [];
  }

  private join(groupId: string, ws: WebSocket): Group {
    let group = this.byGroup.get(groupId);
    if (!group) this.byGroup.set(groupId, (group = { id: groupId, sockets: new Set() }));
    group.sockets.add(ws);
    return group;
  }

  private leave(group: Group, ws: WebSocket): void {
    group.sockets.delete(ws);
    if (group.sockets.size === 0 && this.byGroup.get(group.id) === group) {
      this.byGroup.delete(group.id);
    }
  }

  /** The device an authenticated socket belongs to. */
  deviceOf(ws: WebSocket): string | undefined {
    return this.peers.get(ws)?.deviceId;
  }

  markAlive(ws: WebSocket): void {
    const peer = this.peers.get(ws);
    if (peer) peer.alive = true;
  }

  policy(groupId: string, version: number): void {
    if (!this.byGroup.get(groupId)?.sockets.size) return;
    const start = performance.now();
    void this.policyFrame(groupId, version).then((data) => {
      // The group's sockets when the frame is ready (a Set survives `write` dropping one).
      const sent = this.writeAll(this.byGroup.get(groupId)?.sockets ?? [], data);
      this.metrics?.observeFanout(secondsSince(start), sent);
    });
  }

  revoked(deviceId: string, command: string | null): void {
    const sockets = this.socketsOf(deviceId);
    if (command) this.writeAll(sockets, commandFrame(command));
    for (const ws of sockets) {
      ws.close(4403, 'revoked');
      this.remove(ws);
    }
  }

  wipe(deviceId: string, command: string): void {
    this.writeAll(this.socketsOf(deviceId), commandFrame(command));
  }

  moved(deviceId: string, groupId: string, version: number, command: string): void {
    const sockets = this.socketsOf(deviceId);
    for (const ws of sockets) {
      const peer = this.peers.get(ws)!;
      this.leave(peer.group, ws);
      peer.group = this.join(groupId, ws);
    }
    // The command first: the device then accepts the new group's envelope that follows.
    this.writeAll(sockets, commandFrame(command));
    if (sockets.length === 0) return;
    void this.policyFrame(groupId, version).then((frame) => this.writeAll(sockets, frame));
  }

  exceptions(deviceId: string): void {
    const sockets = this.socketsOf(deviceId);
    if (sockets.length === 0 || !this.exceptionLists) return;
    void this.exceptionLists(deviceId).then(
      (list) => {
        // Signed JSON already: spliced, like the envelope.
        const data = Buffer.from(`{"type":"exceptions","list":${list}}`);
        for (const ws of sockets) this.write(ws, data);
      },
      () => undefined, // the device finds out at its next sync
    );
  }

  /**
   * The `policy` frame, with the group's signed envelope when the hub can read it and it is
   * small. A large one (a big list) is not sent: the frame carries the signed delta from the
   * version before (`baseEtag` names it), which the devices holding that version apply as
   * a fetched one, and the others fetch the deltas from the version they hold (delta-sync);
   * with no such delta it names the version only.
   */
  private async policyFrame(groupId: string, version: number): Promise<Buffer> {
    const bare = () => Buffer.from(JSON.stringify({ type: 'policy', version }));
    if (!this.envelopes) return bare();
    try {
      const served = await this.envelopes(groupId);
      if (!served) return bare();
      const head = `{"type":"policy","version":${version},"etag":${JSON.stringify(served.etag)}`;
      // Signed JSON already: spliced in rather than parsed and re-serialised.
      if (served.body.length <= PUSHED_ENVELOPE_MAX)
        return Buffer.from(`${head},"envelope":${served.body}}`);
      // A newer publish may already be served: then its own push follows, not this one's delta.
      const delta = served.version === version ? await this.deltaTo?.(groupId, version) : null;
      return delta && delta.delta.length <= PUSHED_ENVELOPE_MAX
        ? Buffer.from(
            `${head},"baseEtag":${JSON.stringify(delta.baseEtag)},"deltas":[${delta.delta}]}`,
          )
        : bare();
    } catch {
      return bare();
    }
  }

  /**
   * One heartbeat: every socket gets a `ping` message (what keeps an MV3 service worker
   * alive) and a protocol ping; a socket that answered nothing since the last beat is
   * terminated.
   */
  heartbeat(): void {
    const data = Buffer.from(JSON.stringify({ type: 'ping' } satisfies PushMessage));
    let sent = 0;
    for (const [ws, peer] of this.peers) {
      if (!peer.alive) {
        ws.terminate();
        this.remove(ws);
        continue;
      }
      peer.alive = false;
      if (this.write(ws, data)) sent++;
      ws.ping();
    }
    this.metrics?.countPushMessages(sent);
  }

  /** Sends a message to one socket (used for `hello`). */
  send(ws: WebSocket, message: PushMessage): void {
    this.writeAll([ws], Buffer.from(JSON.stringify(message)));
  }

  closeAll(code: number, reason: string): void {
    for (const ws of this.peers.keys()) ws.close(code, reason);
    this.peers.clear();
    this.byDevice.clear();
    this.byGroup.clear();
  }

  /** Writes one buffer to each socket and counts what was sent; returns that count. */
  private writeAll(sockets: Iterable<WebSocket>, data: Buffer): number {
    let sent = 0;
    for (const ws of sockets) if (this.write(ws, data)) sent++;
    this.metrics?.countPushMessages(sent);
    return sent;
  }

  /** False when the socket is closed, or too far behind and dropped. */
  private write(ws: WebSocket, data: Buffer): boolean {
    if (ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.terminate();
      this.remove(ws);
      return false;
    }
    ws.send(data, { binary: false });
    return true;
  }
}

/** A command is signed JSON already: spliced, like the envelope. */
function commandFrame(command: string): Buffer {
  return Buffer.from(`{"type":"command","command":${command}}`);
}
