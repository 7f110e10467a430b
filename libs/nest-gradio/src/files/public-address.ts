import { BlockList, isIP } from 'node:net';

/**
 * Addresses a server-side fetch must never reach: this machine, private and carrier-grade NAT networks,
 * link-local (cloud metadata at 169.254.169.254), multicast, documentation, benchmarking and reserved ranges —
 * IPv4, IPv6, and IPv4 embedded in IPv6 (mapped, NAT64).
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address (v4 or v6 text) is a public unicast address that server-side fetches may connect to. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return !NON_PUBLIC.check(bare, 'ipv4');
  if (family !== 6) return false;
  const embedded = embeddedIpv4(bare);
  if (embedded !== undefined) return isIP(embedded) === 4 && !NON_PUBLIC.check(embedded, 'ipv4');
  return !NON_PUBLIC.check(bare, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible or NAT64 (`64:ff9b::/96`) address. */
function embeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (groups === undefined) return undefined;
  const high = groups.slice(0, 6);
  const mapped = high.slice(0, 5).every((group) => group === 0) && (high[5] === 0xffff || high[5] === 0);
  const nat64 = high[0] === 0x64 && high[1] === 0xff9b && high.slice(2).every((group) => group === 0);
  if (!mapped && !nat64) return undefined;
  // `::` and `::1` are handled by the IPv6 list, not as IPv4 0.0.0.0/0.0.0.1.
  if (high[5] === 0 && !nat64 && (groups[6] ?? 0) === 0) return undefined;
  const [a = 0, b = 0] = [groups[6], groups[7]];
  return `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    // A trailing dotted quad (`::ffff:1.2.3.4`) is the last two groups.
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const zeros = new Array<string>(tail === undefined ? 0 : missing).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups].map((group) => Number.parseInt(group, 16));
  const valid =
    groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff);
  return valid ? groups : undefined;
}
