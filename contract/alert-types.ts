/**
 * The kinds of alert rule: the API's enum and the store's column values. A module of its
 * own, with no imports, so that server/store/ (which may import nothing else of contract/,
 * see eslint.config.js) and the contract's schemas share one list.
 */
export const ALERT_TYPES = [
  'device_silent',
  'device_removed',
  'policy_refused',
  'chain_broken',
  'rule_blocks',
] as const;

export type AlertType = (typeof ALERT_TYPES)[number];
