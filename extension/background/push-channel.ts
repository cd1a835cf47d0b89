import { isInteger, isRecord } from '../shared/guards.ts';
import { backoffDelay, type Timers } from './backoff.ts';

/** The slice of the WebSocket interface the channel uses. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
}

export type PushEvent =
  | { type: 'hello'; version: number | null }
  /**
   * With `pushed` when the server sent the signed envelope along, or the signed delta from
   * the version before (both verified like fetched ones).
   */
  | { type: 'policy'; version: number | null; pushed?: PushedPolicy }
  /** A signed device command; acted on only when it verifies (device-commands.ts). */
  | { type: 'command'; command: unknown }
  /** The device's signed exception list, after an access request was decided. */
  | { type: 'exceptions'; list: unknown }
  /** Unsigned `revoked` / `wipe` frames (older servers, or anyone on the path): hints only. */
  | { type: 'revoked' }
  | { type: 'wipe' }
  /** The server closed with 4401/4403: the credential no longer works. */
  | { type: 'auth_failed'; code: number };

export type PushedPolicy =
  | { envelope: unknown; etag: string }
  /** Signed deltas from the envelope `baseEtag` names, to the one `etag` names. */
  | { deltas: unknown[]; etag: string; baseEtag: string };

export interface PushDeps {
  createSocket: (url: string) => SocketLike;
  timers: Timers;
  random: () => number;
  onEvent: (event: PushEvent) => void;
  onStateChange?: (connected: boolean) => void;
}

/** The server pings at least every 20 s; silence for this long means a dead connection. */
const SILENCE_MS = 65_000;

/**
 * The WebSocket push channel of docs/api.md. Its traffic is also what keeps the MV3 service
 * worker alive (a server message every 20 s resets the idle timer: docs/development.md,
 * "MV3 service worker lifetime"). It reconnects with
 * backoff when the connection drops, and gives up only when the server refuses the
 * credential (4401/4403) — then sync finds out whether the device was revoked.
 */
export class PushChannel {
  private socket: SocketLike | null = null;
  private target: { url: string; credential: string } | null = null;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private silenceTimer: unknown = null;
  private isConnected = false;

  constructor(private readonly deps: PushDeps) {}

  get connected(): boolean {
    return this.isConnected;
  }

  /** Sends a frame to the server if the channel is up (authenticated); false otherwise. */
  send(message: object): boolean {
    if (!this.socket || !this.isConnected) return false;
    try {
      this.socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Connects (or keeps the connection) to `serverUrl`. Idempotent. */
  open(serverUrl: string, credential: string): void {
    const url = `${serverUrl.replace(/^http/, 'ws')}/api/v1/device/push`;
    if (this.target?.url === url && this.target.credential === credential && this.socket) return;
    this.close();
    this.target = { url, credential };
    this.connect();
  }

  close(): void {
    this.target = null;
    this.deps.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.drop();
  }

  private connect(): void {
    const target = this.target;
    if (!target) return;
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(target.url);
    } catch {
      return this.scheduleReconnect();
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      // Browsers cannot set headers on a WebSocket: the first message authenticates.
      socket.send(JSON.stringify({ type: 'auth', credential: target.credential }));
      this.touch();
    });
    socket.addEventListener('message', (event: { data: unknown }) => {
      if (this.socket !== socket) return;
      this.touch();
      const message = parse(event.data);
      if (!message) return;
      if (message.type === 'hello') {
        this.attempt = 0;
        this.setConnected(true);
      }
      this.deps.onEvent(message);
    });
    socket.addEventListener('close', (event: { code: number }) => {
      if (this.socket !== socket) return;
      this.drop();
      if (event.code === 4401 || event.code === 4403) {
        this.target = null;
        this.deps.onEvent({ type: 'auth_failed', code: event.code });
        return;
      }
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (!this.target || this.reconnectTimer !== null) return;
    const delay = backoffDelay(this.attempt++, 1_000, 60_000, this.deps.random);
    this.reconnectTimer = this.deps.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  /** Restarts the silence watchdog: no ping for SILENCE_MS and the socket is presumed dead. */
  private touch(): void {
    this.deps.timers.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.deps.timers.setTimeout(() => {
      this.drop();
      this.scheduleReconnect();
    }, SILENCE_MS);
  }

  private drop(): void {
    this.deps.timers.clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
    const socket = this.socket;
    this.socket = null;
    this.setConnected(false);
    try {
      socket?.close(1000);
    } catch {
      // already closed
    }
  }

  private setConnected(value: boolean): void {
    if (this.isConnected === value) return;
    this.isConnected = value;
    this.deps.onStateChange?.(value);
  }
}

function parse(data: unknown): PushEvent | null {
  if (typeof data !== 'string') return null;
  let m: unknown;
  try {
    m = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(m)) return null;
  const version = isInteger(m.version) ? m.version : null;
  switch (m.type) {
    case 'hello':
      return { type: m.type, version };
    case 'policy':
      if (typeof m.etag === 'string' && isRecord(m.envelope))
        return { type: 'policy', version, pushed: { envelope: m.envelope, etag: m.etag } };
      if (typeof m.etag === 'string' && typeof m.baseEtag === 'string' && Array.isArray(m.deltas))
        return {
          type: 'policy',
          version,
          pushed: { deltas: m.deltas as unknown[], etag: m.etag, baseEtag: m.baseEtag },
        };
      return { type: 'policy', version };
    case 'command':
      return isRecord(m.command) ? { type: 'command', command: m.command } : null;
    case 'exceptions':
      return isRecord(m.list) ? { type: 'exceptions', list: m.list } : null;
    case 'revoked':
    case 'wipe':
      return { type: m.type };
    default:
      return null; // 'ping' and anything newer: traffic only
  }
}
