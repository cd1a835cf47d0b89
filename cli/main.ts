import { CliError } from './cli-error.ts';
import { check } from './commands/check.ts';
import { compileDnrCommand } from './commands/compile-dnr.ts';
import { importChrome } from './commands/import-chrome.ts';
import { validate } from './commands/validate.ts';

const USAGE = `palisade — the Palisade command line

  palisade check --policy FILE [URL ...]   verdict for each URL (stdin when none): block|allow TAB url TAB filter
  palisade validate FILE                   every diagnostic of a policy; exit 1 on errors
  palisade import-chrome FILE              Chrome policy JSON → Palisade policy on stdout
  palisade compile-dnr FILE                declarativeNetRequest rules on stdout, summary on stderr
  palisade admin invite --role admin|auditor EMAIL
                                           one-time registration link (uses DATA_DIR, ORIGIN)
  palisade db copy --from DATA_DIR --to postgres://…
                                           move an installation to PostgreSQL, then verify it
  palisade audit verify EXPORT.ndjson --key PUBLIC_KEY.json
                                           verify an audit export offline; exit 1 if broken
`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  check,
  validate,
  'import-chrome': importChrome,
  'compile-dnr': compileDnrCommand,
  admin: async (args) => {
    // Loaded lazily: the policy commands must not pay for the database driver.
    const { adminCommand } = await import('./commands/admin.ts');
    return adminCommand(args);
  },
  audit: async (args) => {
    const { auditCommand } = await import('./commands/audit.ts');
    return auditCommand(args);
  },
  db: async (args) => {
    const { dbCommand } = await import('./commands/db.ts');
    return dbCommand(args);
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`unknown command "${name}"; run palisade --help`);
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`palisade: ${message.split('\n')[0]}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 2;
  },
);
