/**
 * Client networks as CIDR ranges, IPv4 and IPv6, for `apps[].access.where`. Pure: the
 * client address arrives as text (taken by the server as the trust-boundaries work says).
 * An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports for an
 * IPv4 client) is treated as the IPv4 address it carries, on both sides.
 */

/** An address as a big integer of 32 (IPv4) or 128 (IPv6) bits. */
export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface Network {
  version: 4 | 6;
  /** The base address with the host bits cleared. */
  base: bigint;
  prefix: number;
}

export type ParsedNetwork = { ok: true; network: Network } | { ok: false; message: string };

const MAPPED_PREFIX = 0xffffn << 32n;

/** Parses dotted-quad IPv4 ("192.0.2.1"); no leading zeros, which some parsers read as octal. */
function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** Parses IPv6 text (RFC 4291 §2.2), with `::` and a trailing dotted IPv4 part. */
function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-f:.]+$/i.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): bigint[] | null => {
    if (s === '') return [];
    const out: bigint[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === null) return null;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-f]{1,4}$/i.test(p)) out.push(BigInt(`0x${p}`));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  // A dotted part may only end the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  let value = 0n;
  for (const g of [...head, ...Array<bigint>(Math.max(0, missing)).fill(0n), ...tail]) {
    value = (value << 16n) | g;
  }
  return value;
}

/**
 * Parses an IPv4 or IPv6 address; an IPv4-mapped IPv6 address comes back as IPv4.
 * A zone id (`fe80::1%eth0`) and IPv6 brackets are accepted and ignored.
 */
export function parseIpAddress(text: string): IpAddress | null {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const zone = t.indexOf('%');
  if (zone > 0 && t.includes(':')) t = t.slice(0, zone);
  if (!t.includes(':')) {
    const v4 = parseIpv4(t);
    return v4 === null ? null : { version: 4, value: v4 };
  }
  const v6 = parseIpv6(t);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

/**
 * Parses `a.b.c.d/n` or `x:y::/n`; a bare address is a single host. Host bits set below
 * the prefix are refused (a typo such as `10.0.0.1/8` more often means something else).
 * `::ffff:a.b.c.d/n` with n ≥ 96 is the IPv4 range `a.b.c.d/(n − 96)`.
 */
export function parseNetwork(text: string): ParsedNetwork {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addrText = slash < 0 ? t : t.slice(0, slash);
  const prefixText = slash < 0 ? null : t.slice(slash + 1);
  const addr = parseIpv6OrV4Raw(addrText);
  if (!addr) {
    return {
      ok: false,
      message: `"${text}" is not an IP address or CIDR range; write it like "203.0.113.0/24" or "2001:db8::/32".`,
    };
  }
  let { version, value } = addr;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== null) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return {
        ok: false,
        message: `"${text}": the prefix length after "/" must be a number from 0 to ${bits} for an IPv${version} range.`,
      };
    }
    prefix = Number(prefixText);
  }
  if (version === 6 && value >> 32n === 0xffffn && prefix >= 96) {
    version = 4;
    value &= 0xffffffffn;
    prefix -= 96;
  }
  const width = version === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  if ((value & hostMask) !== 0n) {
    const base = formatAddress({ version, value: value & ~hostMask });
    return {
      ok: false,
      message: `"${text}" has bits set after the /${prefix} prefix; the range starts at ${base}/${prefix} — write that, or a longer prefix for a smaller range.`,
    };
  }
  return { ok: true, network: { version, base: value, prefix } };
}

/** Like parseIpAddress but keeps IPv4-mapped IPv6 as IPv6, so a prefix below 96 stays meaningful. */
function parseIpv6OrV4Raw(text: string): IpAddress | null {
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === null ? null : { version: 4, value: v4 };
  }
  const v6 = parseIpv6(text);
  return v6 === null ? null : { version: 6, value: v6 };
}

/** Whether `address` lies in `network`; IPv4 addresses never match IPv6 ranges and back. */
export function networkContains(network: Network, address: IpAddress): boolean {
  // An IPv4 address also lies in IPv6 ranges that cover its mapped form (e.g. ::/0).
  let { version, value } = address;
  if (network.version === 6 && version === 4) {
    version = 6;
    value |= MAPPED_PREFIX;
  }
  if (network.version !== version) return false;
  const width = version === 4 ? 32 : 128;
  const shift = BigInt(width - network.prefix);
  return value >> shift === network.base >> shift;
}

/**
 * Whether the client address lies in any of the CIDR ranges. An address or range that
 * does not parse matches nothing (validation reports bad ranges before they are published).
 *
 * @example
 * addressInNetworks('::ffff:203.0.113.7', ['203.0.113.0/24']); // true
 */
export function addressInNetworks(address: string, networks: readonly string[]): boolean {
  const addr = parseIpAddress(address);
  if (!addr) return false;
  return networks.some((n) => {
    const p = parseNetwork(n);
    return p.ok && networkContains(p.network, addr);
  });
}

/** Text form of an address: dotted quad, or IPv6 with the longest run of zero groups as `::`. */
export function formatAddress(a: IpAddress): string {
  if (a.version === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join('.');
  }
  const g = Array.from({ length: 8 }, (_, i) =>
    Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
