import { createHash } from 'node:crypto';

import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { findModel } from '../devices/models.js';
import { buildConfigParameters } from './config-values.js';
import { loadDeviceConfig, recordFetch } from './provisioning-repo.js';
import type { Renderer } from './renderer.js';
import { identifyRequest } from './request-path.js';
import { parseUserAgent } from './user-agent.js';

export interface ProvisioningServiceDeps {
  db: Db;
  logger: Logger;
  renderer: Renderer;
  publicUrl: string | undefined;
  checkIntervalMinutes: number;
}

/** A phone's request as the route hands it over. */
export interface PhoneFetch {
  fileName: string;
  address: string;
  userAgent: string | undefined;
  /** Base URL the phone used, e.g. `http://10.0.0.5:8080/`; used when no public URL is set. */
  requestBaseUrl: string;
}

export type PhoneResponse =
  | { status: 200; mac: string; body: string; etag: string }
  | { status: 403 | 404; mac: string | undefined; reason: string };

export type ProvisioningService = ReturnType<typeof createProvisioningService>;

/**
 * The phone-facing pipeline: identify the file and device from the request, look the device
 * up, record what the phone told us, render its file and hand back the response.
 */
export function createProvisioningService({ db, logger, renderer, publicUrl, checkIntervalMinutes }: ProvisioningServiceDeps) {
  async function fetchConfig(fetch: PhoneFetch): Promise<PhoneResponse> {
    const request = identifyRequest(fetch.fileName);
    if (request.kind === 'not-served') return { status: 404, mac: request.mac, reason: request.reason };
    const { mac } = request;

    const userAgent = parseUserAgent(fetch.userAgent);
    if (userAgent && userAgent.mac !== mac) {
      logger.warn({ event: 'security', mac, userAgentMac: userAgent.mac, address: fetch.address }, 'phone request refused: User-Agent MAC differs from the MAC in the path');
      return { status: 403, mac, reason: 'User-Agent MAC differs from the requested file' };
    }

    const record = await loadDeviceConfig(db, mac);
    if (!record) return { status: 404, mac, reason: 'unknown MAC' };

    // Recording must not delay the phone's response; a failure is logged and the file still served.
    recordFetch(db, record.device.id, { address: fetch.address, userAgent: fetch.userAgent, reportedModel: userAgent?.model, firmware: userAgent?.firmware }).catch(
      (error: unknown) => logger.error({ err: error, mac }, 'recording a phone fetch failed'),
    );

    const body = renderDevice(record, fetch.requestBaseUrl);
    return { status: 200, mac, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
  }

  /** Renders the file a device gets; `null` when no device has this MAC. */
  async function renderForMac(mac: string, requestBaseUrl: string): Promise<string | null> {
    const record = await loadDeviceConfig(db, mac);
    return record ? renderDevice(record, requestBaseUrl) : null;
  }

  function renderDevice(record: NonNullable<Awaited<ReturnType<typeof loadDeviceConfig>>>, requestBaseUrl: string): string {
    const dialect = findModel(record.device.model)?.dialect ?? 'p-code';
    const parameters = buildConfigParameters({
      deviceProfile: record.deviceProfile,
      lines: record.lines,
      configServerUrl: publicUrl ?? requestBaseUrl,
      checkIntervalMinutes,
    });
    return renderer.render(dialect, parameters);
  }

  return { fetchConfig, renderForMac };
}
