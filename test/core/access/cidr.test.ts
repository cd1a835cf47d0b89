import { describe, expect, it } from 'vitest';
import {
  addressInNetworks,
  formatAddress,
  parseIpAddress,
  parseNetwork,
} from '../../../core/policy/access/cidr.ts';

describe('addressInNetworks', () => {
  const table: { address: string; networks: string[]; expect: boolean }[] = [
    { address: '203.0.113.7', networks: ['203.0.113.0/24'], expect: true },
    { address: '203.0.114.7', networks: ['203.0.113.0/24'], expect: false },
    { address: '10.200.3.4', networks: ['192.0.2.0/24', '10.0.0.0/8'], expect: true },
    { address: '10.0.0.1', networks: ['10.0.0.1'], expect: true },
    { address: '10.0.0.2', networks: ['10.0.0.1'], expect: false },
    { address: '8.8.8.8', networks: ['0.0.0.0/0'], expect: true },
    { address: '198.51.100.255', networks: ['198.51.100.128/25'], expect: true },
    { address: '198.51.100.127', networks: ['198.51.100.128/25'], expect: false },
    { address: '2001:db8::1', networks: ['2001:db8::/32'], expect: true },
    { address: '2001:db9::1', networks: ['2001:db8::/32'], expect: false },
    {
      address: '2001:0DB8:0000:0000:0000:0000:0000:0001',
      networks: ['2001:db8::1/128'],
      expect: true,
    },
    { address: '[2001:db8::5]', networks: ['2001:db8::/64'], expect: true },
    { address: 'fe80::1%eth0', networks: ['fe80::/10'], expect: true },
    // IPv4-mapped IPv6, what a dual-stack listener reports for an IPv4 client.
    { address: '::ffff:203.0.113.7', networks: ['203.0.113.0/24'], expect: true },
    { address: '::ffff:cb00:7107', networks: ['203.0.113.0/24'], expect: true },
    { address: '203.0.113.7', networks: ['::ffff:203.0.113.0/120'], expect: true },
    { address: '203.0.113.7', networks: ['::ffff:0:0/96'], expect: true },
    { address: '203.0.113.7', networks: ['::/0'], expect: true },
    // IPv4 ranges never match real IPv6 addresses, and the other way round.
    { address: '2001:db8::1', networks: ['0.0.0.0/0'], expect: false },
    { address: '203.0.113.7', networks: ['2001:db8::/32'], expect: false },
    // What does not parse matches nothing.
    { address: 'not-an-ip', networks: ['0.0.0.0/0'], expect: false },
    { address: '', networks: ['0.0.0.0/0'], expect: false },
    { address: '203.0.113.7', networks: ['203.0.113.7/33', 'garbage'], expect: false },
    { address: '010.0.0.1', networks: ['10.0.0.0/8'], expect: false },
  ];
  it.each(table)('$address in $networks → $expect', ({ address, networks, expect: want }) => {
    expect(addressInNetworks(address, networks)).toBe(want);
  });
});

describe('parseNetwork diagnostics', () => {
  const bad: { text: string; message: RegExp }[] = [
    {
      text: '10.0.0.1/8',
      message: /bits set after the \/8 prefix; the range starts at 10\.0\.0\.0\/8/,
    },
    { text: '2001:db8::1/32', message: /starts at 2001:db8::\/32/ },
    { text: '10.0.0.0/33', message: /from 0 to 32 for an IPv4 range/ },
    { text: '2001:db8::/129', message: /from 0 to 128 for an IPv6 range/ },
    { text: '10.0.0.0/', message: /prefix length/ },
    { text: '256.0.0.0/8', message: /not an IP address or CIDR range/ },
    { text: '1:2:3:4:5:6:7:8:9', message: /not an IP address/ },
    { text: '1::2::3', message: /not an IP address/ },
    { text: 'office', message: /write it like "203\.0\.113\.0\/24"/ },
  ];
  it.each(bad)('refuses $text', ({ text, message }) => {
    const p = parseNetwork(text);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toMatch(message);
  });

  it('reads ::ffff:a.b.c.d/n (n ≥ 96) as the IPv4 range', () => {
    expect(parseNetwork('::ffff:10.0.0.0/104')).toEqual({
      ok: true,
      network: { version: 4, base: 0x0a000000n, prefix: 8 },
    });
  });
});

describe('formatAddress', () => {
  it.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['1::', '1::'],
  ])('%s → %s', (text, shown) => {
    expect(formatAddress(parseIpAddress(text)!)).toBe(shown);
  });
});
