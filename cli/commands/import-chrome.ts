import { importChromePolicy } from '../../core/policy/import-chrome-policy.ts';
import { validatePolicy } from '../../core/policy/validate-policy.ts';
import { readJsonFile } from '../read-input.ts';

/** `palisade import-chrome FILE`: the Palisade policy on stdout, what was not mapped on stderr. */
export async function importChrome(args: string[]): Promise<number> {
  const { document, unmapped } = importChromePolicy(await readJsonFile(args[0], 'Chrome policy'));
  process.stdout.write(JSON.stringify(document, null, 2) + '\n');
  for (const line of unmapped) process.stderr.write(`not mapped: ${line}\n`);
  const errors = validatePolicy(document).diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) process.stderr.write(`needs fixing: ${d.path}: ${d.message}\n`);
  return errors.length ? 1 : 0;
}
