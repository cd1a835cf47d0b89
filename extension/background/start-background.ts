import { EXPIRY_ALARM } from './access-requests.ts';
import { Background, TICK_ALARM, type BackgroundDeps } from './background.ts';
import { createHandlers } from './handlers.ts';
import { routeMessage } from './message-router.ts';

/**
 * Builds the background and registers every listener synchronously, in the worker's first
 * turn: an event that woke a stopped worker is only delivered to listeners that exist by
 * then. Each listener waits on `ready` inside its handler, never before registering.
 */
export function startBackground(deps: BackgroundDeps): Background {
  const { platform } = deps;
  const bg = new Background(deps);
  const self = { id: platform.runtime.id, baseUrl: platform.runtime.getURL('/') };
  const handlers = createHandlers(bg, platform.runtime.version);
  const log = (what: string) => (e: unknown) => deps.log?.(`${what}: ${String(e)}`);

  platform.runtime.onMessage((message, sender) => routeMessage(handlers, message, sender, self));
  platform.webNavigation.onBeforeNavigate(
    (d) => void bg.navigation.onBeforeNavigate(d).catch(log('navigation')),
  );
  platform.webNavigation.onErrorOccurred(
    (d) => void bg.navigation.onErrorOccurred(d).catch(log('navigation')),
  );
  platform.webNavigation.onCommitted(
    (d) => void bg.navigation.onCommitted(d).catch(log('navigation')),
  );
  platform.downloads.onCreated((item) => void bg.downloads.onCreated(item).catch(log('download')));
  platform.alarms.onAlarm((alarm) => {
    if (alarm.name === TICK_ALARM) void bg.tick().catch(log('tick'));
    if (alarm.name === EXPIRY_ALARM)
      void bg.ready.then(() => bg.access.expire()).catch(log('exceptions'));
  });
  platform.storage.onManagedChanged(
    () => void bg.ready.then(() => bg.enrollFromManaged()).catch(log('managed')),
  );
  // Both only need to wake the worker: `ready` does the start-up work.
  platform.runtime.onStartup(() => undefined);
  platform.runtime.onInstalled(() => undefined);
  return bg;
}
