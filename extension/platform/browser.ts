import browser from 'webextension-polyfill';
import type { DeclarativeNetRequest, Runtime } from 'webextension-polyfill';
import { dnrLimitsOf, type DnrConstants } from './dnr-limits.ts';
import { idbDeviceKeys } from './idb-device-keys.ts';
import { keepAwakeOnMessage } from './keep-awake.ts';
import type { DnrRule, MessageSender, PagePlatform, Platform, StorageAreaName } from './types.ts';

export type * from './types.ts';

/**
 * The one module that imports webextension-polyfill. It maps the browser's API onto the
 * `Platform` interface; listeners are added synchronously so that an MV3 service worker
 * woken by an event finds them registered on its first turn.
 */
export function createBrowserPlatform(): Platform {
  const gecko = isGecko();
  return {
    runtime: createRuntime(),
    storage: {
      local: browser.storage.local,
      session: browser.storage.session,
      managed: {
        // Firefox rejects when no policy exists and Chromium resolves {}: both mean "none".
        get: () => browser.storage.managed.get().catch(() => ({})),
      },
      onChanged: (listener) =>
        browser.storage.onChanged.addListener((changes, area) =>
          listener(changes, area as StorageAreaName),
        ),
      onManagedChanged: (listener) => {
        // StorageArea.onChanged is Chrome 73+ and Firefox 101+; elsewhere the global event.
        const managed = browser.storage.managed as Partial<typeof browser.storage.managed>;
        if (managed.onChanged) managed.onChanged.addListener(() => listener());
        else
          browser.storage.onChanged.addListener((_changes, area) => {
            if (area === 'managed') listener();
          });
      },
    },
    dnr: {
      limits: dnrLimitsOf(browser.declarativeNetRequest as unknown as DnrConstants),
      getDynamicRuleIds: async () =>
        (await browser.declarativeNetRequest.getDynamicRules()).map((r) => r.id),
      updateDynamicRules: ({ removeRuleIds, addRules }) =>
        browser.declarativeNetRequest.updateDynamicRules({
          removeRuleIds,
          addRules: addRules as unknown as DeclarativeNetRequest.Rule[],
        }),
      getSessionRules: async () =>
        (await browser.declarativeNetRequest.getSessionRules()) as unknown as DnrRule[],
      updateSessionRules: ({ removeRuleIds, addRules }) =>
        browser.declarativeNetRequest.updateSessionRules({
          removeRuleIds,
          addRules: addRules as unknown as DeclarativeNetRequest.Rule[],
        }),
    },
    alarms: {
      create: async (name, info) => browser.alarms.create(name, info),
      get: (name) => browser.alarms.get(name),
      onAlarm: (listener) => browser.alarms.onAlarm.addListener(listener),
    },
    tabs: {
      update: async (tabId, props) => void (await browser.tabs.update(tabId, props)),
      create: (props) => browser.tabs.create(props),
      remove: (tabId) => browser.tabs.remove(tabId),
      queryActive: async () =>
        (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0],
      sendMessage: (tabId, message, frameId) =>
        browser.tabs.sendMessage(tabId, message, frameId === undefined ? {} : { frameId }),
      navigateFrame: async (tabId, frameId, url) =>
        void (await browser.scripting.executeScript({
          target: { tabId, frameIds: [frameId] },
          injectImmediately: true,
          func: (to: string) => location.replace(to),
          args: [url],
        })),
    },
    downloads: {
      onCreated: (listener) =>
        browser.downloads.onCreated.addListener((item) =>
          listener({ ...item, finalUrl: (item as { finalUrl?: string }).finalUrl }),
        ),
      cancel: (id) => browser.downloads.cancel(id),
      erase: async (id) => void (await browser.downloads.erase({ id })),
      // Firefox's pause cancels the request and keeps the bytes only if the server supports
      // range requests; otherwise the download ends "interrupted" (USER_CANCELED,
      // canResume: false) and resume refuses. So Firefox is not paused: the WARN dialog
      // asks while it runs, and a cancel removes the file (see the guard's stop()).
      pause: gecko ? async () => undefined : (id) => browser.downloads.pause(id),
      resume: gecko ? async () => undefined : (id) => browser.downloads.resume(id),
      removeFile: (id) => browser.downloads.removeFile(id),
    },
    deviceKeys: idbDeviceKeys(),
    self: {
      browser: async () => browserInfo(),
      os: async () => (await browser.runtime.getPlatformInfo()).os,
      // Chrome and Firefox both let an extension read its own entry without `management`.
      installType: async () => (await browser.management.getSelf()).installType ?? 'other',
      incognitoAllowed: async () => browser.extension.isAllowedIncognitoAccess(),
      setUninstallUrl: async (url) => browser.runtime.setUninstallURL(url),
    },
    webNavigation: {
      onBeforeNavigate: (listener) =>
        browser.webNavigation.onBeforeNavigate.addListener((d) =>
          listener({
            tabId: d.tabId,
            frameId: d.frameId,
            url: d.url,
            parentFrameId: d.parentFrameId,
          }),
        ),
      onErrorOccurred: (listener) =>
        browser.webNavigation.onErrorOccurred.addListener((d) =>
          listener({
            tabId: d.tabId,
            frameId: d.frameId,
            url: d.url,
            error: (d as { error?: string }).error ?? '',
          }),
        ),
      onCommitted: (listener) =>
        browser.webNavigation.onCommitted.addListener((d) =>
          listener({ tabId: d.tabId, frameId: d.frameId, url: d.url }),
        ),
    },
  };
}

