import type { SocketLike } from '../../../extension/background/push-channel.ts';

type Handler = (event: never) => void;

/** A WebSocket stand-in: tests drive open/message/close and read what was sent. */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readonly sent: string[] = [];
  closed: number | null = null;
  private handlers = new Map<string, Handler[]>();

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code = 1000): void {
    this.closed = code;
  }

  addEventListener(type: string, listener: Handler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }

  emit(type: 'open' | 'error'): void;
  emit(type: 'message', event: { data: string }): void;
  emit(type: 'close', event: { code: number }): void;
  emit(type: string, event?: unknown): void {
    for (const h of this.handlers.get(type) ?? []) h(event as never);
  }

  /** Server → client message. */
  receive(message: unknown): void {
    this.emit('message', { data: JSON.stringify(message) });
  }
}
