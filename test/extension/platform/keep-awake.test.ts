import { describe, expect, it } from 'vitest';
import { keepAwakeOnMessage } from '../../../extension/platform/keep-awake.ts';

describe('keepAwakeOnMessage', () => {
  it('makes one API call per message the socket receives, and none for other events', async () => {
    const socket = new EventTarget();
    let calls = 0;
    expect(keepAwakeOnMessage(socket, async () => void calls++)).toBe(socket);
    socket.dispatchEvent(new Event('open'));
    socket.dispatchEvent(new MessageEvent('message', { data: '{"type":"ping"}' }));
    socket.dispatchEvent(new MessageEvent('message', { data: '{"type":"policy"}' }));
    socket.dispatchEvent(new Event('close'));
    expect(calls).toBe(2);
  });

  it('a failing call (the API gone during shutdown) is swallowed, not an unhandled rejection', async () => {
    const socket = new EventTarget();
    const failures: unknown[] = [];
    const onUnhandled = (e: unknown) => failures.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      keepAwakeOnMessage(socket, () => Promise.reject(new Error('context unloaded')));
      socket.dispatchEvent(new MessageEvent('message', { data: 'x' }));
      await new Promise((r) => setTimeout(r, 10));
      expect(failures).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
