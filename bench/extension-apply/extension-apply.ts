/**
 * A million-filter policy applied by the real extension in real Chromium:
 *
 *   node --import tsx bench/extension-apply/extension-apply.ts [--filters 1000000]
 *
 * The real server (in this process, SQLite in a temporary directory) signs and pushes the
 * envelope; the built extension, paired as an employee pairs it, receives it, verifies it,
 * compiles it and replaces its DNR rules. Printed: publish → rules applied, blocked
 * navigations (by a DNR rule, and by the navigation check in a top-level page and in an
 * iframe) and the service worker's JS heap (CDP `Runtime.getHeapUsage` on its target).
 *
 * One shortcut: the 1M-filter draft (≈20 MB) is saved through the server's policy service,
 * not `PUT /api/v1/policies/:id`, whose body limit is 4 MB; publishing, signing, storage,
 * push and the device's fetch are the real HTTP/WebSocket paths.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import WebSocket from 'ws';
import { compileDnr } from '../../core/policy/compile-dnr.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { generatedPolicy } from '../lib/generated-policy.ts';
import { inTempDir } from '../lib/in-temp-dir.ts';
import { startPairedBrowser } from '../lib/paired-browser.ts';
import type { BenchReport } from '../lib/report.ts';

declare const chrome: {
  storage: {
    local: { get(k: string | string[]): Promise<Record<string, unknown>> };
    onChanged: {
      addListener(l: (changes: Record<string, { newValue?: unknown }>) => void): void;
      removeListener(l: (changes: Record<string, { newValue?: unknown }>) => void): void;
    };
  };
  declarativeNetRequest: { getDynamicRules(): Promise<unknown[]> };
};

const TARGET_APPLY_S = 5;
const TARGET_HEAP_MB = 150;
const TARGET_DELTA_MS = 200;
const DELTA_CHANGES = 10;
const MB = 2 ** 20;

/** A CDP connection to the extension's service worker target, for its heap figures. */
async function workerHeap(profileDir: string, extensionId: string) {
  const port = readFileSync(join(profileDir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    type: string;
    url: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find(
    (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`),
  );
  if (!target) throw new Error('no service worker target for the extension');
  const ws = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, (v: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const send = (method: string) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method }));
    });
  return {
    usedMb: async () =>
      ((await send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / MB,
    collectGarbage: () => send('HeapProfiler.collectGarbage'),
    close: () => ws.close(),
  };
}

/** Milliseconds from `goto` until the page (or one of its frames) shows the blocked page. */
async function timeToBlocked(page: Page, url: string, inFrame = false): Promise<number> {
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' }).catch(() => undefined);
  const shown = () =>
    inFrame
      ? page.frames().some((f) => f !== page.mainFrame() && f.url().endsWith('/blocked.html'))
      : page.url().endsWith('/blocked.html');
  while (!shown()) {
    if (performance.now() - started > 30_000) throw new Error(`${url} was not blocked in 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - started;
}

export async function runExtensionApplyBench(opts: { filters: number }): Promise<BenchReport> {
  return inTempDir('palisade-bench-ext-', async (tmp, defer) => {
    let worker!: Worker;
    const workerLog: string[] = [];
    const paired = await startPairedBrowser({
      dir: tmp,
      policy: { name: 'small', urlBlocklist: ['warmup.bench'] },
      // Sites the blocked hosts resolve to (whatever the host, a page that must not show).
      sites: (req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const frame = new URL(req.url ?? '/', 'http://x').searchParams.get('frame');
        res.end(
          frame
            ? `<!doctype html><title>portal</title><iframe src="${frame}"></iframe>`
            : '<!doctype html><p>site content</p>',
        );
      },
      hostRules: (sitesPort) => `MAP * 127.0.0.1:${sitesPort}, EXCLUDE localhost`,
      chromium: { args: ['--remote-debugging-port=0'] },
      beforePairing: async (context) => {
        worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
        worker.on('console', (m) => workerLog.push(m.text()));
      },
    });
    defer(() => paired.close());
    const { running, context, admin } = paired;
    const policy = { id: paired.policyId };
    const profileDir = join(tmp, 'profile');
    const extensionId = new URL(worker.url()).host;
    // The version the extension enforces: a delta's overlay record's, else the rules'.
    const appliedVersion = () =>
      worker.evaluate(async () => {
        const { rules, rulesOverlay } = await chrome.storage.local.get(['rules', 'rulesOverlay']);
        const record = (rulesOverlay ?? rules) as { version?: number } | undefined;
        return record?.version ?? null;
      });
    while ((await appliedVersion()) === null) await new Promise((r) => setTimeout(r, 100));

    // The million filters, as Chrome would take them (the server refuses invalid ones).
    const document = { ...generatedPolicy(opts.filters), auditUrlDetail: 'full' as const };
    const compiled = compileDnr({
      blocklist: document.urlBlocklist,
      allowlist: document.urlAllowlist,
      blockedPagePath: '/pages/blocked.html',
    });
    const packedHost = compiled.rules.find(
      (r) => r.action.type === 'redirect' && !r.condition.urlFilter && r.condition.requestDomains,
    )?.condition.requestDomains?.[0];
    const overBudget = compiled.uncovered.find(
      (u) =>
        u.list === 'blocklist' &&
        u.reason === 'over the DNR rule budget' &&
        /^[a-z0-9.]+\/[a-z0-9/]+$/.test(u.filter),
    )?.filter;
    if (!packedHost) throw new Error('no packed host in the generated lists');
    const user = (await running.services.ctx.store.getUserByEmail('admin@bench.test'))!;
    await running.services.policies.update(user, policy.id, document);

    const heap = await workerHeap(profileDir, extensionId);
    defer(() => heap.close());
    await heap.collectGarbage();
    const heapBefore = await heap.usedMb();
    let peak = heapBefore;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await heap.usedMb().catch(() => 0));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // When the envelope leaves the server: in a push message, or a policy fetch's response.
    let deliveredAt = NaN;
    // For the delta: from the push frame that carries it (or a policy response, if it is fetched).
    let deltaPhase = false;
    // The same moment on the wall clock, which the extension's worker shares.
    let deliveredEpoch = NaN;
    const delivered = () => {
      if (!Number.isNaN(deliveredAt)) return;
      deliveredAt = performance.now();
      deliveredEpoch = Date.now();
    };
    const envelopes = running.hub.envelopes;
    if (envelopes) {
      running.hub.envelopes = async (groupId) => {
        const served = await envelopes(groupId);
        if (!deltaPhase) delivered();
        return served;
      };
    }
    const deltaTo = running.hub.deltaTo;
    if (deltaTo) {
      running.hub.deltaTo = async (groupId, version) => {
        const delta = await deltaTo(groupId, version);
        if (deltaPhase && delta) delivered();
        return delta;
      };
    }
    running.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.url?.startsWith('/api/v1/device/policy')) res.once('finish', delivered);
    });
    const published = performance.now();
    const { version } = await admin.json<{ version: number }>(
      'POST',
      `/api/v1/policies/${policy.id}/publish`,
    );
    const publishMs = performance.now() - published;
    while ((await appliedVersion()) !== version) {
      if (performance.now() - published > Number(process.env.BENCH_APPLY_TIMEOUT_MS ?? 300_000)) {
        const state = await worker.evaluate(async () => {
          const { rules } = await chrome.storage.local.get('rules');
          return JSON.stringify(rules).slice(0, 500);
        });
        throw new Error(
          `not applied in 5 min; rules ${state}; worker said:\n${workerLog.join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const appliedMs = performance.now() - published;
    const page = await context.newPage();
    const dnrBlockMs = await timeToBlocked(page, `http://${packedHost}/`);
    const firstBlockMs = performance.now() - published;
    // A filter over the DNR budget (there is none in small lists): the navigation check's.
    let guardBlockMs = NaN;
    let frameBlockMs = NaN;
    if (overBudget) {
      guardBlockMs = await timeToBlocked(await context.newPage(), `http://${overBudget}`);
      frameBlockMs = await timeToBlocked(
        await context.newPage(),
        `http://portal.bench.invalid/?frame=${encodeURIComponent(`http://${overBudget}`)}`,
        true,
      );
    }
    sampling = false;
    await sampler;
    await heap.collectGarbage();
    const heapAfter = await heap.usedMb();
    const fullPeak = peak;
    const fullApplyMs = appliedMs - (deliveredAt - published);
    const ruleCount = await worker.evaluate(
      async () => (await chrome.declarativeNetRequest.getDynamicRules()).length,
    );

    // A ten-entry change of the same policy: the device takes it as a signed delta.
    const changed = [...document.urlBlocklist];
    const step = Math.floor(changed.length / (DELTA_CHANGES + 1));
    for (let i = 1; i <= DELTA_CHANGES; i++) changed[i * step] = `changed-${i}.delta.bench`;
    await running.services.policies.update(user, policy.id, {
      ...document,
      urlBlocklist: changed,
    });
    deliveredAt = NaN;
    deltaPhase = true;
    // The rule count above read every rule into the worker (~900,000 host strings): that
    // garbage is the bench's, not the delta's.
    await heap.collectGarbage();
    peak = await heap.usedMb();
    sampling = true;
    const deltaSampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await heap.usedMb().catch(() => 0));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // When the device records the new version (a delta's overlay record, or the rules'),
    // noted in the worker itself: this process also runs the server, whose publish work can
    // hold back a poll from here by hundreds of milliseconds.
    // The listener goes once it has fired: while any is registered, the worker is sent the
    // old and new values of every change, the fold's 20 MB policy included.
    await worker.evaluate(() => {
      type Listener = (changes: Record<string, { newValue?: unknown }>) => void;
      const g = globalThis as {
        deltaRecordedAt?: { at: number; version?: number };
        deltaListener?: Listener;
      };
      // (A property, not a named const: the bundler would wrap a named function in a helper
      // the worker does not have.)
      g.deltaListener = (changes) => {
        const record = (changes.rulesOverlay?.newValue ?? changes.rules?.newValue) as
          { version?: number } | undefined;
        if (!record) return;
        g.deltaRecordedAt = { at: Date.now(), version: record.version };
        chrome.storage.onChanged.removeListener(g.deltaListener!);
      };
      chrome.storage.onChanged.addListener(g.deltaListener);
    });
    const deltaPublished = performance.now();
    const next = await admin.json<{ version: number }>(
      'POST',
      `/api/v1/policies/${policy.id}/publish`,
    );
    while ((await appliedVersion()) !== next.version) {
      if (performance.now() - deltaPublished > 120_000)
        throw new Error(
          `the delta was not applied in 2 min; worker said:\n${workerLog.join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 5));
    }
    const deltaAppliedAt = performance.now();
    // Enforced at once by the overlay and the navigation check: a changed-in host blocks.
    const deltaBlockMs = await timeToBlocked(
      await context.newPage(),
      'http://changed-1.delta.bench/',
    );
    // Then the fold: the rebuilt policy checked and stored, the dynamic rules brought up to it.
    const folded = () =>
      worker.evaluate(async () => {
        const { rules, rulesOverlay } = await chrome.storage.local.get(['rules', 'rulesOverlay']);
        const changed = (rules as { changed?: { removed: number; added: number } }).changed;
        return rulesOverlay ? null : (changed ?? { removed: NaN, added: NaN });
      });
    let deltaState = await folded();
    while (!deltaState) {
      if (performance.now() - deltaAppliedAt > 120_000) throw new Error('not folded in 2 min');
      await new Promise((r) => setTimeout(r, 20));
      deltaState = await folded();
    }
    const deltaFoldMs = performance.now() - deltaAppliedAt;
    sampling = false;
    await deltaSampler;
    const deltaPeak = peak;
    await heap.collectGarbage();
    const deltaHeapAfter = await heap.usedMb();
    const recorded = await worker.evaluate(
      () => (globalThis as { deltaRecordedAt?: { at: number; version?: number } }).deltaRecordedAt,
    );
    if (recorded?.version !== next.version)
      throw new Error(`the first record after the publish was not v${next.version}`);
    const deltaApplyMs = recorded.at - deliveredEpoch;
    const deltaSeenMs = deltaAppliedAt - deliveredAt;
    // Chromium's own part of any update with this rule set installed: one rule removed and
    // added again unchanged (same id), which leaves the extension's record true.
    const updateOneMs = await worker.evaluate(async () => {
      const dnr = chrome.declarativeNetRequest as unknown as {
        getDynamicRules(): Promise<{ id: number; condition: { requestDomains?: string[] } }[]>;
        updateDynamicRules(u: { removeRuleIds: number[]; addRules: unknown[] }): Promise<void>;
      };
      const read = performance.now();
      const rule = (await dnr.getDynamicRules()).find((r) => !r.condition.requestDomains);
      const readMs = performance.now() - read;
      if (!rule) return { readMs, updateMs: NaN };
      const started = performance.now();
      await dnr.updateDynamicRules({ removeRuleIds: [rule.id], addRules: [rule] });
      return { readMs, updateMs: performance.now() - started };
    });
    const envelopeBytes = JSON.stringify(document).length;
    const e = compiled.stats.enforcement;
    const s = (msValue: number) => (msValue / 1000).toFixed(2);
    return {
      title: `Extension apply at ${opts.filters.toLocaleString('en')} filters (real Chromium)`,
      command: `node --import tsx bench/extension-apply/extension-apply.ts --filters ${opts.filters}`,
      rows: [
        [
          'filters (blocklist / allowlist), valid',
          `${document.urlBlocklist.length} / ${document.urlAllowlist.length}`,
        ],
        ['policy document JSON (MB)', (envelopeBytes / 1e6).toFixed(1)],
        ['publish request (sign, store, push) (s)', s(publishMs)],
        [
          `envelope sent (push) → rules applied in the extension (s, target ≤ ${TARGET_APPLY_S})`,
          s(fullApplyMs),
        ],
        ['publish → rules applied in the extension (s)', s(appliedMs)],
        ['publish → first blocked navigation observed (s)', s(firstBlockMs)],
        ['blocked navigation by a DNR rule: goto → blocked page (ms)', Math.round(dnrBlockMs)],
        ['blocked by the navigation check, top-level (ms)', Math.round(guardBlockMs)],
        ['blocked by the navigation check, in an iframe (ms)', Math.round(frameBlockMs)],
        ['dynamic rules installed in Chromium', ruleCount],
        [
          'filters enforced by DNR / by the navigation check / in no frame',
          `${e.dnrAllFrames} / ${e.navigationCheck} / ${e.unenforced}`,
        ],
        ['worker JS heap before (MB, after GC)', heapBefore.toFixed(1)],
        [
          `worker JS heap peak while applying (MB, target ≤ ${TARGET_HEAP_MB})`,
          fullPeak.toFixed(1),
        ],
        [
          `worker JS heap with the policy applied (MB, after GC, target ≤ ${TARGET_HEAP_MB})`,
          heapAfter.toFixed(1),
        ],
        [
          `ten-filter delta: delta sent → rules applied (ms, target ≤ ${TARGET_DELTA_MS})`,
          Math.round(deltaApplyMs),
        ],
        [
          'ten-filter delta: delta sent → applied, as this process first sees it (ms; after the publish response)',
          Math.round(deltaSeenMs),
        ],
        ['ten-filter delta: a changed-in host, goto → blocked page (ms)', Math.round(deltaBlockMs)],
        [
          'ten-filter delta: applied → folded into the dynamic rules (ms; policy checked and stored, rules updated)',
          Math.round(deltaFoldMs),
        ],
        [
          'ten-filter delta: DNR rules removed / added by the fold (a full replace shows -1)',
          `${deltaState.removed} / ${deltaState.added}`,
        ],
        [
          'Chromium alone: updateDynamicRules of one small rule with this set installed (ms)',
          Math.round(updateOneMs.updateMs),
        ],
        [
          'Chromium alone: getDynamicRules() of this set into the worker (ms; the rule diff reads the ids so)',
          Math.round(updateOneMs.readMs),
        ],
        [
          `ten-filter delta: worker JS heap peak (MB, target ≤ ${TARGET_HEAP_MB})`,
          deltaPeak.toFixed(1),
        ],
        ['ten-filter delta: worker JS heap after (MB, after GC)', deltaHeapAfter.toFixed(1)],
      ],
      notes: [
        "The apply figure runs from the moment the server hands the signed envelope to the push channel (or answers a policy fetch) to the extension's record of the applied version: transfer, verify, store, compile and updateDynamicRules. The publish figures add the server's own work (validate, merge, sign, store).",
        "JS heap is what V8 reports (Runtime.getHeapUsage); typed arrays (most of the URL matcher's index) live outside it.",
        'Heap is sampled every 50 ms over CDP on the service worker target; the peak can miss a shorter spike.',
        "The delta rows: ten blocklist entries replaced in place and published; the push frame of an envelope over 64 KiB carries the signed delta from the version before instead. The device verifies it, patches the payload and the matcher, stores the signed delta beside the policy it held, and installs the overlay: one session rule allowing the changed domains above every filter rule, which the navigation check then judges (docs/delta-sync.md, 'Overlay'). 'Applied' is timed from the moment the server builds that frame (or answers a policy fetch, if the device had to fetch) to the extension's record of the applied version, both on the wall clock, the record's moment taken in the worker by a storage.onChanged listener (the overlay's session rule follows it by one updateSessionRules call). The fold follows: the rebuilt payload hashed against the signed SHA-256 and stored whole, the DNR compile plan patched, one updateDynamicRules of the rules that differ, the overlay removed.",
      ],
    };
  });
}

if (isMain(import.meta.url)) {
  const report = await runExtensionApplyBench(numberArgs({ filters: 1_000_000 }));
  const { printReport } = await import('../lib/report.ts');
  printReport(report);
}
