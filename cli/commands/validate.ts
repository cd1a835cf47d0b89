import { validatePolicy } from '../../core/policy/validate-policy.ts';
import { readJsonFile } from '../read-input.ts';

/** `palisade validate FILE`: every diagnostic, one per line; exit 1 when any is an error. */
export async function validate(args: string[]): Promise<number> {
  const file = args[0];
  const { diagnostics } = validatePolicy(await readJsonFile(file, 'policy'));
  for (const d of diagnostics) {
    console.log(`${d.severity}\t${d.path || '(document)'}: ${d.message}`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  console.log(`${file}: ${errors} error(s), ${warnings} warning(s)`);
  return errors ? 1 : 0;
}
