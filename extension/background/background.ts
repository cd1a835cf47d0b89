import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { Platform } from '../platform/types.ts';
import { AccessRequests } from './access-requests.ts';
import { deferredQueue, type AuditQueue } from './audit-queue.ts';
import { AuditRecorder } from './audit-recorder.ts';
import { AuditUploader } from './audit-uploader.ts';
import { realTimers, type Timers } from './backoff.ts';
import { ClipboardProvenance } from './clipboard-provenance.ts';
import { ContentDecisions } from './content-decisions.ts';
import { DeviceClaimService } from './device-claim.ts';
import { DeviceCommands } from './device-commands.ts';
import { DeviceKey } from './device-key.ts';
import { DeviceProver } from './device-prover.ts';
import { DownloadGuard } from './download-guard.ts';
import { EnrollmentService } from './enrollment.ts';
import { parseManagedConfig } from './managed-config.ts';
import { NavigationGuard } from './navigation-guard.ts';
import { PairingService } from './pairing.ts';
import { PolicyState } from './policy-state.ts';
import { PolicySync } from './policy-sync.ts';
import { collectPosture, InstalledRuleCount } from './posture-report.ts';
import { PushChannel, type PushEvent, type SocketLike } from './push-channel.ts';
import { ServerApi, type DeviceInfo, type Fetch } from './server-api.ts';
import { StateStore, type Enrollment } from './state-store.ts';
import { TabMessenger } from './tab-messenger.ts';
import { v7 as uuidv7 } from 'uuid';

export interface BackgroundDeps {
  platform: Platform;
  fetch: Fetch;
  createSocket: (url: string) => SocketLike;
  subtle: Subtle;
  openQueue: () => Promise<AuditQueue>;
  device: DeviceInfo;
  now?: () => Date;
  uuid?: () => string;
  random?: () => number;
  /** Cryptographic random bytes (the challenge of a command re-check). */
  randomBytes?: (n: number) => Uint8Array;
  timers?: Timers;
  log?: (message: string) => void;
}

/** A poll every 5 minutes backs up the push channel; the alarm itself ticks every minute. */
export const TICK_ALARM = 'palisade-tick';
const POLL_EVERY_MS = 5 * 60_000;
/**
 * The posture heartbeat on the push channel: at each (re)connection and then at least this
 * often, well inside the server's default of 10 silent minutes.
 */
export const POSTURE_EVERY_MS = 4 * 60_000;

/**
 * The service worker's parts, wired together. Holds no state that matters across a
 * restart: everything durable is in storage.local, storage.session, IndexedDB or the
 * browser's DNR rules, and `ready` rebuilds the rest.
 */
export class Background {
  readonly store: StateStore;
  readonly queue: AuditQueue;
  readonly state: PolicyState;
  readonly recorder: AuditRecorder;
  readonly uploader: AuditUploader;
  readonly push: PushChannel;
  readonly sync: PolicySync;
  readonly commands: DeviceCommands;
  readonly enrollment: EnrollmentService;
  readonly pairing: PairingService;
  readonly claims: DeviceClaimService;
  readonly key: DeviceKey;
  readonly prover: DeviceProver;
  readonly navigation: NavigationGuard;
  readonly downloads: DownloadGuard;
  readonly decisions: ContentDecisions;
  readonly provenance: ClipboardProvenance;
  readonly access: AccessRequests;
  readonly ready: Promise<void>;
  private readonly now: () => Date;
  private readonly ruleCount: InstalledRuleCount;
  /** When the posture was last sent (0: not on this worker yet). */
  private postureSentAt = 0;
  /**
   * The last `serverUrl` managed storage gave (values can vanish for seconds on a relaunch:
   * docs/development.md, "Managed storage").
   */
  private managedServer: string | undefined;

