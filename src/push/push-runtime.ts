import type { Logger } from 'pino';

import type { PushConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { createNotifySender, type SipSenderSettings } from '../sip/notify-sender.js';
import { validateSenderSettings } from '../sip/settings.js';
import { startPushWorker } from './push-worker.js';

/** The NOTIFY sender and push worker of one server instance. */
export interface PushRuntime {
  wake(): void;
  /** Stops the worker (waiting up to `graceMs` for NOTIFYs in flight) and closes the sender. */
  stop(graceMs?: number): Promise<void>;
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
 * Binds the NOTIFY sender and starts the push worker. With settings the sender cannot use (a
 * wildcard bind address and no advertised host) it logs why and returns undefined, so the
 * server still runs and push jobs stay queued until an instance with valid settings starts.
 */
export async function startPushRuntime(config: PushConfig, db: Db, logger: Logger, options: { pollIntervalMs?: number; staleAfterMs?: number } = {}): Promise<PushRuntime | undefined> {
  const settings = senderSettings(config);
  try {
    validateSenderSettings(settings);
  } catch (error) {
    logger.error({ err: error }, 'push worker not started: set HTEK_DMS_SIP_ADVERTISED_HOST or HTEK_DMS_SIP_BIND_ADDRESS; push jobs stay queued');
    return undefined;
  }

  const sender = await createNotifySender(settings, logger);
  const worker = startPushWorker({
    db,
    logger,
    sender,
    maxInFlight: Math.max(config.maxConcurrent, 100),
    pollIntervalMs: options.pollIntervalMs ?? 500,
    // A NOTIFY takes at most two Timer F periods (the challenge and the retry) plus a TCP connect.
    staleAfterMs: options.staleAfterMs ?? 2 * config.timerFMs + 15_000,
  });
  logger.info({ udp: sender.udpLocalAddress, advertisedHost: settings.advertisedHost ?? null }, 'SIP NOTIFY sender bound');

  return {
    wake: () => worker.wake(),
    async stop(graceMs) {
      await worker.stop(graceMs);
      await sender.close();
    },
  };
}
