import type {
  DnrRule,
  DownloadItem,
  KeyValueArea,
  MessageListener,
  NavigationDetails,
  Platform,
  StorageAreaName,
  StorageChanges,
  TabInfo,
} from '../../../extension/platform/types.ts';

type Listener<A extends unknown[]> = (...args: A) => void;

class MemoryArea implements KeyValueArea {
  data = new Map<string, unknown>();
  constructor(private readonly onChange: (changes: StorageChanges) => void) {}

  async get(keys?: string | string[]): Promise<Record<string, unknown>> {
    const wanted = keys === undefined ? [...this.data.keys()] : Array.isArray(keys) ? keys : [keys];
    const out: Record<string, unknown> = {};
    for (const k of wanted) if (this.data.has(k)) out[k] = structuredClone(this.data.get(k));
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    const changes: StorageChanges = {};
    for (const [k, v] of Object.entries(items)) {
      changes[k] = { oldValue: this.data.get(k), newValue: v };
      this.data.set(k, structuredClone(v));
    }
    this.onChange(changes);
  }

  async remove(keys: string | string[]): Promise<void> {
    for (const k of Array.isArray(keys) ? keys : [keys]) this.data.delete(k);
  }
}

/**
 * An in-memory Platform for unit tests: storage areas, DNR rules, alarms, tabs, downloads
 * and navigation events, with `fire*` helpers to deliver browser events. Storage and DNR
 * state can be handed to a second instance to simulate a service-worker restart.
 */
export class FakePlatform implements Platform {
  readonly listeners = {
    message: [] as MessageListener[],
    storage: [] as Listener<[StorageChanges, StorageAreaName]>[],
    alarm: [] as Listener<[{ name: string }]>[],
    download: [] as Listener<[DownloadItem]>[],
    navigation: [] as Listener<[NavigationDetails]>[],
    navError: [] as Listener<[NavigationDetails & { error: string }]>[],
    committed: [] as Listener<[NavigationDetails]>[],
  };
  readonly areas: { local: MemoryArea; session: MemoryArea };
  managedValues: Record<string, unknown> = {};
  dnrRules: DnrRule[] = [];
  /** Session rules are the browser's memory: a new worker (shared) keeps them too. */
  sessionRules: DnrRule[] = [];
  readonly dnrUpdates: { removeRuleIds: number[]; addRules: DnrRule[] }[] = [];
  readonly alarmsCreated = new Map<string, { periodInMinutes?: number }>();
  readonly tabUpdates: { tabId: number; url: string }[] = [];
  readonly frameNavigations: { tabId: number; frameId: number; url: string }[] = [];
  readonly tabsCreated: string[] = [];
  readonly tabMessages: { tabId: number; frameId?: number; message: unknown }[] = [];
  /** What a content script in the active tab answers; undefined = no script there. */
  tabReply: ((message: unknown) => unknown) | undefined = undefined;
  activeTab: TabInfo | undefined = { id: 1, url: 'https://corp.test/' };
  readonly downloadCalls: string[] = [];

  constructor(shared?: FakePlatform) {
    const notify = (area: StorageAreaName) => (changes: StorageChanges) => {
      for (const l of this.listeners.storage) l(changes, area);
    };
    this.areas = shared
      ? shared.areas
      : { local: new MemoryArea(notify('local')), session: new MemoryArea(notify('session')) };
    if (shared) {
      this.dnrRules = shared.dnrRules;
      this.sessionRules = shared.sessionRules;
      this.managedValues = shared.managedValues;
      this.keyStore = shared.keyStore;
      this.selfInfo = shared.selfInfo;
      for (const [k, v] of shared.alarmsCreated) this.alarmsCreated.set(k, v);
    }
  }

  runtime: Platform['runtime'] = {
    id: 'palisadetestid',
    version: '0.1.0',
    getURL: (path) => `chrome-extension://palisadetestid/${path.replace(/^\//, '')}`,
    onMessage: (l) => void this.listeners.message.push(l),
    onStartup: () => undefined,
    onInstalled: () => undefined,
    sendMessage: async () => undefined,
  };

  storage: Platform['storage'] = {
    local: {
      get: (k) => this.areas.local.get(k),
      set: (i) => this.areas.local.set(i),
      remove: (k) => this.areas.local.remove(k),
    },
    session: {
      get: (k) => this.areas.session.get(k),
      set: (i) => this.areas.session.set(i),
      remove: (k) => this.areas.session.remove(k),
    },
    managed: { get: async () => structuredClone(this.managedValues) },
    onChanged: (l) => void this.listeners.storage.push(l),
    onManagedChanged: (l) =>
      void this.listeners.storage.push((_changes, area) => {
        if (area === 'managed') l();
      }),
  };

