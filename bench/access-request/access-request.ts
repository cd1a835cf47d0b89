/**
 * "Request access" from the blocked page, end to end in real Chromium:
 *
 *   node --import tsx bench/access-request/access-request.ts [--rounds 5]
 *
 * The real server (in this process, SQLite in a temporary directory) and the built
 * extension, paired as an employee pairs it. Each round opens a new blocked host, asks for
 * access with a reason on the blocked page, and an admin approves it over the API; the
 * blocked page then loads the page by itself once the pushed, signed exception is enforced.
 * Printed: request → approved (the admin's answer), approved → page loaded, and the whole.
 */
import { isMain, numberArgs } from '../lib/args.ts';
import { inTempDir } from '../lib/in-temp-dir.ts';
import { startPairedBrowser } from '../lib/paired-browser.ts';
import type { BenchReport } from '../lib/report.ts';

const ms = (v: number) => v.toFixed(0);
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

export async function runAccessRequestBench(opts: { rounds: number }): Promise<BenchReport> {
  return inTempDir('palisade-bench-access-', async (tmp, defer) => {
    const paired = await startPairedBrowser({
      dir: tmp,
      policy: { name: 'blocked', urlBlocklist: ['blocked.bench'] },
      sites: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>site</title><h1 id="loaded">site content</h1>');
      },
      hostRules: (sitesPort) => `MAP *.bench 127.0.0.1:${sitesPort}`,
    });
    defer(() => paired.close());
    const { context, admin } = paired;

    const toApproved: number[] = [];
    const toLoaded: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      const target = `http://r${i}.blocked.bench/`;
      const page = await context.newPage();
      // Until the policy is applied the page loads: retry until it is blocked.
      for (;;) {
        await page.goto(target).catch(() => undefined);
        if (page.url().endsWith('/blocked.html')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await page.getByLabel('Why do you need it?').fill('Benchmark round, please approve');
      const asked = performance.now();
      await page.getByRole('button', { name: 'Request access' }).click();
      await page.getByText('Waiting for an admin to decide').waitFor();
      const { requests } = await admin.json<{ requests: { id: string }[] }>(
        'GET',
        '/api/v1/access-requests?status=pending',
      );
      await admin.json('POST', `/api/v1/access-requests/${requests[0]!.id}/decision`, {
        decision: 'approve',
        duration: '1h',
        scope: 'device',
      });
      const approved = performance.now();
      await page.waitForURL(target, { timeout: 30_000 });
      await page.locator('#loaded').waitFor();
      const loaded = performance.now();
      toApproved.push(approved - asked);
      toLoaded.push(loaded - approved);
      total.push(loaded - asked);
      await page.close();
    }
    return {
      title: 'Access request: blocked page → approved → page loads (real Chromium)',
      command: `node --import tsx bench/access-request/access-request.ts --rounds ${opts.rounds}`,
      rows: [
        ['rounds', opts.rounds],
        [
          'request → approved, incl. the admin listing and deciding (ms, p50 / max)',
          `${ms(quantile(toApproved, 0.5))} / ${ms(Math.max(...toApproved))}`,
        ],
        [
          'approved → page loaded (ms, p50 / max; target ≤ 1000)',
          `${ms(quantile(toLoaded, 0.5))} / ${ms(Math.max(...toLoaded))}`,
        ],
        [
          'request → page loaded (ms, p50 / max)',
          `${ms(quantile(total, 0.5))} / ${ms(Math.max(...total))}`,
        ],
      ],
      notes: [
        '"approved → page loaded" is the push of the signed exception list, its verification, the DNR update, the blocked page noticing (it asks every 250 ms) and the page load.',
      ],
    };
  });
}

if (isMain(import.meta.url)) {
  const { printReport } = await import('../lib/report.ts');
  printReport(await runAccessRequestBench(numberArgs({ rounds: 5 })));
}
