import { RESTRICTION_CLASSES } from './types.ts';
import { parseUrlFilter } from './url-filter/parse-url-filter.ts';
import type { DataControlRule, DataEndpoint, PolicyDocument, Restriction } from './types.ts';

export interface ChromeImport {
  document: PolicyDocument;
  /** What could not be carried over, one human-readable line each. */
  unmapped: string[];
  /**
   * URL filters left out because Chrome ignores them too (`FilterToComponents` rejects them,
   * or they are not strings), one line each saying which and why.
   */
  dropped: string[];
  /** Things that import as they are but that Chrome treats differently, one line each. */
  notes: string[];
}

/** Chrome's `kMaxUrlFiltersPerPolicy`: it applies only this many entries of each list. */
const CHROME_MAX_URL_FILTERS = 1000;

/**
 * Turns a Chrome policy export into a Palisade policy. Accepts both shapes admins have:
 * the JSON of chrome://policy "Export to JSON" (`policyValues.chrome.policies.X.value`)
 * and a plain policy file as in /etc/opt/chrome/policies/managed (`{ "URLBlocklist": [...] }`).
 */
export function importChromePolicy(input: unknown): ChromeImport {
  const policies = extractPolicies(input);
  const document: PolicyDocument = { name: 'Imported from Chrome' };
  const unmapped: string[] = [];
  const dropped: string[] = [];
  const notes: string[] = [];
  const rules: DataControlRule[] = [];

  for (const [name, value] of Object.entries(policies)) {
    switch (name) {
      case 'URLBlocklist':
      case 'URLAllowlist': {
        if (!Array.isArray(value)) {
          unmapped.push(`${name}: expected a list of URL filters`);
          break;
        }
        document[name === 'URLBlocklist' ? 'urlBlocklist' : 'urlAllowlist'] = chromeFilters(
          name,
          value,
          dropped,
        );
        if (value.length > CHROME_MAX_URL_FILTERS)
          notes.push(
            `${name}: Chrome applies only the first ${CHROME_MAX_URL_FILTERS} of its ` +
              `${value.length} entries; Palisade enforces all of them.`,
          );
        break;
      }
      case 'DataControlsRules':
        rules.push(...importDataControls(value, unmapped));
        break;
      case 'DownloadRestrictions':
        if (value === 3)
          rules.push(
            everywhere(
              'chrome-download-restrictions',
              'Block all downloads (DownloadRestrictions = 3)',
              'FILE_DOWNLOAD',
            ),
          );
        else if (value === 0) break;
        else
          unmapped.push(
            `DownloadRestrictions = ${JSON.stringify(value)}: only 3 (block all downloads) has a Palisade equivalent`,
          );
        break;
      case 'PrintingEnabled':
        if (value === false)
          rules.push(
            everywhere(
              'chrome-printing-disabled',
              'Printing disabled (PrintingEnabled = false)',
              'PRINTING',
            ),
          );
        else if (value !== true) unmapped.push(`PrintingEnabled: expected true or false`);
        break;
      default:
        unmapped.push(`${name}: not a policy Palisade enforces`);
    }
  }
  if (rules.length) document.dataControls = rules;
  return { document, unmapped, dropped, notes };
}

/**
 * The filters of a Chrome URL list that Chrome applies: its policy handler keeps only
 * strings, and `url_matcher::util::AddFilters` skips each one `FilterToComponents` rejects
 * (`host:65536`, `example.com:*`, `custom_scheme:*`, …). See docs/url-filters.md.
 */
function chromeFilters(name: string, list: readonly unknown[], dropped: string[]): string[] {
  const kept: string[] = [];
  list.forEach((filter, i) => {
    const at = `${name}[${i}]`;
    if (typeof filter !== 'string') {
      dropped.push(`${at}: ${JSON.stringify(filter)} is not a string; Chrome ignores it.`);
      return;
    }
    const parsed = parseUrlFilter(filter);
    if (parsed.ok) kept.push(filter);
    else dropped.push(`${at}: ${parsed.message} Chrome ignores it.`);
  });
  return kept;
}

function extractPolicies(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return {};
  const root = input as Record<string, unknown>;
  const exported = (
    root.policyValues as { chrome?: { policies?: Record<string, unknown> } } | undefined
  )?.chrome?.policies;
  if (exported && typeof exported === 'object') {
    return Object.fromEntries(
      Object.entries(exported).map(([k, v]) => [k, (v as { value?: unknown } | null)?.value]),
    );
  }
  const { chromeMetadata: _meta, ...plain } = root;
  return plain;
}

function everywhere(rule_id: string, name: string, cls: Restriction['class']): DataControlRule {
  return { name, rule_id, restrictions: [{ class: cls, level: 'BLOCK' }] };
}

function importDataControls(value: unknown, unmapped: string[]): DataControlRule[] {
  // Chrome accepts each rule as an object or as a JSON string of one.
  const list = Array.isArray(value) ? value : [];
  if (!Array.isArray(value)) unmapped.push('DataControlsRules: expected a list of rules');
  const out: DataControlRule[] = [];
  list.forEach((raw, i) => {
    let rule: unknown = raw;
    if (typeof raw === 'string') {
      try {
        rule = JSON.parse(raw);
      } catch {
        unmapped.push(`DataControlsRules[${i}]: not valid JSON`);
        return;
      }
    }
    if (typeof rule !== 'object' || rule === null) {
      unmapped.push(`DataControlsRules[${i}]: not a rule object`);
      return;
    }
    const r = rule as Record<string, unknown>;
    const restrictions = (Array.isArray(r.restrictions) ? r.restrictions : []).filter(
      (x): x is Restriction => {
        const ok = RESTRICTION_CLASSES.includes((x as Restriction)?.class);
        if (!ok)
          unmapped.push(
            `DataControlsRules[${i}].restrictions: class ${JSON.stringify((x as Restriction)?.class)} is not supported`,
          );
        return ok;
      },
    );
    if (!restrictions.length) return;
    out.push({
      name: typeof r.name === 'string' ? r.name : `Chrome rule ${i + 1}`,
      rule_id: typeof r.rule_id === 'string' ? r.rule_id : `chrome-rule-${i + 1}`,
      ...(typeof r.description === 'string' ? { description: r.description } : {}),
      ...(r.sources ? { sources: r.sources as DataEndpoint } : {}),
      ...(r.destinations ? { destinations: r.destinations as DataEndpoint } : {}),
      restrictions,
    });
  });
  return out;
}
