import net from 'node:net';

import type { Logger } from 'pino';

import {
  formatHostPort,
  parseCSeq,
  parseResponse,
  SipParseError,
  takeStreamMessage,
  topViaBranch,
} from './sip-message.js';
import type { OutgoingRequest, RequestChannel, TransactionResult, TransactionTimers } from './transaction.js';
import type { SentBy } from './types.js';

export interface TcpTransportOptions {
  bindAddress: string;
  connectTimeoutMs: number;
  timers: TransactionTimers;
  advertisedHost?: string;
  advertisedPort?: number;
}

interface PendingTransaction {
  request: OutgoingRequest;
  finish: (result: TransactionResult) => void;
}

/**
 * One TCP connection to a phone, used for one NOTIFY and its authenticated retry. Requests
 * run one at a time, and responses are framed by the blank line plus Content-Length.
 */
export class TcpConnection implements RequestChannel {
  readonly sentBy: SentBy;
  private received: Buffer = Buffer.alloc(0);
  private pending: PendingTransaction | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly timers: TransactionTimers,
    private readonly logger: Logger,
    options: TcpTransportOptions,
  ) {
    this.sentBy = {
      host: options.advertisedHost ?? socket.localAddress ?? options.bindAddress,
      port: options.advertisedPort ?? socket.localPort ?? 0,
    };
    socket.on('data', (chunk) => this.handleData(chunk));
    socket.on('error', (error) => this.failPending(`TCP connection failed: ${error.message}`));
    socket.on('close', () => this.failPending('TCP connection closed by the peer before a final response'));
  }

  /** Opens the connection. Resolves with an error message on a refused, failed or timed-out connect. */
  static connect(
    host: string,
    port: number,
    options: TcpTransportOptions,
    logger: Logger,
  ): Promise<TcpConnection | { error: string }> {
    const target = formatHostPort(host, port);

    return new Promise((resolve) => {
      const socket = net.connect({ host, port, ...localBinding(options.bindAddress) });
      const connectTimer = setTimeout(() => {
        socket.destroy();
        resolve({ error: `TCP connect to ${target} timed out after ${options.connectTimeoutMs} ms` });
      }, options.connectTimeoutMs);

      const onConnectError = (error: Error): void => {
        clearTimeout(connectTimer);
        resolve({ error: `TCP connect to ${target} failed: ${error.message}` });
      };
      socket.once('error', onConnectError);

      socket.once('connect', () => {
        clearTimeout(connectTimer);
        socket.off('error', onConnectError);
        logger.debug({ target, localPort: socket.localPort }, 'SIP TCP connection opened');
        resolve(new TcpConnection(socket, options.timers, logger, options));
      });
    });
  }

  /** Writes the request and waits for its final response until Timer F. */
  sendRequest(request: OutgoingRequest): Promise<TransactionResult> {
    if (this.pending !== undefined) {
      throw new Error(`TCP connection already runs transaction ${this.pending.request.branch}; send requests one at a time`);
    }

    return new Promise<TransactionResult>((resolve) => {
      if (this.socket.destroyed) {
        resolve({ kind: 'error', message: 'TCP connection closed before the request was sent', transmissions: 0 });
        return;
      }

      const onTimerF = (): void => this.pending?.finish({ kind: 'timeout', transmissions: 1 });
      const timerF = setTimeout(onTimerF, this.timers.timerFMs);
      this.pending = {
        request,
        finish: (result) => {
          clearTimeout(timerF);
          this.pending = undefined;
          resolve(result);
        },
      };

      this.logger.debug(
        { callId: request.callId, branch: request.branch, target: formatHostPort(this.socket.remoteAddress ?? '', this.socket.remotePort ?? 0) },
        'SIP request sent over TCP',
      );
      this.socket.write(request.text, 'utf8');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private handleData(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);

    for (;;) {
      let framed;
      try {
        framed = takeStreamMessage(this.received);
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
        this.failPending(`invalid SIP stream from the peer: ${error.message}`);
        this.socket.destroy();
        return;
      }
      if (framed === undefined) return;

      this.received = framed.rest;
      this.handleMessage(framed.message);
    }
  }

  private handleMessage(message: Buffer): void {
    let response;
    try {
      response = parseResponse(message);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.logger.debug({ error: error.message }, 'Dropped a TCP message that is not a SIP response');
      return;
    }

    const pending = this.pending;
    const matches =
      pending !== undefined &&
      topViaBranch(response) === pending.request.branch &&
      parseCSeq(response)?.method === pending.request.method;
    if (!matches) {
      this.logger.debug({ status: response.status }, 'Dropped a SIP response that matches no transaction');
      return;
    }

    if (response.status < 200) {
      this.logger.debug({ callId: pending.request.callId, status: response.status }, 'SIP provisional response received');
      return;
    }
    pending.finish({ kind: 'response', response, transmissions: 1 });
  }

  private failPending(message: string): void {
    this.pending?.finish({ kind: 'error', message, transmissions: 1 });
  }
}

/** Binds the local end to bindAddress, except for a wildcard, where the system picks the address. */
function localBinding(bindAddress: string): { localAddress?: string; family?: number } {
  if (bindAddress === '0.0.0.0' || bindAddress === '::') return {};
  return { localAddress: bindAddress, family: net.isIPv6(bindAddress) ? 6 : 4 };
}
