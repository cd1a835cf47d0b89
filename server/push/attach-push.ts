import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Services } from '../service/services.ts';
import { signCommand } from '../service/sign-command.ts';
import type { PushHub } from './push-hub.ts';

export const PUSH_PATH = '/api/v1/device/push';

export interface PushOptions {
  hub: PushHub;
  services: Services;
  log: Logger;
  /** Heartbeat period; the MV3 worker needs a message at least every 20 s (ENVIRONMENT.md). */
  heartbeatMs?: number;
  /** How long a socket may stay unauthenticated. */
  authTimeoutMs?: number;
}

/**
 * The push channel: a WebSocket on `/api/v1/device/push`, taken over from the HTTP
 * server's `upgrade` event. A browser WebSocket cannot send headers, so the first message
 * authenticates: `{ "type": "auth", "credential": "…" }` within 10 s, else close 4401.
 * Returns a function that stops the heartbeat and closes every socket.
 *
 * What a connection costs is what 20,000 of them cost, so nothing here is per socket but
 * the socket itself: the event handlers are shared (ws calls them with the socket as
 * `this`), sockets awaiting their auth message sit in one map swept by one timer, and the
 * hub's heartbeat is one interval for all.
 */
export function attachPush(server: Server, opts: PushOptions): () => void {
  const { hub, services, log } = opts;
  const authTimeoutMs = opts.authTimeoutMs ?? 10_000;
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 4096,
    clientTracking: false,
  });
  /** Sockets that sent no message yet, with the time by which they must authenticate. */
  const awaitingAuth = new Map<WebSocket, number>();

  const authenticate = async (ws: WebSocket, raw: RawData) => {
    const credential = credentialOf(raw);
    let device;
    try {
      device = await services.devices.authenticate(credential ?? undefined);
    } catch (err) {
      // A revoked device learns it from GET /device/commands, signed; the close is a hint.
      const revoked = err instanceof ApiError && err.code === 'device_revoked';
      return ws.close(revoked ? 4403 : 4401, revoked ? 'revoked' : 'bad credential');
    }
    if (ws.readyState !== ws.OPEN) return;
    hub.add(ws, device.id, device.groupId);
    if (device.status === 'wipe_pending') {
      return hub.send(ws, {
        type: 'command',
        command: await signCommand(services.ctx, device.id, 'wipe'),
      });
    }
    const served = await services.envelopes.get(device.groupId);
    hub.send(ws, { type: 'hello', version: served?.version ?? 0 });
  };

  function onError(this: WebSocket) {
    this.terminate();
  }
  function onPong(this: WebSocket) {
    hub.markAlive(this);
  }
  function onClose(this: WebSocket) {
    awaitingAuth.delete(this);
    hub.remove(this);
  }
  function onMessage(this: WebSocket, raw: RawData) {
    // One attempt per socket: later messages (while it runs, or after) mark it alive, and a
    // posture heartbeat from an authenticated socket is stored.
    if (!awaitingAuth.delete(this)) {
      hub.markAlive(this);
      const deviceId = hub.deviceOf(this);
      const posture = deviceId ? postureOf(raw) : undefined;
      if (deviceId && posture !== undefined) {
        services.posture.reportRaw({ id: deviceId }, posture).catch((err: unknown) => {
          log.warn('posture report failed', {
            error: err instanceof Error ? err.message : String(err),
          });
        });
      }
      return;
    }
    authenticate(this, raw).catch((err: unknown) => {
      log.warn('push auth failed', { error: err instanceof Error ? err.message : String(err) });
      this.close(4401, 'bad credential');
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== PUSH_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, onConnection);
  });

  function onConnection(ws: WebSocket) {
    awaitingAuth.set(ws, Date.now() + authTimeoutMs);
    ws.on('error', onError);
    ws.on('pong', onPong);
    ws.on('close', onClose);
    ws.on('message', onMessage);
  }

  // A socket may so overstay its deadline by a fifth of it, at most a second.
  const sweep = setInterval(
    () => {
      const now = Date.now();
      // In arrival order, so deadline order: stop at the first still in time.
      for (const [ws, deadline] of awaitingAuth) {
        if (deadline > now) break;
        awaitingAuth.delete(ws);
        ws.close(4401, 'authenticate first');
      }
    },
    Math.min(1000, authTimeoutMs / 5),
  );
  sweep.unref();
  const beat = setInterval(() => hub.heartbeat(), opts.heartbeatMs ?? 20_000);
  beat.unref();
  return () => {
    clearInterval(sweep);
    clearInterval(beat);
    for (const ws of awaitingAuth.keys()) ws.close(1001, 'server shutting down');
    awaitingAuth.clear();
    hub.closeAll(1001, 'server shutting down');
    wss.close();
  };
}

function credentialOf(raw: RawData): string | null {
  try {
    const msg = JSON.parse(raw.toString()) as { type?: unknown; credential?: unknown };
    return msg.type === 'auth' && typeof msg.credential === 'string' ? msg.credential : null;
  } catch {
    return null;
  }
}

/** The posture of a `{ "type": "posture", "posture": {…} }` heartbeat (validated later), else undefined. */
function postureOf(raw: RawData): unknown {
  try {
    const msg = JSON.parse(raw.toString()) as { type?: unknown; posture?: unknown };
    return msg.type === 'posture' ? msg.posture : undefined;
  } catch {
    return undefined;
  }
}
