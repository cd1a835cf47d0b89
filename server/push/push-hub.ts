import type { WebSocket } from 'ws';
import type { Metrics } from '../metrics.ts';
import type { PushMessage, PushNotifier } from './push-notifier.ts';

interface Peer {
  deviceId: string;
  groupId: string;
  /** Cleared at each heartbeat, set by the client's pong (or any message). */
  alive: boolean;
}

/** A socket this far behind on reading is dropped rather than buffered without bound. */
const MAX_BUFFERED = 1024 * 1024;

/**
 * The devices connected to this instance, indexed by device and by group. A publish
 * serialises its message once and writes it to each socket of the group — no per-socket
 * streams or timers — so a fan-out to 10,000+ devices is one loop of cheap writes.
 */
export class PushHub implements PushNotifier {
  private readonly peers = new Map<WebSocket, Peer>();
  private readonly byDevice = new Map<string, Set<WebSocket>>();
  private readonly byGroup = new Map<string, Set<WebSocket>>();

  /**
   * Where the hub reads a group's current signed envelope to send with a `policy` push
   * (set once services exist); without it the push carries the version only.
   */
  envelopes: ((groupId: string) => Promise<{ etag: string; body: string } | null>) | null = null;

  constructor(private readonly metrics?: Metrics) {}

  get size(): number {
    return this.peers.size;
  }

  add(ws: WebSocket, deviceId: string, groupId: string): void {
    this.peers.set(ws, { deviceId, groupId, alive: true });
    index(this.byDevice, deviceId, ws);
    index(this.byGroup, groupId, ws);
  }

  remove(ws: WebSocket): void {
    const peer = this.peers.get(ws);
    if (!peer) return;
    this.peers.delete(ws);
    unindex(this.byDevice, peer.deviceId, ws);
    unindex(this.byGroup, peer.groupId, ws);
  }

  markAlive(ws: WebSocket): void {
    const peer = this.peers.get(ws);
    if (peer) peer.alive = true;
  }

  policy(groupId: string, version: number): void {
    const sockets = this.byGroup.get(groupId);
    if (!sockets?.size) return;
    void this.policyFrame(groupId, version).then((data) => {
      for (const ws of this.byGroup.get(groupId) ?? []) this.write(ws, data);
    });
  }

  revoked(deviceId: string, command: string | null): void {
    const sockets = [...(this.byDevice.get(deviceId) ?? [])];
    if (command) for (const ws of sockets) this.write(ws, commandFrame(command));
    for (const ws of sockets) {
      ws.close(4403, 'revoked');
      this.remove(ws);
    }
  }

  wipe(deviceId: string, command: string): void {
    const data = commandFrame(command);
    for (const ws of this.byDevice.get(deviceId) ?? []) this.write(ws, data);
  }

  moved(deviceId: string, groupId: string, version: number, command: string): void {
    const sockets = [...(this.byDevice.get(deviceId) ?? [])];
    const data = commandFrame(command);
    for (const ws of sockets) {
      const peer = this.peers.get(ws)!;
      unindex(this.byGroup, peer.groupId, ws);
      peer.groupId = groupId;
      index(this.byGroup, groupId, ws);
      this.write(ws, data);
    }
    // The command first: the device then accepts the new group's envelope that follows.
    if (sockets.length === 0) return;
    void this.policyFrame(groupId, version).then((frame) => {
      for (const ws of sockets) this.write(ws, frame);
    });
  }

  /** The `policy` frame, with the group's signed envelope when the hub can read it. */
  private async policyFrame(groupId: string, version: number): Promise<Buffer> {
    const bare = () => Buffer.from(JSON.stringify({ type: 'policy', version }));
    if (!this.envelopes) return bare();
    try {
      const served = await this.envelopes(groupId);
      // The envelope body is already JSON: splice it in rather than parse and re-serialise.
      return served
        ? Buffer.from(
            `{"type":"policy","version":${version},"etag":${JSON.stringify(served.etag)},"envelope":${served.body}}`,
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
    for (const [ws, peer] of this.peers) {
      if (!peer.alive) {
        ws.terminate();
        this.remove(ws);
        continue;
      }
      peer.alive = false;
      this.write(ws, data);
      ws.ping();
    }
  }

  /** Sends a message to one socket (used for `hello`). */
  send(ws: WebSocket, message: PushMessage): void {
    this.write(ws, Buffer.from(JSON.stringify(message)));
  }

  closeAll(code: number, reason: string): void {
    for (const ws of this.peers.keys()) ws.close(code, reason);
    this.peers.clear();
    this.byDevice.clear();
    this.byGroup.clear();
  }

  private sendAll(sockets: Set<WebSocket> | undefined, message: PushMessage): void {
    if (!sockets || sockets.size === 0) return;
    const data = Buffer.from(JSON.stringify(message));
    for (const ws of sockets) this.write(ws, data);
  }

  private write(ws: WebSocket, data: Buffer): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.terminate();
      this.remove(ws);
      return;
    }
    ws.send(data, { binary: false });
    if (this.metrics) this.metrics.pushMessagesSent++;
  }
}

/** A command is signed JSON already: spliced, like the envelope. */
function commandFrame(command: string): Buffer {
  return Buffer.from(`{"type":"command","command":${command}}`);
}

function index(map: Map<string, Set<WebSocket>>, key: string, ws: WebSocket): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(ws);
}

function unindex(map: Map<string, Set<WebSocket>>, key: string, ws: WebSocket): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(ws);
  if (set.size === 0) map.delete(key);
}
