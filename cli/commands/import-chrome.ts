import { importChromePolicy } from '../../core/policy/import-chrome-policy.ts';
import { validatePolicy } from '../../core/policy/validate-policy.ts';
import { readJsonFile } from '../read-input.ts';

/**
 * `palisade import-chrome FILE`: the Palisade policy on stdout; on stderr what was not mapped,
 * the URL filters left out because Chrome ignores them too, and notes on what Chrome treats
 * differently.
 */
export async function importChrome(args: string[]): Promise<number> {
  const { document, unmapped, dropped, notes } = importChromePolicy(
    await readJsonFile(args[0], 'Chrome policy'),
  );
  process.stdout.write(JSON.stringify(document, null, 2) + '\n');
  for (const line of unmapped) process.stderr.write(`not mapped: ${line}\n`);
  for (const line of dropped) process.stderr.write(`dropped: ${line}\n`);
  for (const line of notes) process.stderr.write(`note: ${line}\n`);
  const errors = validatePolicy(document).diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) process.stderr.write(`needs fixing: ${d.path}: ${d.message}\n`);
  return errors.length ? 1 : 0;
}
