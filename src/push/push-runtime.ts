import type { Logger } from 'pino';

import type { PushConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { createNotifySender, type NotifySender, type SipSenderSettings } from '../sip/notify-sender.js';
import { validateSenderSettings } from '../sip/settings.js';
import { chooseAdvertisedHost } from './advertised-host.js';
import { startPushWorker } from './push-worker.js';

/** The NOTIFY sender and push worker of one server instance (or of one `htek-dms push` run). */
export interface PushRuntime {
  wake(): void;
  /**
   * Returns why this instance cannot send NOTIFYs (invalid SIP settings, no UDP port could be
   * bound), or undefined while the worker runs. POST /api/v1/push then responds with 503 and this reason.
   */
  unavailableReason(): string | undefined;
  /** Stops the worker (waiting up to `graceMs` for NOTIFYs in flight) and closes the sender. */
  stop(graceMs?: number): Promise<void>;
}

export interface PushRuntimeOptions {
  pollIntervalMs?: number;
  staleAfterMs?: number;
  /** Claims devices of this job only, as `htek-dms push` does; unset claims every due job. */
  jobId?: string;
}

/** Converts the push settings to the sender's settings. */
export function senderSettings(config: PushConfig): SipSenderSettings {
  const settings: SipSenderSettings = { bindAddress: config.sipBindAddress, t1Ms: config.t1Ms, t2Ms: config.t2Ms, timerFMs: config.timerFMs, tcpConnectTimeoutMs: 5000 };
  if (config.sipAdvertisedHost !== undefined) settings.advertisedHost = config.sipAdvertisedHost;
  if (config.sipAdvertisedPort !== undefined) settings.advertisedPort = config.sipAdvertisedPort;
  if (config.sipSourcePorts !== undefined) settings.sourcePortRange = config.sipSourcePorts;
  return settings;
}

/**
 * Validates the sender settings, filling in an advertised host when none is set (see
 * chooseAdvertisedHost), and binds the NOTIFY sender. Returns the reason instead of throwing.
 */
export async function openConfiguredSender(config: PushConfig, logger: Logger): Promise<{ sender: NotifySender; settings: SipSenderSettings } | { reason: string }> {
  const settings = senderSettings(config);
  const advertised = chooseAdvertisedHost(config, logger);
  if (advertised.host !== undefined) settings.advertisedHost = advertised.host;

  try {
    validateSenderSettings(settings);
    return { sender: await createNotifySender(settings, logger), settings };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reason: `the SIP NOTIFY sender could not start: ${message}` };
  }
}

/**
 * Binds the NOTIFY sender and starts the push worker. When the sender cannot start, it logs
 * why and returns a runtime whose unavailableReason returns the reason. The server still
 * runs, and the push API rejects new pushes with 503 instead of queueing them silently.
 */
export async function startPushRuntime(config: PushConfig, db: Db, logger: Logger, options: PushRuntimeOptions = {}): Promise<PushRuntime> {
  const opened = await openConfiguredSender(config, logger);
  if ('reason' in opened) {
    logger.error({ reason: opened.reason }, 'push worker not started; POST /api/v1/push responds with 503 until the SIP settings are fixed and the server restarts');
    return { wake: () => {}, unavailableReason: () => opened.reason, stop: async () => {} };
  }

  const { sender, settings } = opened;
  const worker = startPushWorker({
    db,
    logger,
    sender,
    maxInFlight: Math.max(config.maxConcurrent, 100),
    pollIntervalMs: options.pollIntervalMs ?? 500,
    // A NOTIFY takes at most two Timer F periods (the challenge and the retry) plus a TCP connect.
    staleAfterMs: options.staleAfterMs ?? 2 * config.timerFMs + 15_000,
    ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
  });
  logger.info({ udp: sender.udpLocalAddress, advertisedHost: settings.advertisedHost ?? null, jobId: options.jobId ?? null }, 'SIP NOTIFY sender bound');

  return {
    wake: () => worker.wake(),
    unavailableReason: () => undefined,
    async stop(graceMs) {
      await worker.stop(graceMs);
      await sender.close();
    },
  };
}
