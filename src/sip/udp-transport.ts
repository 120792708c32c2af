import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, isIPv6 } from 'node:net';

import type { Logger } from 'pino';

import { formatHostPort, parseCSeq, parseResponse, SipParseError, topViaBranch } from './sip-message.js';
import type { OutgoingRequest, RequestChannel, TransactionResult, TransactionTimers } from './transaction.js';
import type { SentBy } from './types.js';

export interface UdpTransportOptions {
  bindAddress: string;
  /** Inclusive range of local ports to try; an ephemeral port when absent. */
  sourcePortRange?: [number, number];
  timers: TransactionTimers;
}

interface UdpDestination {
  address: string;
  port: number;
}

/** State of one RFC 3261 non-INVITE client transaction over UDP. */
interface PendingTransaction {
  request: OutgoingRequest;
  message: Buffer;
  destination: UdpDestination;
  transmissions: number;
  /** Current Timer E interval: T1, doubled per retransmission up to T2, and T2 once a 1xx arrived. */
  retransmitIntervalMs: number;
  proceeding: boolean;
  timerE: NodeJS.Timeout | undefined;
  timerF: NodeJS.Timeout | undefined;
  finish: (result: TransactionResult) => void;
}

/**
 * Client transaction layer over one shared UDP socket. Every NOTIFY in flight uses the same
 * socket, and responses are matched to transactions by the top Via branch and the CSeq method.
 */
