/** A phone to send one check-sync NOTIFY to. */
export interface NotifyTarget {
  /** Host name or IP address of the phone (an IPv6 address without brackets). */
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  /** User part of the Request-URI, usually the SIP account the phone registered. */
  user?: string;
  /** Digest credentials, used once when the phone or a proxy responds with 401 or 407. */
  credentials?: { username: string; password: string };
  /** Sends `Event: check-sync;reboot=true` so that the phone reboots after the sync. */
  reboot?: boolean;
}

/** Network settings of a NOTIFY sender. Timer names and defaults follow RFC 3261 section 17.1.2. */
export interface SipSenderSettings {
  /** Local address for the UDP socket and the TCP connections, e.g. `127.0.0.1`, `0.0.0.0` or `::`. */
  bindAddress: string;
  /** Inclusive range of local UDP ports to bind. Without it the system picks an ephemeral port. */
  sourcePortRange?: [number, number];
  /** Host put in Via and Contact. Defaults to the local address of the socket. */
  advertisedHost?: string;
  /** Port put in Via and Contact. Defaults to the local port of the socket. */
  advertisedPort?: number;
  /** RFC 3261 T1 in milliseconds: the first UDP retransmission interval (500 by default). */
  t1Ms: number;
  /** RFC 3261 T2 in milliseconds: the maximum UDP retransmission interval (4000 by default). */
  t2Ms: number;
  /** RFC 3261 Timer F in milliseconds: how long to wait for a final response (64 * T1 by default). */
  timerFMs: number;
  /** How long a TCP connect may take, in milliseconds. */
  tcpConnectTimeoutMs: number;
}

/** Outcome of one check-sync NOTIFY, including the retry after a digest challenge. */
export interface NotifyResult {
  /**
   * `answered`: a 2xx final response. `refused`: a 3xx to 6xx final response. `timed-out`: no
   * final response before Timer F. `failed`: the request could not be sent, e.g. a socket error,
   * a refused or timed-out TCP connect, a failed DNS lookup or an invalid target. A UDP phone
   * that is down ends as `timed-out`, because an unconnected UDP socket does not report ICMP errors.
   */
  outcome: 'answered' | 'refused' | 'timed-out' | 'failed';
  /** Status code of the last final response, when there was one. */
  sipStatus?: number;
  /** Status line text (`403 Forbidden`) or the error message. */
  reason: string;
  /** How many times a NOTIFY was written to the network, counting UDP retransmissions and the authenticated retry. */
  attempts: number;
}

/** Host and port written into Via and Contact. */
export interface SentBy {
  host: string;
  port: number;
}
