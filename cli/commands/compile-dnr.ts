import { compileDnr } from '../../core/policy/compile-dnr.ts';
import { loadPolicy, reportIgnored } from '../load-policy.ts';

/** Chrome's limits for an extension's dynamic rules. */
const LIMITS = { rules: 30_000, unsafe: 5_000, regex: 1_000 };

/**
 * `palisade compile-dnr FILE`: the rules as JSON on stdout, the summary on stderr. Invalid
 * URL filters get no rule, as Chrome ignores them (listed on stderr).
 */
export async function compileDnrCommand(args: string[]): Promise<number> {
  const { document: policy, ignored } = await loadPolicy(args[0], {
    ignoreInvalidUrlFilters: true,
  });
  reportIgnored(ignored);
  const started = performance.now();
  const result = compileDnr({
    blocklist: policy.urlBlocklist ?? [],
    allowlist: policy.urlAllowlist ?? [],
    ...(policy.httpsOnly ? { httpsOnly: policy.httpsOnly } : {}),
    blockedPagePath: '/pages/blocked.html',
  });
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify(result.rules, null, 2) + '\n');
  const s = result.stats;
  const e = s.enforcement;
  process.stderr.write(
    [
      `rules: ${s.ruleCount} / ${LIMITS.rules} dynamic`,
      `unsafe (redirect/upgrade): ${s.unsafeRuleCount} / ${LIMITS.unsafe}`,
      `regex: ${s.regexRuleCount} / ${LIMITS.regex}`,
      `filters: ${s.filters}, hosts packed into requestDomains: ${s.packedHosts}`,
      `left to the extension's matcher: ${result.uncovered.length}`,
      `enforced in main and sub frames: by DNR ${e.dnrAllFrames}, by the navigation check ${e.navigationCheck}`,
      `unenforced in any frame: ${e.unenforced}`,
      `javascript: filters (no frame loads; Chrome applies them to the omnibox only): ${e.notFrameNavigations}`,
      `compiled in ${ms.toFixed(0)} ms`,
    ].join('\n') + '\n',
  );
  return 0;
}
