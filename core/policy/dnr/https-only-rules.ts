import { toLowerAscii } from '../url-filter/parse-url.ts';
import { PLAIN_DOMAIN } from './dnr-patterns.ts';
import type { RuleAction, RuleBuilder } from './rule-builder.ts';

/**
 * Rules for Palisade's `httpsOnly`: plain-http requests to the listed hosts are upgraded to
 * https (`upgradeScheme`) or blocked. They sit above every URL-filter rule, so an allowlisted
 * host still gets https; an upgraded request is matched again, so a blocklisted host is still
 * blocked. `example.com` covers its subdomains (packed into `requestDomains`), `.example.com`
 * only that host (`|http://example.com^` — on a subdomain, a URL whose userinfo is exactly
 * `example.com` also matches, which only upgrades or blocks that crafted URL). `*` is every host.
 */
export function addHttpsOnlyRules(
  builder: RuleBuilder,
  httpsOnly: { hosts: readonly string[]; mode: 'upgrade' | 'block' },
  blockAction: RuleAction,
  priority: number,
): void {
  const action: RuleAction = httpsOnly.mode === 'upgrade' ? { type: 'upgradeScheme' } : blockAction;
  for (const raw of httpsOnly.hosts) {
    if (typeof raw !== 'string') continue;
    const host = toLowerAscii(raw.trim());
    if (host === '*') {
      builder.add(action, priority, { urlFilter: '|http://' });
      continue;
    }
    const domain = host.replace(/^\./, '').replace(/\.$/, '');
    if (!PLAIN_DOMAIN.test(domain)) continue;
    if (host.startsWith('.')) {
      builder.add(action, priority, { urlFilter: `|http://${domain}^`, requestDomains: [domain] });
    } else {
      builder.pack(action, priority, '|http://', domain);
    }
  }
  builder.flushPacks();
}
