import { isIPv4, isIPv6 } from 'node:net';

/**
 * Checks of the registrar and proxy addresses of a profile. The phone file writes `sipServer`
 * and `sipPort` as separate settings, so a port or scheme in `sipServer` would end up in the
 * file as `host:5070:5060`.
 */

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens (RFC 1123). */
const hostNameForm = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function isHost(text: string): boolean {
  return isIPv4(text) || isIPv6(text) || (hostNameForm.test(text) && !/^[0-9.]+$/.test(text));
}

/** Returns the broken rule for a `sipServer` value, or undefined when it is a bare host. */
export function sipServerRule(value: string): string | undefined {
  if (isHost(value)) return undefined;

  const quoted = JSON.stringify(value);
  // A colon followed by anything but a port number, as in `sip:pbx` or `sip://pbx/`, marks a scheme.
  if (/^[a-z][a-z0-9+.-]*:(?![0-9]*$)/i.test(value)) {
    return `${quoted} is not a host name or IP address; remove the scheme (such as "sip:") and any path, and put the port in sipPort`;
  }
  if (/^(\[[0-9a-f:.]+\]|[^:]+):[0-9]*$/i.test(value)) {
    return `${quoted} contains a port; enter only the host name or IP address and put the port in sipPort`;
  }
  return `${quoted} is not a host name or IP address; enter only the host, e.g. pbx.example.net or 192.0.2.10, and put the port in sipPort`;
}

/** Returns the broken rule for an outbound proxy or failover value, or undefined when it is host or host:port. */
export function hostAndPortRule(value: string): string | undefined {
  if (isHost(value)) return undefined;

  const quoted = JSON.stringify(value);
  const withPort = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+)):([0-9]+)$/i.exec(value);
  if (withPort) {
    const host = withPort[1] ?? withPort[2] ?? '';
    const hostValid = withPort[1] === undefined ? isHost(host) && !isIPv6(host) : isIPv6(host);
    const port = Number(withPort[3]);
    if (hostValid && port >= 1 && port <= 65535) return undefined;
    if (hostValid) return `${quoted} has port ${withPort[3]}; the port must be from 1 to 65535`;
  }
  return `${quoted} must be a host or host:port, e.g. proxy.example.net, proxy.example.net:5061 or [2001:db8::1]:5061, without scheme or path`;
}
