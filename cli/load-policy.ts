import type { PolicyDocument } from '../core/policy/types.ts';
import { validatePolicy } from '../core/policy/validate-policy.ts';
import { CliError } from './cli-error.ts';
import { readJsonFile } from './read-input.ts';

/** Loads a policy file that must be valid; the first error becomes a one-line message. */
export async function loadPolicy(file: string | undefined): Promise<PolicyDocument> {
  const { document, diagnostics } = validatePolicy(await readJsonFile(file, 'policy'));
  if (!document) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0]!;
    const more =
      errors.length > 1 ? ` (and ${errors.length - 1} more; run palisade validate ${file})` : '';
    throw new CliError(
      `invalid policy ${file}: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`,
    );
  }
  return document;
}
