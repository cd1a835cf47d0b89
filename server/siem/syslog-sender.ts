import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { PayloadFormat, SyslogTarget } from '../store/types.ts';
import { formatPayload } from './format-payload.ts';
import { octetFrame, syslogMessage } from './syslog-message.ts';

const CONNECT_TIMEOUT_MS = 10_000;
/** A receiver that stops reading fails the batch (well within the 30 s lease). */
const SEND_TIMEOUT_MS = 15_000;

/**
 * A long-lived TCP (or TLS) connection to a syslog receiver. A batch counts as delivered
 * once the kernel took every byte of it (the write callback): syslog over TCP has no
 * acknowledgement, so what a receiver loses after that (its own crash) cannot be seen
 * here. A broken connection fails the batch and is opened again for the retry.
 */
export class SyslogSender {
  private socket: net.Socket | null = null;
  private readonly hostname = os.hostname();

  constructor(
    private readonly target: SyslogTarget,
    private readonly format: PayloadFormat,
  ) {}

  async send(events: StoredAuditEvent[]): Promise<void> {
    const frames = events.map((e) =>
      octetFrame(
        syslogMessage(e, formatPayload(this.format, e), {
          facility: this.target.facility,
          hostname: this.hostname,
        }),
      ),
    );
    const socket = await this.connected();
    await new Promise<void>((resolve, reject) => {
      const onClose = () => reject(new Error('the syslog receiver closed the connection'));
      const timer = setTimeout(
        () => reject(new Error('the syslog receiver took no data for 15 s')),
        SEND_TIMEOUT_MS,
      );
      socket.once('close', onClose);
      socket.write(Buffer.concat(frames), (err) => {
        clearTimeout(timer);
        socket.off('close', onClose);
        if (err) reject(err);
        else resolve();
      });
    }).catch((err: unknown) => {
      this.close();
      throw err;
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connected(): Promise<net.Socket> {
    const existing = this.socket;
    if (existing && !existing.destroyed && existing.writable) return Promise.resolve(existing);
    this.close();
    const { host, port, tls: useTls, caPem } = this.target;
    return new Promise((resolve, reject) => {
      const socket = useTls
        ? tls.connect({
            host,
            port,
            servername: net.isIP(host) ? undefined : host,
            // A pinned CA replaces the system store: only certificates it issued are accepted.
            ...(caPem ? { ca: [caPem] } : {}),
            rejectUnauthorized: true,
          })
        : net.connect({ host, port });
      const ready = useTls ? 'secureConnect' : 'connect';
      const timer = setTimeout(
        () => socket.destroy(new Error(`no connection to ${host}:${port} in 10 s`)),
        CONNECT_TIMEOUT_MS,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      socket.once('error', fail);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', fail);
        // Later errors surface as 'close' during a write; without a listener they would crash.
        socket.on('error', () => undefined);
        socket.setKeepAlive(true, 30_000);
        // The receiver never talks back; reading keeps a stray byte from filling buffers.
        socket.resume();
        this.socket = socket;
        resolve(socket);
      });
    });
  }
}
