import type { KeyValueArea } from '../platform/types.ts';
import type { ProvenUser } from '../shared/messages.ts';
import { ExtensionError, type ErrorCode } from '../shared/reply.ts';
import { RequestWindow } from './request-window.ts';
import { ApiError, type ApiFailure, type ServerApi } from './server-api.ts';
import type { Enrollment, StateStore } from './state-store.ts';

/** Any page of the server's origin can ask, like pairing: at most this many claims per window. */
export const CLAIM_REQUESTS_PER_WINDOW = 3;
export const CLAIM_WINDOW_MS = 10 * 60_000;
const RECENT_KEY = 'claim:recent';

/** The server's refusals of a claim, passed to the page as they are (docs/api.md). */
const SERVER_CODES: readonly ErrorCode[] = [
  'conflict',
  'device_limit',
  'token_invalid',
  'user_disabled',
];

export interface DeviceClaimDeps {
  store: StateStore;
  /** storage.session: the request window survives a worker restart. */
  session: KeyValueArea;
  apiFor: (enrollment: Enrollment) => ServerApi;
  now: () => number;
  /**
   * The credential was refused (401 other than the token's, 410): only a hint, as on upload;
   * the background asks for a signed command (docs/device-trust.md).
   */
  onAuthLost: (kind: 'revoked' | 'wiped') => void;
}

/**
 * A person proves a browser theirs. The browser is enrolled already — typically by the
 * organisation through managed storage, whose `userEmail` is only a claim — and the
 * person, signed in to the enrolled server's PWA in this same browser, hands the
 * extension a single-use token from `POST /me/device-claims`. The extension presents it
 * with its own device credential (`POST /device/claim`): the server then knows that
 * whoever holds that session also uses this browser. Only a page of the enrolled server's
 * own origin may ask; the person the server names is kept in the enrollment, so the popup
 * shows them and the server attributes this device's events to them.
 */
export class DeviceClaimService {
  private readonly recent: RequestWindow;

  constructor(private readonly deps: DeviceClaimDeps) {
    this.recent = new RequestWindow(
      deps.session,
      RECENT_KEY,
      CLAIM_REQUESTS_PER_WINDOW,
      CLAIM_WINDOW_MS,
    );
  }

  async claim(token: string, pageOrigin: string): Promise<{ user: ProvenUser }> {
    const enrollment = await this.deps.store.enrollment();
    if (!enrollment) throw new ExtensionError('not_enrolled', 'this browser is not enrolled');
    if (new URL(enrollment.serverUrl).origin !== pageOrigin) {
      throw new ExtensionError('forbidden', 'this browser belongs to another server');
    }
    if ((await this.deps.store.status()).revoked) {
      throw new ExtensionError('revoked', 'this browser’s enrollment was revoked by an admin');
    }
    if (!(await this.recent.take(this.deps.now()))) {
      throw new ExtensionError(
        'refused',
        'too many claim requests; wait a few minutes, then try again from the portal',
      );
    }
    let claimed: Awaited<ReturnType<ServerApi['claim']>>;
    try {
      claimed = await this.deps.apiFor(enrollment).claim(token);
    } catch (error) {
      throw this.refusal(error);
    }
    if (claimed.deviceId !== enrollment.deviceId) {
      throw new ExtensionError('server', 'the server answered for another device');
    }
    if (!(await this.deps.store.setEnrollmentUser(enrollment.deviceId, claimed.user))) {
      throw new ExtensionError('refused', 'this browser was enrolled again meanwhile; try again');
    }
    return { user: { name: claimed.user.name, email: claimed.user.email } };
  }

  /** The server's code and message when it refused the claim; ours for everything else. */
  private refusal(error: unknown): ExtensionError {
    if (!(error instanceof ApiError)) {
      return new ExtensionError('internal', error instanceof Error ? error.message : String(error));
    }
    if ((SERVER_CODES as readonly string[]).includes(error.code)) {
      return new ExtensionError(error.code as ErrorCode, error.message);
    }
    if (error.kind === 'revoked' || error.kind === 'wiped') this.deps.onAuthLost(error.kind);
    const code: Record<ApiFailure, ErrorCode> = {
      network: 'network',
      revoked: 'revoked',
      wiped: 'revoked',
      too_large: 'bad_request',
      rejected: 'refused',
      rate_limited: 'refused',
      server: 'server',
    };
    return new ExtensionError(code[error.kind], error.message);
  }
}
