/** What keeps a Firefox event page awake: any extension API call (it resets the idle timer). */
export type TouchApi = () => Promise<unknown>;

/**
 * Makes every message the push socket receives count as background activity, as it does in
 * Chrome. Chrome 116+ keeps an MV3 service worker alive while its WebSocket has traffic, so
 * the server's ping every 20 s keeps the push channel up. Firefox suspends the event page
 * 30 s after the last extension event whatever its sockets do (tried on Firefox ESR 153:
 * after 50 s idle a published policy reached the browser only at the next one-minute alarm,
 * 10 s later), but an extension API call resets that timer (with one per ping: 0.2 s). So in
 * Firefox each received message makes one cheap call. It keeps the page awake only while
 * the server keeps talking, exactly as long as Chrome would.
 *
 * @example
 * keepAwakeOnMessage(new WebSocket(url), () => browser.runtime.getPlatformInfo());
 */
export function keepAwakeOnMessage<S extends Pick<WebSocket, 'addEventListener'>>(
  socket: S,
  touch: TouchApi,
): S {
  socket.addEventListener('message', () => void touch().catch(() => undefined));
  return socket;
}
