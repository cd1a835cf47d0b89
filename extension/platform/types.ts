import type { DnrLimits } from '../../core/policy/dnr/dnr-types.ts';

/**
 * The extension APIs Palisade uses, as one typed adapter. `browser.ts` implements it over
 * webextension-polyfill; tests pass a fake. Nothing else in extension/ touches `chrome` or
 * `browser`, so the logic runs in Node and the polyfill (frozen upstream) stays replaceable.
 */

/** A sender as the runtime reports it; only what handlers check. */
export interface MessageSender {
  /** Extension id of the sender; must equal ours. */
  id?: string;
  url?: string;
  /** The frame's origin (Chromium); lets about:blank frames be judged by their creator. */
  origin?: string;
  tabId?: number;
  frameId?: number;
}

export type MessageListener = (
  message: unknown,
  sender: MessageSender,
) => Promise<unknown> | undefined;

export interface KeyValueArea {
  get(keys?: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export type StorageAreaName = 'local' | 'session' | 'managed' | 'sync';
export type StorageChanges = Record<string, { oldValue?: unknown; newValue?: unknown }>;

/** A declarativeNetRequest rule, structurally as chrome.declarativeNetRequest.Rule. */
export interface DnrRule {
  id: number;
  priority?: number;
  action: { type: string; redirect?: Record<string, unknown>; [k: string]: unknown };
  condition: Record<string, unknown>;
}

export interface DownloadItem {
  id: number;
  url: string;
  finalUrl?: string;
  referrer?: string;
  filename?: string;
  state?: string;
  incognito?: boolean;
}

export interface NavigationDetails {
  tabId: number;
  frameId: number;
  url: string;
  parentFrameId?: number;
}

export interface TabInfo {
  id?: number;
  url?: string;
}

/**
 * Where the device key lives: one ECDSA P-256 CryptoKeyPair in IndexedDB. A CryptoKey is
 * structured-cloned into the database as it is, so the private key, created
 * non-extractable, is never exported — not even to storage.
 */
export interface DeviceKeyStore {
  get(): Promise<CryptoKeyPair | null>;
  put(pair: CryptoKeyPair): Promise<void>;
  remove(): Promise<void>;
}

/** What the extension can learn about its browser and itself, for the posture report. */
export interface SelfInfo {
  /** Browser name and full version (`runtime.getBrowserInfo` in Firefox, the UA elsewhere). */
  browser(): Promise<{ name: string; version: string }>;
  /** `runtime.getPlatformInfo().os`. */
  os(): Promise<string>;
  /** `management.getSelf().installType` (no `management` permission needed for it). */
  installType(): Promise<string>;
  /** `extension.isAllowedIncognitoAccess()`. */
  incognitoAllowed(): Promise<boolean>;
  /** `runtime.setUninstallURL`; an empty string clears it. */
  setUninstallUrl(url: string): Promise<void>;
}

export interface Platform {
  runtime: {
    id: string;
    version: string;
    getURL(path: string): string;
    onMessage(listener: MessageListener): void;
    onStartup(listener: () => void): void;
    onInstalled(listener: () => void): void;
    sendMessage(message: unknown): Promise<unknown>;
  };
  storage: {
    local: KeyValueArea;
    session: KeyValueArea;
    managed: { get(): Promise<Record<string, unknown>> };
    onChanged(listener: (changes: StorageChanges, area: StorageAreaName) => void): void;
    /**
     * Changes of the managed area only. The browser then does not hand the worker the old and
     * new values of every storage.local write, as it does to an `onChanged` listener — after
     * each policy apply, ~20 MB of stored policy twice at a million filters.
     */
    onManagedChanged(listener: () => void): void;
  };
  dnr: {
    /** This browser's dynamic-rule limits (see dnr-limits.ts); absent = Chrome's. */
    limits?: Partial<DnrLimits>;
    getDynamicRuleIds(): Promise<number[]>;
    updateDynamicRules(update: { removeRuleIds: number[]; addRules: DnrRule[] }): Promise<void>;
    /** Session rules: kept in memory by the browser until it quits (or the extension reloads). */
    getSessionRules(): Promise<DnrRule[]>;
    updateSessionRules(update: { removeRuleIds: number[]; addRules: DnrRule[] }): Promise<void>;
  };
  alarms: {
    create(
      name: string,
      info: { periodInMinutes?: number; delayInMinutes?: number },
    ): Promise<void>;
    get(name: string): Promise<{ name: string } | undefined>;
    onAlarm(listener: (alarm: { name: string }) => void): void;
  };
  tabs: {
    update(tabId: number, props: { url: string }): Promise<void>;
    create(props: { url: string }): Promise<TabInfo>;
    remove(tabId: number): Promise<void>;
    queryActive(): Promise<TabInfo | undefined>;
    /** Resolves with the content script's reply, rejects when nothing listens there. */
    sendMessage(tabId: number, message: unknown, frameId?: number): Promise<unknown>;
    /**
     * Navigates one frame of a tab (`location.replace` run in it), e.g. a sub-frame to the
     * blocked page; `tabs.update` can only navigate the top-level frame.
     */
    navigateFrame(tabId: number, frameId: number, url: string): Promise<void>;
  };
  downloads: {
    onCreated(listener: (item: DownloadItem) => void): void;
    cancel(id: number): Promise<void>;
    erase(id: number): Promise<void>;
    /**
     * Holds a download while the user is asked. Where the browser cannot pause without
     * losing the download (Firefox, for a server without range requests) it does nothing:
     * the download runs on, and a cancel removes the file.
     */
    pause(id: number): Promise<void>;
    resume(id: number): Promise<void>;
    removeFile(id: number): Promise<void>;
  };
  deviceKeys: DeviceKeyStore;
  self: SelfInfo;
  webNavigation: {
    onBeforeNavigate(listener: (details: NavigationDetails) => void): void;
    onErrorOccurred(listener: (details: NavigationDetails & { error: string }) => void): void;
    onCommitted(listener: (details: NavigationDetails) => void): void;
  };
}

/** The parts a content script or an extension page may use. */
export type PagePlatform = Pick<Platform, 'runtime'>;
