import type { Logger } from 'pino';

import { buildDigestAuthorization, parseDigestChallenges, unsupportedChallengeReason } from './digest.js';
import { invalidTargetReason, statusLine, toNotifyResult } from './notify-result.js';
import { validateSenderSettings } from './settings.js';
import {
  buildNotify,
  buildRequestUri,
  formatHostPort,
  newBranch,
  newCallId,
  newTag,
  type NotifyRequestFields,
  type SipResponse,
} from './sip-message.js';
import { TcpConnection, type TcpTransportOptions } from './tcp-transport.js';
import type { OutgoingRequest, RequestChannel } from './transaction.js';
import type { NotifyResult, NotifyTarget, SentBy, SipSenderSettings } from './types.js';
import { UdpTransactionLayer, type UdpTransportOptions } from './udp-transport.js';

export type { NotifyResult, NotifyTarget, SipSenderSettings } from './types.js';
export { defaultSipSenderSettings } from './settings.js';

/** Sends check-sync NOTIFYs. One sender keeps one UDP socket for all NOTIFYs in flight. */
export interface NotifySender {
  /**
   * Sends one NOTIFY and responds to at most one digest challenge. Network problems and invalid
   * targets end in the result, so the promise does not reject.
   */
  sendCheckSync(target: NotifyTarget): Promise<NotifyResult>;
  /** Local address of the shared UDP socket. */
  readonly udpLocalAddress: SentBy;
  /** Closes the UDP socket and open TCP connections, so NOTIFYs in flight end as `failed`. */
  close(): Promise<void>;
}

/** Fields shared by a NOTIFY and its authenticated retry. */
interface NotifyDialogIds {
  requestUri: string;
  callId: string;
  fromTag: string;
}

type AuthorizationField = NonNullable<NotifyRequestFields['authorization']>;

/**
 * Validates the settings and binds the UDP socket. Rejects on invalid settings or when no
 * port of the source port range can be bound.
 */
export async function createNotifySender(settings: SipSenderSettings, logger: Logger): Promise<NotifySender> {
  validateSenderSettings(settings);

  const sipLogger = logger.child({ component: 'sip-notify' });
  const timers = { t1Ms: settings.t1Ms, t2Ms: settings.t2Ms, timerFMs: settings.timerFMs };
  const udpOptions: UdpTransportOptions = { bindAddress: settings.bindAddress, timers };
  if (settings.sourcePortRange !== undefined) udpOptions.sourcePortRange = settings.sourcePortRange;
  const udp = await UdpTransactionLayer.open(udpOptions, sipLogger);

  return new CheckSyncSender(settings, udp, sipLogger);
}

class CheckSyncSender implements NotifySender {
  private readonly tcpConnections = new Set<TcpConnection>();
  private closed = false;

  constructor(
    private readonly settings: SipSenderSettings,
    private readonly udp: UdpTransactionLayer,
    private readonly logger: Logger,
  ) {}

  get udpLocalAddress(): SentBy {
    return this.udp.localAddress;
  }

  async sendCheckSync(target: NotifyTarget): Promise<NotifyResult> {
    const targetText = `${target.transport}:${formatHostPort(target.host, target.port)}`;
    const invalidReason = this.closed ? 'the SIP sender is closed' : invalidTargetReason(target);
    if (invalidReason !== undefined) {
      this.logger.warn({ target: targetText, reason: invalidReason }, 'check-sync NOTIFY not sent');
      return { outcome: 'failed', reason: invalidReason, attempts: 0 };
    }

    const ids: NotifyDialogIds = {
      requestUri: buildRequestUri(target.host, target.port, target.user),
      callId: newCallId(),
      fromTag: newTag(),
    };
    const result = await this.sendOverChannel(target, ids);

    const logFields = { target: targetText, callId: ids.callId, reboot: target.reboot === true, ...result };
    if (result.outcome === 'answered') {
      this.logger.info(logFields, 'check-sync NOTIFY answered');
    } else {
      this.logger.warn(logFields, `check-sync NOTIFY ${result.outcome}`);
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.tcpConnections) connection.close();
    await this.udp.close();
  }

