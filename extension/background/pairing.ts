import type { PairResult, PendingPairView } from '../shared/messages.ts';
import { ExtensionError } from '../shared/reply.ts';
import type { Platform } from '../platform/types.ts';
import type { EnrollmentService } from './enrollment.ts';
import { RequestWindow } from './request-window.ts';
import { ApiError } from './server-api.ts';

interface PendingPair {
  requestId: string;
  token: string;
  serverUrl: string;
  tabId: number;
  frameId: number;
  createdAt: number;
}

/** The server's pairing tokens live 5 minutes; a request waiting longer is dead anyway. */
const PENDING_TTL_MS = 5 * 60_000;
/** Any web page can ask to pair: at most this many confirmation tabs per window. */
export const PAIR_REQUESTS_PER_WINDOW = 3;
export const PAIR_WINDOW_MS = 10 * 60_000;
const RECENT_KEY = 'pair:recent';
export const PAIR_PAGE_PATH = '/pages/pair.html';

export interface PairingDeps {
  platform: Platform;
  enrollment: EnrollmentService;
  /** The server managed storage pins, if any: a managed browser is never paired. */
  pinnedServer: () => Promise<string | undefined>;
  currentServer: () => Promise<string | undefined>;
  uuid: () => string;
  now: () => number;
}

/**
 * BYOD pairing. The bridge content script on the PWA's page forwards `{ token, serverUrl }`;
 * because any web page could post such a message, the user confirms on an extension page
 * that names the server — and says plainly when pairing replaces the current enrollment —
 * before the token is exchanged, and a page can open that page only a few times in ten
 * minutes. A browser managed through managed storage is never paired, not even with its
 * own server: an employee with an account in a laxer group would move it there. Pending
 * requests live in storage.session, so a worker stopped while the user reads the page
 * loses nothing; the result goes back to the bridge's frame by message.
 */
export class PairingService {
  private readonly recent: RequestWindow;

  constructor(private readonly deps: PairingDeps) {
    this.recent = new RequestWindow(
      deps.platform.storage.session,
      RECENT_KEY,
      PAIR_REQUESTS_PER_WINDOW,
      PAIR_WINDOW_MS,
    );
  }

  async request(token: string, serverUrl: string, tabId: number, frameId: number) {
    const pinned = await this.deps.pinnedServer();
    if (pinned) {
      throw new ExtensionError(
        'refused',
        `this browser is managed by your organisation (${pinned}) and cannot be paired`,
      );
    }
    await this.countRequest();
    const pending: PendingPair = {
      requestId: this.deps.uuid(),
      token,
      serverUrl,
      tabId,
      frameId,
      createdAt: this.deps.now(),
    };
    await this.deps.platform.storage.session.set({ [key(pending.requestId)]: pending });
    await this.deps.platform.tabs.create({ url: this.pageUrl(pending.requestId) });
    return { requestId: pending.requestId };
  }

  async view(requestId: string): Promise<PendingPairView> {
    const pending = await this.load(requestId);
    const current = await this.deps.currentServer();
    return {
      serverUrl: pending.serverUrl,
      currentServerUrl: current,
      replaces: current !== undefined && current !== pending.serverUrl,
    };
  }

  async decide(requestId: string, accept: boolean): Promise<{ enrolled: boolean }> {
    const pending = await this.load(requestId);
    // Managed storage may have appeared since the request: check again before enrolling.
    if (accept && (await this.deps.pinnedServer())) {
      throw new ExtensionError('refused', 'this browser is managed and cannot be paired');
    }
    await this.deps.platform.storage.session.remove(key(requestId));
    let result: PairResult;
    if (!accept) {
      result = {
        ok: false,
        code: 'declined',
        message: 'The pairing was declined in the extension.',
      };
    } else {
      try {
        const enrollment = await this.deps.enrollment.pair(pending.serverUrl, pending.token);
        result = {
          ok: true,
          user: enrollment.user && { name: enrollment.user.name, email: enrollment.user.email },
        };
      } catch (error) {
        const code = error instanceof ApiError ? error.code : 'internal';
        result = {
          ok: false,
          code,
          message: error instanceof Error ? error.message : String(error),
        };
      }
    }
    await this.deps.platform.tabs
      .sendMessage(pending.tabId, { type: 'pair.result', body: result }, pending.frameId)
      .catch(() => undefined); // the PWA tab may be gone; the enrollment stands
    if (!result.ok && accept) throw new ExtensionError('refused', result.message);
    return { enrolled: result.ok };
  }

  private async countRequest(): Promise<void> {
    if (!(await this.recent.take(this.deps.now()))) {
      throw new ExtensionError(
        'refused',
        'too many pairing requests; wait a few minutes, then start again from the portal',
      );
    }
  }

  pageUrl(requestId: string): string {
    return `${this.deps.platform.runtime.getURL(PAIR_PAGE_PATH)}#${encodeURIComponent(requestId)}`;
  }

  private async load(requestId: string): Promise<PendingPair> {
    const k = key(requestId);
    const pending = (await this.deps.platform.storage.session.get(k))[k] as PendingPair | undefined;
    if (!pending || this.deps.now() - pending.createdAt > PENDING_TTL_MS) {
      throw new ExtensionError(
        'not_found',
        'this pairing request has expired; start again from the portal',
      );
    }
    return pending;
  }
}

const key = (requestId: string) => `pair:${requestId}`;
