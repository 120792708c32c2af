/** What an Htek phone says about itself in its HTTP User-Agent. */
export interface PhoneUserAgent {
  model: string;
  firmware: string;
  /** Canonical MAC (12 lowercase hex digits). */
  mac: string;
}

// Htek phones send `Htek <model> <version> <mac with colons>`, e.g.
// `Htek UC926 2.0.4.2 00:1f:c1:00:00:00`. Other shapes are treated as foreign.
const htekUserAgent = /^Htek\s+(\S+)\s+(\S+)\s+((?:[0-9a-f]{2}:){5}[0-9a-f]{2}|[0-9a-f]{12})$/i;

/** Parses an Htek User-Agent; returns undefined for a missing or foreign one. */
export function parseUserAgent(header: string | undefined): PhoneUserAgent | undefined {
  if (!header) return undefined;
  const match = htekUserAgent.exec(header.trim());
  if (!match) return undefined;

  const [, model = '', firmware = '', mac = ''] = match;
  return { model: model.toUpperCase(), firmware, mac: mac.replaceAll(':', '').toLowerCase() };
}
