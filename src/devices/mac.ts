/**
 * MAC address handling. The canonical form, used in the database and in file names, is 12
 * lowercase hex digits with no separators (`001fc110d3a9`).
 */

const separatedForms = [
  /^[0-9a-f]{2}([:-])[0-9a-f]{2}\1[0-9a-f]{2}\1[0-9a-f]{2}\1[0-9a-f]{2}\1[0-9a-f]{2}$/i,
  /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i,
  /^[0-9a-f]{12}$/i,
];

export const macExample = '00:1f:c1:10:d3:a9';

/**
 * Returns the canonical MAC for any common notation (colons, dashes, Cisco dots, bare; any
 * case; surrounding spaces), or undefined when the text is not a MAC.
 */
export function canonicalMac(text: string): string | undefined {
  const trimmed = text.trim();
  if (!separatedForms.some((form) => form.test(trimmed))) return undefined;
  return trimmed.replace(/[:.-]/g, '').toLowerCase();
}

/** Explains why `text` is not a MAC, in words an admin can act on. */
export function describeInvalidMac(text: string): string {
  const trimmed = text.trim();
  if (/^cfg[0-9a-z]{12}(\.xml)?$/i.test(trimmed) || /\.(xml|cfg)$/i.test(trimmed)) {
    return `"${text}" is a provisioning file name, not a MAC; enter only the MAC, e.g. ${macExample} or 001fc110d3a9`;
  }
  return `"${text}" is not a MAC address; expected 12 hex digits such as ${macExample}, 00-1f-c1-10-d3-a9, 001f.c110.d3a9 or 001fc110d3a9`;
}

/**
 * Explains why a canonical MAC cannot belong to a phone, or returns undefined. The broadcast and
 * all-zero addresses and multicast addresses (lowest bit of the first octet set, IEEE 802) never
 * identify one network card.
 */
export function reservedMacRule(mac: string): string | undefined {
  const withColons = macWithColons(mac);
  if (mac === 'ffffffffffff') return `${withColons} is the broadcast address, not a phone's MAC; enter the MAC on the phone's label`;
  if (mac === '000000000000') return `${withColons} is the all-zero address, not a phone's MAC; enter the MAC on the phone's label`;
  if (parseInt(mac.slice(0, 2), 16) % 2 === 1) {
    return `${withColons} is a multicast address (the first octet ${mac.slice(0, 2)} is odd), not a phone's MAC; check it against the phone's label`;
  }
  return undefined;
}

/** Formats a canonical MAC with colons, as phones print it in their User-Agent. */
export function macWithColons(mac: string): string {
  return mac.match(/.{2}/g)?.join(':') ?? mac;
}