  private async sendOverChannel(target: NotifyTarget, ids: NotifyDialogIds): Promise<NotifyResult> {
    if (target.transport === 'udp') {
      const channel = await this.udp.channelTo(target.host, target.port, this.udpSentBy());
      if ('error' in channel) return { outcome: 'failed', reason: channel.error, attempts: 0 };
      return this.runNotify(target, ids, channel);
    }

    const connection = await TcpConnection.connect(target.host, target.port, this.tcpOptions(), this.logger);
    if ('error' in connection) return { outcome: 'failed', reason: connection.error, attempts: 0 };

    this.tcpConnections.add(connection);
    try {
      return await this.runNotify(target, ids, connection);
    } finally {
      connection.close();
      this.tcpConnections.delete(connection);
    }
  }

  /** Sends the NOTIFY and, after a 401 or 407, one retry with credentials (CSeq + 1, new branch). */
  private async runNotify(target: NotifyTarget, ids: NotifyDialogIds, channel: RequestChannel): Promise<NotifyResult> {
    const first = await channel.sendRequest(this.buildRequest(target, ids, channel.sentBy, 1));
    if (first.kind !== 'response' || !isChallenge(first.response)) {
      return toNotifyResult(first, first.transmissions);
    }

    const authorization = this.buildAuthorization(first.response, target, ids);
    const status = first.response.status;
    if ('reason' in authorization) {
      return { outcome: 'refused', sipStatus: status, reason: authorization.reason, attempts: first.transmissions };
    }
    this.logger.debug({ callId: ids.callId, status }, 'Retrying check-sync NOTIFY with digest credentials');

    const second = await channel.sendRequest(this.buildRequest(target, ids, channel.sentBy, 2, authorization));
    const result = toNotifyResult(second, first.transmissions + second.transmissions);
    if (second.kind === 'response' && isChallenge(second.response)) {
      result.reason = `${statusLine(second.response)}: the credentials were rejected`;
    }
    return result;
  }

  /** Builds the Authorization (401) or Proxy-Authorization (407) line, or returns why it cannot. */
  private buildAuthorization(
    response: SipResponse,
    target: NotifyTarget,
    ids: NotifyDialogIds,
  ): AuthorizationField | { reason: string } {
    const line = statusLine(response);
    if (target.credentials === undefined) {
      return { reason: `${line}: the target has no credentials for the digest challenge` };
    }

    const isProxy = response.status === 407;
    const headerValues = response.headers.get(isProxy ? 'proxy-authenticate' : 'www-authenticate') ?? [];
    const challenges = parseDigestChallenges(headerValues);
    const challenge = challenges.find((candidate) => unsupportedChallengeReason(candidate) === undefined);
    if (challenge === undefined) {
      const firstChallenge = challenges[0];
      const detail =
        firstChallenge === undefined ? 'no Digest challenge with realm and nonce' : unsupportedChallengeReason(firstChallenge);
      return { reason: `${line}: ${detail}` };
    }

    const credentials = target.credentials;
    const value = buildDigestAuthorization({ challenge, credentials, method: 'NOTIFY', uri: ids.requestUri });
    return { headerName: isProxy ? 'Proxy-Authorization' : 'Authorization', value };
  }

  private buildRequest(
    target: NotifyTarget,
    ids: NotifyDialogIds,
    sentBy: SentBy,
    cseq: number,
    authorization?: AuthorizationField,
  ): OutgoingRequest {
    const fields: NotifyRequestFields = {
      ...ids,
      transport: target.transport,
      sentBy,
      branch: newBranch(),
      cseq,
      reboot: target.reboot === true,
    };
    if (authorization !== undefined) fields.authorization = authorization;

    return { branch: fields.branch, callId: ids.callId, method: 'NOTIFY', text: buildNotify(fields) };
  }

  private udpSentBy(): SentBy {
    const local = this.udp.localAddress;
    return { host: this.settings.advertisedHost ?? local.host, port: this.settings.advertisedPort ?? local.port };
  }

  private tcpOptions(): TcpTransportOptions {
    const { bindAddress, t1Ms, t2Ms, timerFMs, tcpConnectTimeoutMs, advertisedHost, advertisedPort } = this.settings;
    const options: TcpTransportOptions = {
      bindAddress,
      connectTimeoutMs: tcpConnectTimeoutMs,
      timers: { t1Ms, t2Ms, timerFMs },
    };
    if (advertisedHost !== undefined) options.advertisedHost = advertisedHost;
    if (advertisedPort !== undefined) options.advertisedPort = advertisedPort;
    return options;
  }
}

function isChallenge(response: SipResponse): boolean {
  return response.status === 401 || response.status === 407;
}
