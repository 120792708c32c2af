import type { NotifyTarget } from '../sip/notify-sender.js';

/** What a device's NOTIFY target is chosen from. */
export interface TargetSource {
  lastAddress: string | null;
  sipTarget: string | null;
  reportedSipPort: number | null;
  /** The account on the device's lowest line with its profile transport, or null without lines. */
  line: {
    sipUserId: string;
    authId: string;
    authPassword: string;
    localSipPort: number;
    useRandomPort: boolean;
    transport: 'udp' | 'tcp' | 'tls';
  } | null;
}

const defaultSipPort = 5060;

/**
 * Parses a `sipTarget` override: `[udp:|tcp:]host[:port]`, where an IPv6 host is written in
 * brackets. Returns the parts, or a sentence saying what is wrong.
 */
export function parseSipTarget(text: string): { host: string; port: number | undefined; transport: 'udp' | 'tcp' | undefined } | { error: string } {
  const match = /^(?:(udp|tcp):)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (match === null) {
    return { error: `"${text}" is not a SIP target; expected [udp:|tcp:]host[:port], e.g. 192.0.2.10:5062 or tcp:[2001:db8::5]:5060` };
  }

  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return { error: `port ${port} in "${text}" is not from 1 to 65535` };
  const host = (match[2] ?? '').replace(/^\[|\]$/g, '');
  return { host, port, transport: match[1] as 'udp' | 'tcp' | undefined };
}

/** Strips the IPv4-mapped prefix that a dual-stack listener puts before IPv4 addresses. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/**
 * Chooses where a device's NOTIFY goes: the override when set, else the last known address with
 * the SIP port of the account on the lowest line (the reported port when Use Random Port is on).
 * Returns a reason instead when no target can be made, so nothing is sent.
 */
export function resolveNotifyTarget(source: TargetSource, reboot: boolean): { target: NotifyTarget } | { reason: string; outcome: string } {
  const override = source.sipTarget === null ? undefined : parseSipTarget(source.sipTarget);
  if (override !== undefined && 'error' in override) return { outcome: 'failed', reason: `invalid sipTarget: ${override.error}` };

  const host = override?.host ?? (source.lastAddress === null ? undefined : plainAddress(source.lastAddress));
  if (host === undefined) return { outcome: 'no-address', reason: 'no address known: the phone has not fetched its file or sent a status report yet' };

  const line = source.line;
  let port = override?.port;
  if (port === undefined && line !== null && line.useRandomPort) {
    if (source.reportedSipPort === null) {
      return { outcome: 'no-address', reason: 'no SIP port known: the line uses a random port and the phone has not reported it; set sipTarget on the device' };
    }
    port = source.reportedSipPort;
  }
  port ??= line?.localSipPort ?? defaultSipPort;

  let transport = override?.transport;
  if (transport === undefined && line?.transport === 'tls') {
    return { outcome: 'failed', reason: 'the line uses TLS, which the NOTIFY sender does not speak; set sipTarget to udp: or tcp:' };
  }
  transport ??= line?.transport === 'tcp' ? 'tcp' : 'udp';

  const target: NotifyTarget = { host, port, transport, reboot };
  if (line !== null) {
    target.user = line.sipUserId;
    target.credentials = { username: line.authId, password: line.authPassword };
  }
  return { target };
}
