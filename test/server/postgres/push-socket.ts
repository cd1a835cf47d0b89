import { WebSocket } from 'ws';

export interface PushMessage {
  type: string;
  version?: number;
}

export interface PushSocket {
  messages: PushMessage[];
  closed: Promise<{ code: number }>;
  /** The next message of `type` after this call (or already received since `from`). */
  next(type: string, timeoutMs?: number): Promise<PushMessage>;
  close(): void;
}

/**
 * A device's push connection as the extension opens it: connects to `baseUrl`'s push
 * endpoint, authenticates with the device credential and waits for `hello`.
 */
export async function openPushSocket(baseUrl: string, credential: string): Promise<PushSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/device/push`);
  const messages: PushMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as PushMessage);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number }>((r) => ws.on('close', (code) => r({ code })));
  const next = (type: string, timeoutMs = 5000, from = messages.length) =>
    new Promise<PushMessage>((resolve, reject) => {
      const check = () => {
        const found = messages.slice(from).find((m) => m.type === type);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`no "${type}" push within ${timeoutMs} ms (got ${JSON.stringify(messages)})`),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const hello = next('hello', 5000, 0);
  ws.send(JSON.stringify({ type: 'auth', credential }));
  await hello;
  return {
    messages,
    closed,
    next: (type, timeoutMs) => next(type, timeoutMs),
    close: () => ws.close(),
  };
}