  dnr: Platform['dnr'] = {
    getDynamicRuleIds: async () => this.dnrRules.map((r) => r.id),
    updateDynamicRules: async (update) => {
      this.dnrUpdates.push(structuredClone(update));
      const gone = new Set(update.removeRuleIds);
      this.dnrRules.splice(
        0,
        this.dnrRules.length,
        ...this.dnrRules.filter((r) => !gone.has(r.id)),
        ...update.addRules,
      );
    },
    getSessionRules: async () => structuredClone(this.sessionRules),
    updateSessionRules: async (update) => {
      const gone = new Set(update.removeRuleIds);
      const kept = this.sessionRules.filter((r) => !gone.has(r.id));
      const ids = new Set(kept.map((r) => r.id));
      for (const r of update.addRules) {
        // As Chromium: a duplicate id fails the whole update.
        if (ids.has(r.id)) throw new Error(`Rule with id ${r.id} does not have a unique ID.`);
        ids.add(r.id);
      }
      this.sessionRules.splice(0, this.sessionRules.length, ...kept, ...update.addRules);
    },
  };

  alarms: Platform['alarms'] = {
    create: async (name, info) => void this.alarmsCreated.set(name, info),
    get: async (name) => (this.alarmsCreated.has(name) ? { name } : undefined),
    onAlarm: (l) => void this.listeners.alarm.push(l),
  };

  tabs: Platform['tabs'] = {
    update: async (tabId, { url }) => void this.tabUpdates.push({ tabId, url }),
    create: async ({ url }) => {
      this.tabsCreated.push(url);
      return { id: 99, url };
    },
    remove: async () => undefined,
    queryActive: async () => this.activeTab,
    sendMessage: async (tabId, message, frameId) => {
      this.tabMessages.push({ tabId, frameId, message });
      if (!this.tabReply)
        throw new Error('Could not establish connection. Receiving end does not exist.');
      return this.tabReply(message);
    },
    navigateFrame: async (tabId, frameId, url) =>
      void this.frameNavigations.push({ tabId, frameId, url }),
  };

  downloads: Platform['downloads'] = {
    onCreated: (l) => void this.listeners.download.push(l),
    cancel: async (id) => void this.downloadCalls.push(`cancel:${id}`),
    erase: async (id) => void this.downloadCalls.push(`erase:${id}`),
    pause: async (id) => void this.downloadCalls.push(`pause:${id}`),
    resume: async (id) => void this.downloadCalls.push(`resume:${id}`),
    removeFile: async (id) => void this.downloadCalls.push(`removeFile:${id}`),
  };

  /** The device key as IndexedDB would hold it (shared with a restarted worker). */
  keyStore: { pair: CryptoKeyPair | null } = { pair: null };
  deviceKeys: Platform['deviceKeys'] = {
    get: async () => this.keyStore.pair,
    put: async (pair) => void (this.keyStore.pair = pair),
    remove: async () => void (this.keyStore.pair = null),
  };

  /** What the browser says about itself; tests change fields to change the posture. */
  selfInfo = {
    browser: { name: 'chrome', version: '131.0.6778.85' },
    os: 'linux',
    installType: 'admin',
    incognitoAllowed: false,
    uninstallUrl: '',
  };
  self: Platform['self'] = {
    browser: async () => ({ ...this.selfInfo.browser }),
    os: async () => this.selfInfo.os,
    installType: async () => this.selfInfo.installType,
    incognitoAllowed: async () => this.selfInfo.incognitoAllowed,
    setUninstallUrl: async (url) => void (this.selfInfo.uninstallUrl = url),
  };

  webNavigation: Platform['webNavigation'] = {
    onBeforeNavigate: (l) => void this.listeners.navigation.push(l),
    onErrorOccurred: (l) => void this.listeners.navError.push(l),
    onCommitted: (l) => void this.listeners.committed.push(l),
  };

  /** Delivers a runtime message as the browser would, returning the first reply. */
  async send(message: unknown, sender: Parameters<MessageListener>[1]): Promise<unknown> {
    for (const l of this.listeners.message) {
      const reply = l(message, { id: this.runtime.id, ...sender });
      if (reply) return reply;
    }
    return undefined;
  }

  fireNavigation(d: NavigationDetails): void {
    for (const l of this.listeners.navigation) l(d);
  }

  fireCommitted(d: NavigationDetails): void {
    for (const l of this.listeners.committed) l(d);
  }

  fireDownload(item: DownloadItem): void {
    for (const l of this.listeners.download) l(item);
  }

  fireAlarm(name: string): void {
    for (const l of this.listeners.alarm) l({ name });
  }

  setManaged(values: Record<string, unknown>): void {
    this.managedValues = values;
    const changes: StorageChanges = {};
    for (const [k, v] of Object.entries(values)) changes[k] = { newValue: v };
    for (const l of this.listeners.storage) l(changes, 'managed');
  }
}
