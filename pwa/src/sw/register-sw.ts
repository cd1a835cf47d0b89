/**
 * Registers the Workbox service worker through workbox-window (the plugin's injected
 * registration would be an inline script, which the CSP forbids) and tells the app when
 * a new version is waiting, so the user chooses when to reload.
 */
import { Workbox } from 'workbox-window';

type Listener = (ready: boolean) => void;
const listeners = new Set<Listener>();
let waiting = false;
let wb: Workbox | null = null;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    waiting = true;
    for (const l of listeners) l(true);
  });
  // Once the new worker controls the page, load the new app shell it serves.
  wb.addEventListener('controlling', (e) => {
    if (e.isUpdate) location.reload();
  });
  void wb.register().catch(() => {
    // No service worker (e.g. a non-secure origin): the app still works online.
  });
}

/** Subscribes to "a new version is waiting"; returns the unsubscribe function. */
export function onUpdateReady(listener: Listener): () => void {
  listeners.add(listener);
  listener(waiting);
  return () => void listeners.delete(listener);
}

/** Activates the waiting worker; the `controlling` handler reloads the page. */
export function applyUpdate(): void {
  if (wb) wb.messageSkipWaiting();
  else location.reload();
}