  constructor(private readonly deps: BackgroundDeps) {
    const { platform } = deps;
    const now = (this.now = deps.now ?? (() => new Date()));
    // Time-ordered (UUIDv7) so each audit row lands at the end of the server's unique
    // event-id index instead of on a random page: about half the server CPU per event
    // (bench/README.md, "Durable audit ingest").
    const uuid = deps.uuid ?? (() => uuidv7());
    const random = deps.random ?? Math.random;
    const timers = deps.timers ?? realTimers;
    const apiFor = (e: Enrollment) => new ServerApi(deps.fetch, e.serverUrl, e.credential);

    this.store = new StateStore(platform.storage.local);
    this.key = new DeviceKey({ keys: platform.deviceKeys, subtle: deps.subtle });
    this.queue = deferredQueue(deps.openQueue());
    this.state = new PolicyState({
      platform,
      store: this.store,
      subtle: deps.subtle,
      now: () => now().getTime(),
    });
    this.ruleCount = new InstalledRuleCount({
      platform,
      now: () => now().getTime(),
      reuseMs: POSTURE_EVERY_MS,
    });
    this.recorder = new AuditRecorder({
      queue: this.queue,
      now,
      uuid,
      onQueued: () => void this.uploader.kick(),
    });
    this.provenance = new ClipboardProvenance(platform.storage.session);
    this.uploader = new AuditUploader({
      queue: this.queue,
      api: () => this.activeApi(),
      timers,
      random,
      // A 401 or 410 on upload is a hint: only a signed command stops the uploads.
      onAuthLost: (kind) =>
        void this.commands.recheck({
          command: kind === 'wiped' ? 'wipe' : 'revoke',
          via: 'upload',
        }),
      log: deps.log,
    });
    this.push = new PushChannel({
      createSocket: deps.createSocket,
      timers,
      random,
      onEvent: (event) => void this.onPush(event).catch((e) => deps.log?.(`push: ${String(e)}`)),
    });
    this.sync = new PolicySync({
      store: this.store,
      state: this.state,
      subtle: deps.subtle,
      recorder: this.recorder,
      apiFor,
      now,
      recheck: (claimed) => this.commands.recheck(claimed),
    });
    this.commands = new DeviceCommands({
      store: this.store,
      subtle: deps.subtle,
      recorder: this.recorder,
      apiFor,
      now,
      randomBytes:
        deps.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n)) as Uint8Array),
      onWipe: () => this.wipe(),
      onRevoke: () => this.revoke(),
      // Not awaited: a move found during a sync must not wait on that same sync.
      onMoved: async () => void this.sync.sync(),
    });
    this.enrollment = new EnrollmentService({
      store: this.store,
      device: deps.device,
      key: this.key,
      setUninstallUrl: (url) => platform.self.setUninstallUrl(url),
      apiFor: (serverUrl) => new ServerApi(deps.fetch, serverUrl),
      now,
      onEnrolled: async (e, previous) => {
        // Events recorded for another server are never sent to this one.
        if (previous && previous.serverUrl !== e.serverUrl) await this.queue.clear();
        await this.connect(e);
      },
    });
    this.pairing = new PairingService({
      platform,
      enrollment: this.enrollment,
      pinnedServer: () => this.pinnedServer(),
      currentServer: async () => (await this.store.enrollment())?.serverUrl,
      uuid,
      now: () => now().getTime(),
    });
    this.claims = new DeviceClaimService({
      store: this.store,
      session: platform.storage.session,
      apiFor,
      now: () => now().getTime(),
      onAuthLost: (kind) =>
        void this.commands.recheck({
          command: kind === 'wiped' ? 'wipe' : 'revoke',
          via: 'claim',
        }),
    });
    this.access = new AccessRequests({
      platform,
      store: this.store,
      state: this.state,
      subtle: deps.subtle,
      recorder: this.recorder,
      blockOf: (tabId, frameId) => this.navigation.recordFor(tabId, frameId),
      apiFor,
      now: () => now().getTime(),
    });
    this.prover = new DeviceProver({
      store: this.store,
      key: this.key,
      posture: () => this.posture(),
      now: () => now().getTime(),
    });
    this.ready = this.start();
    this.navigation = new NavigationGuard({
      platform,
      state: this.state,
      recorder: this.recorder,
      ready: this.ready,
    });
    this.downloads = new DownloadGuard({
      platform,
      state: this.state,
      recorder: this.recorder,
      tabs: new TabMessenger(platform),
      ready: this.ready,
    });
    this.decisions = new ContentDecisions({
      state: this.state,
      recorder: this.recorder,
      provenance: this.provenance,
      enrolled: async () => (await this.store.enrollment()) !== null,
    });
  }

  /**
   * Alarm tick: follow the URL schedules, reconnect, poll if push has been quiet, retry
   * uploads and enrollment.
   */
  async tick(): Promise<void> {
    await this.ready;
    await this.state.followSchedule(this.now());
    const [enrollment, status] = await Promise.all([this.store.enrollment(), this.store.status()]);
    if (!enrollment) return this.enrollFromManaged();
    if (status.revoked) return;
    this.push.open(enrollment.serverUrl, enrollment.credential);
    const last = status.lastSyncAt ? Date.parse(status.lastSyncAt) : 0;
    await this.access.expire();
    if (!this.push.connected || this.now().getTime() - last >= POLL_EVERY_MS) {
      await this.sync.sync();
      await this.access.sync();
    }
    await this.uploader.kick({ force: true });
    if (this.now().getTime() - this.postureSentAt >= POSTURE_EVERY_MS) await this.sendPosture();
  }

  /** The heartbeat: the posture, over the push channel when it is up. Never throws. */
  async sendPosture(): Promise<void> {
    try {
      const posture = await this.posture();
      if (this.push.send({ type: 'posture', posture })) this.postureSentAt = this.now().getTime();
    } catch (e) {
      this.deps.log?.(`posture: ${String(e)}`);
    }
  }

  /** Managed storage may change at any time, and its values can arrive late. */
  async enrollFromManaged(): Promise<void> {
    const config = parseManagedConfig(await this.deps.platform.storage.managed.get());
    this.managedServer = config.serverUrl ?? this.managedServer;
    await this.enrollment.enrollFromManaged(config).catch((e) => {
      void this.store.updateStatus({
        lastSyncError: `enrollment failed: ${String(e?.message ?? e)}`,
      });
    });
  }

  /** Worker start: compile the stored policy first (enforcement waits on it), then connect. */
  private async start(): Promise<void> {
    await this.access.load(); // the exceptions are compiled in with the policy
    const failed = await this.state.load();
    if (failed) {
      await this.recorder.record(
        {
          kind: 'policy',
          level: 'BLOCK',
          outcome: 'blocked',
          detail: { reason: failed.reason, stored: true },
        },
        { auditUrlDetail: 'none' },
      );
    }
    if (!(await this.deps.platform.alarms.get(TICK_ALARM))) {
      await this.deps.platform.alarms.create(TICK_ALARM, { periodInMinutes: 1 });
    }
    // Not awaited: the first managed read can take seconds, and the network longer.
    void this.afterStart();
  }

  private async afterStart(): Promise<void> {
    const [enrollment, status] = await Promise.all([this.store.enrollment(), this.store.status()]);
    if (enrollment && !status.revoked) await this.connect(enrollment);
    await this.enrollFromManaged();
  }

  private async connect(enrollment: Enrollment): Promise<void> {
    this.push.open(enrollment.serverUrl, enrollment.credential);
    await this.sync.sync();
    await this.access.sync();
    await this.uploader.kick({ force: true });
  }

  private async onPush(event: PushEvent): Promise<void> {
    switch (event.type) {
      case 'hello':
        // (Re)connected: the server may have published or come back from an outage.
        if (event.version !== this.state.active?.version) await this.sync.sync();
        await this.access.sync(); // a decision may have come while disconnected
        await this.sendPosture();
        await this.uploader.kick({ force: true });
        return;
      case 'policy':
        if (event.version === null || event.version !== this.state.active?.version) {
          await this.sync.sync(event.pushed);
          // A new policy changes the posture (version, rules): the server hears it now.
          await this.sendPosture();
        }
        return;
      case 'command':
        return this.commands.pushed(event.command);
      case 'exceptions':
        return this.access.pushed(event.list);
      case 'revoked':
      case 'wipe':
        // Unsigned: anyone on the path can send these. Ask the server, signed.
        await this.commands.recheck({
          command: event.type === 'wipe' ? 'wipe' : 'revoke',
          via: 'push',
        });
        return;
      case 'auth_failed':
        await this.commands.recheck();
    }
  }

  /** The posture as reported with the heartbeat and in device proofs. */
  posture() {
    return collectPosture({
      platform: this.deps.platform,
      state: this.state,
      store: this.store,
      ruleCount: this.ruleCount,
    });
  }

  /**
   * A verified revoke: stop syncing and uploading, keep enforcing the last policy (fail
   * closed). The device key goes: a revoked browser proves nothing and must enroll again.
   */
  private async revoke(): Promise<void> {
    this.push.close();
    await this.store.updateStatus({ revoked: true });
    await this.key.drop();
    await this.deps.platform.self.setUninstallUrl('').catch(() => undefined);
  }

  /**
   * A verified wipe: drop the policy, its rules, the queued events and the enrollment. A
   * force-installed browser then enrolls afresh from managed storage (docs/device-trust.md).
   */
  private async wipe(): Promise<void> {
    this.push.close();
    await this.state.clear();
    await this.queue.clear();
    await this.provenance.clear();
    await this.key.drop();
    await this.deps.platform.self.setUninstallUrl('').catch(() => undefined);
    await this.store.wipe();
    void this.enrollFromManaged();
  }

  /** The tab the user is looking at (for the popup). */
  platformTab() {
    return this.deps.platform.tabs.queryActive().catch(() => undefined);
  }

  private async activeApi(): Promise<ServerApi | null> {
    const [enrollment, status] = await Promise.all([this.store.enrollment(), this.store.status()]);
    if (!enrollment || status.revoked) return null;
    return new ServerApi(this.deps.fetch, enrollment.serverUrl, enrollment.credential);
  }

  /**
   * The server this browser belongs to, without waiting: its enrollment's, else the one
   * managed storage was last seen to pin in this worker (the first managed read can take
   * seconds, longer than a page waits for the bridge's answer).
   */
  async owningServer(): Promise<string | undefined> {
    return (await this.store.enrollment())?.serverUrl ?? this.managedServer;
  }

  /**
   * The server managed storage pins. An enrollment made from managed storage counts as a
   * pin too, because managed values can vanish for a few seconds on a relaunch
   * (docs/development.md, "Managed storage").
   */
  async pinnedServer(): Promise<string | undefined> {
    const config = parseManagedConfig(await this.deps.platform.storage.managed.get());
    this.managedServer = config.serverUrl ?? this.managedServer;
    if (config.serverUrl) return config.serverUrl;
    const enrollment = await this.store.enrollment();
    return enrollment?.via === 'managed' ? enrollment.serverUrl : undefined;
  }
}
