/**
 * A ten-entry change to a million-filter policy, sent as a signed delta:
 *
 *   node --import tsx bench/delta/delta.ts [--filters 1000000] [--changed 10]
 *
 * The real server (in this process, SQLite in a temporary directory) and, as the device, the
 * extension's own background code over a fake browser (test/extension/fakes), fetching over
 * real HTTP. Printed: the bytes a device downloads for the change (the delta) beside the full
 * envelope, what that makes at 10,000 devices, and the time the extension's code path takes
 * to apply the delta (fetch, verify, rebuild and hash the payload, patch the matcher, compile
 * and diff the DNR rules, one updateDynamicRules) against a full apply of the same version
 * (fetch, verify, compile, build the matcher, replace every rule).
 *
 * The 1M-filter draft is saved and published through the policy service (the HTTP body
 * limit is 4 MB, and the admin's idle keep-alive connection does not outlive the seconds a
 * million-filter save takes); the device's fetches are the real HTTP paths.
 */
import { DnrCompilePlan } from '../../core/policy/compile-dnr.ts';
import { listEdit } from '../../core/policy/list-edit.ts';
import { BLOCKED_PAGE_PATH, changedRules } from '../../extension/background/apply-rules.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { generatedPolicy } from '../lib/generated-policy.ts';
import { inTempDir } from '../lib/in-temp-dir.ts';
import { startBenchServer } from '../lib/bench-server.ts';
import { fmt, type BenchReport } from '../lib/report.ts';
import { startManagedBackground } from '../../test/extension/fakes/managed-background.ts';

const TARGET_BYTES = 10 * 1024;
const DEVICES = 10_000;

