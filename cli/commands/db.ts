import { dbCopy } from '../../server/cli/db-copy.ts';
import { CliError } from '../cli-error.ts';

const USAGE = 'usage: palisade db copy --from <sqlite DATA_DIR> --to postgres://…';

/**
 * `palisade db copy --from ./data --to postgres://…`: moves an installation to PostgreSQL
 * with a progress bar, then prints the verification (row counts and the audit chain).
 */
export async function dbCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const from = flag('--from');
  const to = flag('--to');
  if (sub !== 'copy' || !from || !to) throw new CliError(USAGE);

  const bar = progressBar();
  const result = await dbCopy({ from, to, onProgress: bar.update });
  bar.done();
  let mismatches = 0;
  for (const [table, { from: a, to: b }] of Object.entries(result.counts)) {
    const same = a === b;
    if (!same) mismatches++;
    console.log(`${same ? 'ok ' : 'BAD'} ${table.padEnd(24)} ${a} → ${b}`);
  }
  console.log(
    `audit chain on the target: ${result.chain.ok ? 'verified' : 'BROKEN'} (${result.chain.checked} rows)`,
  );
  return mismatches === 0 && result.chain.ok ? 0 : 1;
}

/** One line redrawn in place on a terminal; plain lines per table otherwise. */
function progressBar() {
  const tty = process.stderr.isTTY;
  let lastTable = '';
  return {
    update(done: number, total: number, table: string) {
      const pct = total ? Math.floor((100 * done) / total) : 100;
      if (tty) {
        const width = 30;
        const filled = Math.round((width * pct) / 100);
        process.stderr.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${table}`.padEnd(
            70,
          ),
        );
      } else if (table !== lastTable) {
        process.stderr.write(`copying ${table}… (${pct}% done)\n`);
      }
      lastTable = table;
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
