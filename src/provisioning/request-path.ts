/**
 * Identifies what a phone asked for from the file name in the request path. Only
 * `cfg<mac>.xml` is served with a body. Htek phones ask in turn for `cfg<device code>.xml`,
 * `cfg<mac>` and `cfg<mac>.xml` and may stop at the first file they receive, so every other
 * name answers 404 and the phone goes on to its own file.
 */
export type PhoneRequest =
  | { kind: 'device-config'; mac: string }
  | { kind: 'not-served'; reason: string; mac?: string };

const deviceConfig = /^cfg([0-9a-f]{12})\.xml$/i;
const notServed: [RegExp, string][] = [
  [/^cfg[0-9]{4}\.xml$/i, 'model-wide file cfg<device code>.xml is not served so the phone fetches its own file'],
  [/^cfg([0-9a-f]{12})$/i, 'Htek binary file cfg<mac> is not served'],
  [/^([0-9a-f]{12})\.cfg$/i, '<mac>.cfg is not served'],
  [/^factory[0-9a-z]*\.bin$/i, 'factory files are never served'],
];

export function identifyRequest(fileName: string): PhoneRequest {
  const match = deviceConfig.exec(fileName);
  if (match?.[1]) return { kind: 'device-config', mac: match[1].toLowerCase() };

  for (const [pattern, reason] of notServed) {
    const notServedMatch = pattern.exec(fileName);
    if (notServedMatch) return { kind: 'not-served', reason, mac: notServedMatch[1]?.toLowerCase() };
  }
  return { kind: 'not-served', reason: 'unknown file name' };
}