export async function runDeltaBench(opts: {
  filters: number;
  changed: number;
}): Promise<BenchReport> {
  return inTempDir('palisade-bench-delta-', async (tmp, defer) => {
    // Generated first: an idle keep-alive connection could be closed under a later request.
    const document = generatedPolicy(opts.filters);
    const server = await startBenchServer(tmp, { name: 'small', urlBlocklist: ['warmup.bench'] });
    const { running, origin } = server;
    const policy = { id: server.policyId };
    const enrollmentCode = { code: server.enrollmentCode };
    defer(() => running.stop());
    const user = (await running.services.ctx.store.getUserByEmail('admin@bench.test'))!;
    await running.services.policies.update(user, policy.id, document);
    let started = performance.now();
    await running.services.policies.publish(user, policy.id);
    const fullPublishMs = performance.now() - started;

    // The device: the extension's background, counting the bytes of each policy response.
    let policyBytes = 0;
    const { bg, platform } = await startManagedBackground({
      serverUrl: origin,
      enrollmentCode: enrollmentCode.code,
      fetch: async (url, init) => {
        // A browser retries a GET whose kept-alive connection the server closed while idle
        // (the seconds a million-filter publish takes); Node's fetch does not.
        const res = await fetch(url, init).catch((error: unknown) => {
          if ((init?.method ?? 'GET') !== 'GET') throw error;
          return fetch(url, init);
        });
        if (!String(url).endsWith('/device/policy')) return res;
        const body = await res.arrayBuffer();
        policyBytes += body.byteLength;
        return new Response(res.status === 304 ? null : body, {
          status: res.status,
          headers: res.headers,
        });
      },
    });
    while (!bg.state.active) await new Promise((r) => setTimeout(r, 50));
    const fullBytes = policyBytes;

    // Ten entries edited: each replaced by a new filter at the same place.
    const blocklist = [...document.urlBlocklist];
    const step = Math.floor(blocklist.length / (opts.changed + 1));
    for (let i = 1; i <= opts.changed; i++) blocklist[i * step] = `changed-${i}.delta.bench`;
    await running.services.policies.update(user, policy.id, {
      ...document,
      urlBlocklist: blocklist,
    });
    let deltaSignMs = 0;
    const storeDeltas = running.services.envelopes.storeDeltas.bind(running.services.envelopes);
    running.services.envelopes.storeDeltas = async (previous, next) => {
      const t = performance.now();
      await storeDeltas(previous, next);
      deltaSignMs = performance.now() - t;
    };
    started = performance.now();
    const { version } = await running.services.policies.publish(user, policy.id);
    const deltaPublishMs = performance.now() - started;

    policyBytes = 0;
    const updatesBefore = platform.dnrUpdates.length;
    started = performance.now();
    const result = await bg.sync.sync();
    const deltaApplyMs = performance.now() - started;
    const deltaBytes = policyBytes;
    if (result !== 'updated' || bg.state.active?.version !== version)
      throw new Error(
        `delta sync ended ${result} at v${bg.state.active?.version}: ${(await bg.store.status()).lastSyncError}`,
      );
    const update = platform.dnrUpdates.at(-1)!;
    if (platform.dnrUpdates.length !== updatesBefore + 1) throw new Error('not one DNR update');
    const blocked = bg.state.active.urls.decide(`https://changed-1.delta.bench/`).verdict;

    // The same version as a full envelope, on the same code path a first receipt takes.
    await bg.state.clear();
    await bg.store.clearPolicy();
    policyBytes = 0;
    started = performance.now();
    await bg.sync.sync();
    const fullApplyMs = performance.now() - started;
    const fullAgainBytes = policyBytes;

    // The DNR part alone, same lists: a full plan and compile against the kept plan patched
    // by the delta's list edits and compiled again, each with the fingerprint diff.
    const lists = { blocklist: document.urlBlocklist, allowlist: document.urlAllowlist };
    started = performance.now();
    const plan = new DnrCompilePlan(lists);
    const full = plan.compile({ blockedPagePath: BLOCKED_PAGE_PATH });
    const { keys } = changedRules([], full.rules);
    const dnrFullMs = performance.now() - started;
    started = performance.now();
    plan.patch('blocklist', lists.blocklist, listEdit(lists.blocklist, blocklist));
    const patched = plan.compile({ blockedPagePath: BLOCKED_PAGE_PATH });
    const dnrDiff = changedRules(keys, patched.rules);
    const dnrDeltaMs = performance.now() - started;

    return {
      title: 'Delta sync: a ten-entry change to a 1,000,000-filter policy',
      command: `node --import tsx bench/delta/delta.ts --filters ${opts.filters} --changed ${opts.changed}`,
      rows: [
        [
          'filters (blocklist / allowlist), valid',
          `${blocklist.length} / ${document.urlAllowlist.length}`,
        ],
        ['entries changed (each replaced in place)', opts.changed],
        ['full envelope per device (bytes)', fmt.int(fullBytes)],
        [`delta per device (bytes, goal ≤ ${fmt.int(TARGET_BYTES)})`, fmt.int(deltaBytes)],
        ['full ÷ delta', fmt.ratio(fullBytes / deltaBytes)],
        [
          `sent to ${fmt.int(DEVICES)} devices: full / delta`,
          `${fmt.mb(fullBytes * DEVICES)} / ${fmt.mb(deltaBytes * DEVICES)}`,
        ],
        ['publish, first 1M publish (no delta) (s)', (fullPublishMs / 1000).toFixed(2)],
        ['publish with the delta signed and stored (s)', (deltaPublishMs / 1000).toFixed(2)],
        ['… of which computing, signing and storing the delta (ms)', fmt.int(deltaSignMs)],
        ['extension code path: delta received → applied (ms)', fmt.int(deltaApplyMs)],
        ['extension code path: full envelope received → applied (ms)', fmt.int(fullApplyMs)],
        ['full ÷ delta apply', fmt.ratio(fullApplyMs / deltaApplyMs)],
        [
          'DNR rules in the delta update: removed / added (of installed)',
          `${update.removeRuleIds.length} / ${update.addRules.length} (of ${platform.dnrRules.length})`,
        ],
        ['a changed-in filter blocks after the delta', blocked === 'block' ? 'yes' : 'no'],
        ['DNR alone, full: plan + compile + fingerprints (ms)', fmt.int(dnrFullMs)],
        [
          'DNR alone, delta: plan patched + compile + diff (ms, goal ≤ 200 for the whole apply)',
          fmt.int(dnrDeltaMs),
        ],
        [
          'DNR alone, delta: rules removed / added',
          `${dnrDiff.removeRuleIds.length} / ${dnrDiff.addRules.length}`,
        ],
        ['full envelope bytes again (same version)', fmt.int(fullAgainBytes)],
      ],
      notes: [
        'Bytes are the policy response bodies the device receives (the 304 path is unchanged). A push frame for an envelope over 64 KiB names the version only; the device then fetches the delta.',
        "Apply times are the extension background's sync in Node over a fake browser: real HTTP to the server in the same process, real verification, a fake updateDynamicRules (Chromium's own cost of installing the rules is in bench/extension-apply). On a delta the matcher is patched and the DNR compile plan kept in memory is patched (only the changed filters are planned again); the budget phases run again over the kept plans and shared-regex groups, and only the rules recompiled are fingerprinted (an unchanged rule is the same condition object).",
        'Packed host rules are cut by hash range (filled to 95% of 20,000 hosts), so a changed host changes its own chunk only; a full apply builds the plan (the first compile after a worker start does too).',
        "The 'DNR alone' rows time core/policy/compile-dnr.ts and the extension's rule diff on the same lists in this process, outside the sync.",
      ],
    };
  });
}

if (isMain(import.meta.url)) {
  const { printReport } = await import('../lib/report.ts');
  printReport(await runDeltaBench(numberArgs({ filters: 1_000_000, changed: 10 })));
  process.exit(0);
}
