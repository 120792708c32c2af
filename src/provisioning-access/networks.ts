import net from 'node:net';

/** Builds a matcher for a list of CIDR ranges (IPv4 and IPv6); IPv4-mapped IPv6 addresses match IPv4 ranges. */
export function createNetworkMatcher(cidrs: string[]): (address: string) => boolean {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [base = '', prefix] = cidr.split('/');
    const family = net.isIPv6(base) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(base, family);
    else list.addSubnet(base, Number(prefix), family);
  }

  return (address) => {
    const mapped = address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
    const family = net.isIPv6(mapped) ? 'ipv6' : 'ipv4';
    return net.isIP(mapped) !== 0 && list.check(mapped, family);
  };
}

/** Checks one CIDR entry; returns the problem or undefined. */
export function invalidCidr(cidr: string): string | undefined {
  const [base = '', prefix, ...rest] = cidr.split('/');
  const family = net.isIP(base);
  if (family === 0 || rest.length > 0) return `${JSON.stringify(cidr)} is not an IP address or CIDR range such as 10.0.0.0/8`;
  if (prefix !== undefined && (!/^\d+$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128))) return `${JSON.stringify(cidr)} has an invalid prefix length`;
  return undefined;
}