/**
 * The push channel's WebSocket. In Firefox its messages also keep the event page awake
 * (see keep-awake.ts); in Chrome its traffic already does.
 */
export function createPushSocket(url: string): WebSocket {
  const socket = new WebSocket(url);
  return isGecko() ? keepAwakeOnMessage(socket, () => browser.runtime.getPlatformInfo()) : socket;
}

/**
 * The browser and its version: Firefox says so itself; Chromium's full version comes from
 * User-Agent Client Hints (the UA string's minor numbers are frozen at 0), else the UA.
 */
async function browserInfo(): Promise<{ name: string; version: string }> {
  const runtime = browser.runtime as {
    getBrowserInfo?: () => Promise<{ name: string; version: string }>;
  };
  if (runtime.getBrowserInfo) {
    const info = await runtime.getBrowserInfo();
    return { name: info.name.toLowerCase(), version: info.version };
  }
  const hints = (navigator as { userAgentData?: UaData }).userAgentData;
  if (hints) {
    const { fullVersionList = [] } = await hints.getHighEntropyValues(['fullVersionList']);
    const brand =
      fullVersionList.find((b) => /^(Google Chrome|Microsoft Edge|Chromium)$/.test(b.brand)) ??
      fullVersionList.find((b) => !/Not.?A.?Brand/i.test(b.brand));
    if (brand) {
      const name = /Edge/.test(brand.brand) ? 'edge' : 'chrome';
      return { name, version: brand.version };
    }
  }
  return {
    name: 'chrome',
    version: /Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? 'unknown',
  };
}

interface UaData {
  getHighEntropyValues(
    hints: string[],
  ): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
}

/** Firefox (Gecko) is the browser whose runtime has `getBrowserInfo`; Chrome's has none. */
function isGecko(): boolean {
  return typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
}

/** The runtime slice, which content scripts and extension pages use too. */
export function createPagePlatform(): PagePlatform {
  return { runtime: createRuntime() };
}

function createRuntime(): Platform['runtime'] {
  return {
    id: browser.runtime.id,
    version: browser.runtime.getManifest().version,
    getURL: (path) => browser.runtime.getURL(path),
    onMessage: (listener) =>
      browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
        const from: MessageSender = {
          id: sender.id,
          url: sender.url,
          origin: (sender as { origin?: string }).origin,
          tabId: sender.tab?.id,
          frameId: sender.frameId,
        };
        // Returning undefined lets another listener answer; a promise is our reply.
        return listener(message, from);
      }),
    onStartup: (listener) => browser.runtime.onStartup.addListener(listener),
    onInstalled: (listener) => browser.runtime.onInstalled.addListener(() => listener()),
    sendMessage: (message) => browser.runtime.sendMessage(message),
  };
}
