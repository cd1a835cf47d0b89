import { randomUUID } from 'node:crypto';

/**
 * An audit event as the extension sends it: a navigation blocked by a filter, with a fresh
 * id. The fields a test cares about are given in `over`.
 */
export function blockedNavigation(over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    time: '2026-11-28T10:00:00.000Z',
    kind: 'navigation',
    level: 'BLOCK',
    outcome: 'blocked',
    url: 'https://example.com/',
    ruleId: 'example.com',
    action: 'navigate',
    policyVersion: 1,
    ...over,
  };
}

/** `n` navigations to bad.test blocked just now: a device's upload batch under load. */
export function blockedNavigationBatch(n = 50) {
  return Array.from({ length: n }, () =>
    blockedNavigation({
      time: new Date().toISOString(),
      url: 'https://bad.test/page',
      ruleId: 'bad.test',
    }),
  );
}
