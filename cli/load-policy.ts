import type { Diagnostic, PolicyDocument } from '../core/policy/types.ts';
import { validatePolicy } from '../core/policy/validate-policy.ts';
import { CliError } from './cli-error.ts';
import { readJsonFile } from './read-input.ts';

/** A URL list entry: where an invalid filter's error sits (`urlBlocklist[3]`). */
const URL_FILTER_PATH = /^url(?:Block|Allow)list\[\d+\]$/;

/**
 * Loads a policy file that must be valid; the first error becomes a one-line message.
 *
 * With `ignoreInvalidUrlFilters`, invalid URL filters are not errors but `ignored` diagnostics:
 * the matcher skips them, as Chrome skips the filters `FilterToComponents` rejects.
 */
export async function loadPolicy(
  file: string | undefined,
  options: { ignoreInvalidUrlFilters?: boolean } = {},
): Promise<{ document: PolicyDocument; ignored: Diagnostic[] }> {
  const input = await readJsonFile(file, 'policy');
  const { document, diagnostics } = validatePolicy(input);
  const ignorable = (d: Diagnostic) =>
    options.ignoreInvalidUrlFilters === true && URL_FILTER_PATH.test(d.path);
  const errors = diagnostics.filter((d) => d.severity === 'error' && !ignorable(d));
  const ignored = diagnostics.filter((d) => d.severity === 'error' && ignorable(d));
  if (document) return { document, ignored };
  // Only ignorable errors: the input is an object with just bad list entries.
  if (errors.length === 0) return { document: input as PolicyDocument, ignored };
  const first = errors[0]!;
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more; run palisade validate ${file})` : '';
  throw new CliError(
    `invalid policy ${file}: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`,
  );
}

/** Lists on stderr the invalid URL filters a command skips (`ignored: urlBlocklist[3]: …`). */
export function reportIgnored(ignored: readonly Diagnostic[]): void {
  for (const d of ignored)
    process.stderr.write(`ignored: ${d.path}: ${d.message} Chrome ignores it too.\n`);
}
