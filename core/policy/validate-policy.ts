import type { Diagnostic, PolicyDocument } from './types.ts';
import {
  Collector,
  checkKnownKeys,
  expectArray,
  expectEnum,
  expectString,
  isObject,
  join,
  typeName,
} from './validate/collector.ts';
import { validateApps } from './validate/validate-apps.ts';
import { validateDataControls } from './validate/validate-data-controls.ts';
import { validateFilterList } from './validate/validate-filter-list.ts';
import { validateUrlSchedules } from './validate/validate-url-schedules.ts';

const POLICY_KEYS = [
  'name',
  'description',
  'targetGroups',
  'urlBlocklist',
  'urlAllowlist',
  'urlSchedules',
  'dataControls',
  'httpsOnly',
  'apps',
  'auditUrlDetail',
  'messages',
] as const;

export interface ValidationOptions {
  /**
   * Names of the groups that exist. When given, an app's `access.groups` must name existing
   * groups (the server passes them; core alone cannot know them).
   */
  groups?: readonly string[];
}

export interface ValidationResult {
  /** The document, typed, when there is no error (warnings allowed); otherwise null. */
  document: PolicyDocument | null;
  diagnostics: Diagnostic[];
}

/**
 * Validates a policy document and returns every problem at once, each with the path of
 * its field and a message that says how to fix it. Unknown fields are errors: a typo such
 * as `urlBlockList` must not silently drop a blocklist.
 *
 * @example
 * const { document, diagnostics } = validatePolicy(JSON.parse(text));
 * // diagnostics: [{ path: 'urlBlocklist[3]', severity: 'error', message: '"htp//x" is not a valid URL filter: …' }]
 */
export function validatePolicy(input: unknown, options: ValidationOptions = {}): ValidationResult {
  const c = new Collector();
  if (!isObject(input)) {
    c.error('', `a policy must be a JSON object, got ${typeName(input)}.`);
    return { document: null, diagnostics: c.diagnostics };
  }
  checkKnownKeys(c, '', input, POLICY_KEYS);
  expectString(c, 'name', input.name, { required: false, max: 200 });
  expectString(c, 'description', input.description, { max: 5000 });
  validateTargetGroups(c, input.targetGroups);
  if (input.urlBlocklist !== undefined) validateFilterList(c, 'urlBlocklist', input.urlBlocklist);
  if (input.urlAllowlist !== undefined) validateFilterList(c, 'urlAllowlist', input.urlAllowlist);
  if (input.urlSchedules !== undefined) validateUrlSchedules(c, input.urlSchedules);
  const appIds =
    input.apps === undefined
      ? new Set<string>()
      : validateApps(c, input.apps, { groups: options.groups });
  if (input.dataControls !== undefined) validateDataControls(c, input.dataControls, appIds);
  if (input.httpsOnly !== undefined) validateHttpsOnly(c, input.httpsOnly);
  expectEnum(c, 'auditUrlDetail', input.auditUrlDetail, ['full', 'origin', 'none'] as const);
  if (input.messages !== undefined) validateMessages(c, input.messages);
  return { document: c.hasErrors ? null : (input as PolicyDocument), diagnostics: c.diagnostics };
}

function validateTargetGroups(c: Collector, value: unknown): void {
  if (!expectArray(c, 'targetGroups', value)) return;
  value.forEach((g, i) =>
    expectString(c, join('targetGroups', i), g, { required: true, max: 100 }),
  );
}

function validateHttpsOnly(c: Collector, value: unknown): void {
  if (!isObject(value)) {
    c.error(
      'httpsOnly',
      `must be { "hosts": [...], "mode": "upgrade" | "block" }, got ${typeName(value)}.`,
    );
    return;
  }
  checkKnownKeys(c, 'httpsOnly', value, ['hosts', 'mode']);
  if (value.mode === undefined) c.error('httpsOnly.mode', 'is required: "upgrade" or "block".');
  expectEnum(c, 'httpsOnly.mode', value.mode, ['upgrade', 'block'] as const);
  if (value.hosts === undefined) c.error('httpsOnly.hosts', 'is required: list host names.');
  if (!expectArray(c, 'httpsOnly.hosts', value.hosts)) return;
  value.hosts.forEach((h, i) => {
    const at = join('httpsOnly.hosts', i);
    if (!expectString(c, at, h, { required: true, max: 253 })) return;
    if (!/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(h)) {
      c.error(
        at,
        `"${h}" is not a host name; write it like "intranet.example.com" (no scheme, path or "*").`,
      );
    }
  });
}

function validateMessages(c: Collector, value: unknown): void {
  if (!isObject(value)) {
    c.error('messages', `must be an object, got ${typeName(value)}.`);
    return;
  }
  checkKnownKeys(c, 'messages', value, ['blockedPage', 'contact', 'dataControlNotice']);
  expectString(c, 'messages.blockedPage', value.blockedPage, { max: 2000 });
  expectString(c, 'messages.contact', value.contact, { max: 500 });
  expectString(c, 'messages.dataControlNotice', value.dataControlNotice, { max: 2000 });
}