export class UdpTransactionLayer {
  private readonly pending = new Map<string, PendingTransaction>();

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly timers: TransactionTimers,
    private readonly logger: Logger,
  ) {
    socket.on('message', (message, remote) => this.handleMessage(message, remote));
    socket.on('error', (error) => this.handleSocketError(error));
  }

  /** Binds the socket. Rejects when no port of the configured range can be bound. */
  static async open(options: UdpTransportOptions, logger: Logger): Promise<UdpTransactionLayer> {
    const socket = await bindSocket(options.bindAddress, options.sourcePortRange);
    const layer = new UdpTransactionLayer(socket, options.timers, logger);

    const local = layer.localAddress;
    logger.info({ localAddress: formatHostPort(local.host, local.port) }, 'SIP UDP socket bound');
    return layer;
  }

  get localAddress(): SentBy {
    const address = this.socket.address();
    return { host: address.address, port: address.port };
  }

  /** Returns a channel to one phone. A host name is resolved to the socket's address family first. */
  async channelTo(host: string, port: number, sentBy: SentBy): Promise<RequestChannel | { error: string }> {
    const resolved = await this.resolveHost(host);
    if ('error' in resolved) return resolved;

    const destination = { address: resolved.address, port };
    return { sentBy, sendRequest: (request) => this.runTransaction(request, destination) };
  }

  /** Closes the socket. Transactions still in flight end as errors. */
  async close(): Promise<void> {
    this.failAll('the SIP sender was closed before a final response arrived');
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
    this.logger.info('SIP UDP socket closed');
  }

  private async resolveHost(host: string): Promise<{ address: string } | { error: string }> {
    if (isIP(host) !== 0) return { address: host };

    // NOTE: a plain A/AAAA lookup. RFC 3263 NAPTR and SRV records are not consulted, so a
    // host name must resolve to the phone itself.
    const family = this.socket.address().family === 'IPv6' ? 6 : 4;
    try {
      const result = await lookup(host, { family });
      return { address: result.address };
    } catch (error) {
      return { error: `DNS lookup of "${host}" failed: ${(error as Error).message}` };
    }
  }

  private runTransaction(request: OutgoingRequest, destination: UdpDestination): Promise<TransactionResult> {
    return new Promise<TransactionResult>((resolve) => {
      const transaction: PendingTransaction = {
        request,
        message: Buffer.from(request.text, 'utf8'),
        destination,
        transmissions: 0,
        retransmitIntervalMs: this.timers.t1Ms,
        proceeding: false,
        timerE: undefined,
        timerF: undefined,
        finish: (result) => {
          clearTimeout(transaction.timerE);
          clearTimeout(transaction.timerF);
          this.pending.delete(request.branch);
          resolve(result);
        },
      };
      this.pending.set(request.branch, transaction);

      transaction.timerF = setTimeout(() => {
        transaction.finish({ kind: 'timeout', transmissions: transaction.transmissions });
      }, this.timers.timerFMs);
      this.transmit(transaction);
    });
  }

  /** Writes the request and arms Timer E for the next retransmission (RFC 3261 section 17.1.2.2). */
  private transmit(transaction: PendingTransaction): void {
    const { request, destination } = transaction;
    transaction.transmissions += 1;
    this.logger.debug(
      {
        callId: request.callId,
        branch: request.branch,
        target: formatHostPort(destination.address, destination.port),
        transmission: transaction.transmissions,
      },
      transaction.transmissions === 1 ? 'SIP request sent over UDP' : 'SIP request retransmitted over UDP',
    );

    this.socket.send(transaction.message, destination.port, destination.address, (error) => {
      if (error !== null && this.pending.get(request.branch) === transaction) {
        const message = `UDP send failed: ${error.message}`;
        transaction.finish({ kind: 'error', message, transmissions: transaction.transmissions });
      }
    });

    if (transaction.transmissions > 1) {
      const doubled = Math.min(transaction.retransmitIntervalMs * 2, this.timers.t2Ms);
      transaction.retransmitIntervalMs = transaction.proceeding ? this.timers.t2Ms : doubled;
    }
    transaction.timerE = setTimeout(() => this.transmit(transaction), transaction.retransmitIntervalMs);
  }

  private handleMessage(message: Buffer, remote: dgram.RemoteInfo): void {
    const source = formatHostPort(remote.address, remote.port);
    let response;
    try {
      response = parseResponse(message);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.logger.debug({ source, error: error.message }, 'Dropped a UDP datagram that is not a SIP response');
      return;
    }

    const branch = topViaBranch(response);
    const transaction = branch === undefined ? undefined : this.pending.get(branch);
    if (transaction === undefined || parseCSeq(response)?.method !== transaction.request.method) {
      this.logger.debug({ source, branch, status: response.status }, 'Dropped a SIP response that matches no transaction');
      return;
    }

    if (response.status < 200) {
      // A provisional response stops nothing: retransmissions go on at T2 until a final response or Timer F.
      transaction.proceeding = true;
      this.logger.debug({ callId: transaction.request.callId, status: response.status }, 'SIP provisional response received');
      return;
    }
    transaction.finish({ kind: 'response', response, transmissions: transaction.transmissions });
  }

  private handleSocketError(error: Error): void {
    this.logger.error({ error: error.message }, 'SIP UDP socket failed');
    this.failAll(`UDP socket error: ${error.message}`);
  }

  private failAll(message: string): void {
    for (const transaction of [...this.pending.values()]) {
      transaction.finish({ kind: 'error', message, transmissions: transaction.transmissions });
    }
  }
}

/**
 * Binds a UDP socket to the first free port of the range, starting at a random port of the
 * range so that several processes sharing a range do not all race for its first port.
 */
async function bindSocket(bindAddress: string, portRange: [number, number] | undefined): Promise<dgram.Socket> {
  if (portRange === undefined) return bindOnce(bindAddress, 0);

  const [first, last] = portRange;
  const count = last - first + 1;
  const offset = Math.floor(Math.random() * count);
  let lastError: Error | undefined;

  for (let i = 0; i < count; i++) {
    const port = first + ((offset + i) % count);
    try {
      return await bindOnce(bindAddress, port);
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw new Error(
    `no UDP port from ${first} to ${last} on ${bindAddress} could be bound (last error: ${lastError?.message}); ` +
      'widen sourcePortRange or free a port',
  );
}

function bindOnce(bindAddress: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(isIPv6(bindAddress) ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ address: bindAddress, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
