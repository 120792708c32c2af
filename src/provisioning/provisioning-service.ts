import { createHash } from 'node:crypto';

import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { findModel } from '../devices/models.js';
import { confirmPushesAfterFetch } from '../push/push-confirmation.js';
import { loadEffectiveAccess } from '../provisioning-access/access-settings.js';
import { type PhoneCredentials, phoneServerParameters } from '../provisioning-access/phone-credentials.js';
import { buildConfigParameters } from './config-values.js';
import { createFetchRecorder } from './fetch-recorder.js';
import { profileExtraParameters } from './profile-extras.js';
import { type DeviceConfigRecord, type FetchRecord, loadDeviceConfig, recordDiscoveredDevice } from './provisioning-repo.js';
import type { Renderer } from './renderer.js';
import { identifyRequest } from './request-path.js';
import { parseUserAgent } from './user-agent.js';

export interface ProvisioningServiceDeps {
  db: Db;
  logger: Logger;
  renderer: Renderer;
  publicUrl: string | undefined;
  checkIntervalMinutes: number;
  /** Requests kept per device in its history (default 50). */
  requestHistoryLimit?: number;
  /** Unknown MACs kept in the discovered-devices list (default 1000). */
  discoveredDeviceLimit?: number;
  /** Writes the Action URLs that report registration status into phone files (default off). */
  statusReports?: boolean | undefined;
}

/** A phone's request as the route hands it over. */
export interface PhoneFetch {
  fileName: string;
  address: string;
  userAgent: string | undefined;
  /** Base URL the phone used, e.g. `http://10.0.0.5:8080/`; used when no public URL is set. */
  requestBaseUrl: string;
  /** The request's If-None-Match header. */
  ifNoneMatch?: string | undefined;
  /**
   * P1360/P1361 credentials when the access check already read them for this request (`null`:
   * none to write); left out, they are read from the access settings.
   */
  phoneCredentials?: PhoneCredentials | null;
}

export type PhoneResponse =
  | { status: 200; mac: string; body: string; etag: string }
  | { status: 304; mac: string; etag: string }
  | { status: 403 | 404; mac: string | undefined; reason: string };

export type ProvisioningService = ReturnType<typeof createProvisioningService>;

/** A rendered file and what was left out of it (lines, extra parameters), for the preview. */
export interface RenderedFile {
  body: string;
  etag: string;
  warnings: string[];
}

// Each device's warnings are logged once per input version, not on every fetch.
const maxWarnedVersions = 10_000;

/**
 * The phone-facing pipeline: identify the file and device from the request, look the device
 * up, render its file and return the response. What the phone reported is recorded after the
 * response is decided, without waiting for the write.
 */
export function createProvisioningService(deps: ProvisioningServiceDeps) {
  const { db, logger, renderer, publicUrl, checkIntervalMinutes } = deps;
  const historyLimit = deps.requestHistoryLimit ?? 50;
  const discoveredLimit = deps.discoveredDeviceLimit ?? 1000;
  const recorder = createFetchRecorder({ db, logger, historyLimit });
  const warnedVersions = new Set<string>();

  async function fetchConfig(fetch: PhoneFetch): Promise<PhoneResponse> {
    const request = identifyRequest(fetch.fileName);
    const userAgent = parseUserAgent(fetch.userAgent);
    const requestedAt = new Date();
    const record = (statusCode: number, reason: string | undefined, mac: string | undefined): FetchRecord | undefined =>
      mac === undefined
        ? undefined
        : { mac, requestedAt, fileName: fetch.fileName, statusCode, reason, address: fetch.address, userAgent: fetch.userAgent, reportedModel: userAgent?.model, firmware: userAgent?.firmware };

    if (request.kind === 'not-served') {
      recordInBackground(record(404, request.reason, request.mac), 'device');
      return { status: 404, mac: request.mac, reason: request.reason };
    }
    const { mac } = request;

    if (userAgent && userAgent.mac !== mac) {
      const reason = `User-Agent MAC ${userAgent.mac} differs from the MAC in the path`;
      logger.warn({ event: 'security', mac, userAgentMac: userAgent.mac, address: fetch.address }, 'phone request rejected: User-Agent MAC differs from the MAC in the path');
      recordInBackground(record(403, reason, mac), 'device');
      return { status: 403, mac, reason };
    }

    const device = await loadDeviceConfig(db, mac);
    if (!device) {
      recordInBackground(record(404, 'unknown MAC', mac), 'discovered');
      return { status: 404, mac, reason: 'unknown MAC' };
    }

    const phoneCredentials = fetch.phoneCredentials === undefined ? await phoneCredentialsOf(mac) : (fetch.phoneCredentials ?? undefined);
    const { body, etag } = renderDevice(device, fetch.requestBaseUrl, phoneCredentials);
    if (fetch.ifNoneMatch !== undefined && fetch.ifNoneMatch === etag) {
      recordInBackground(record(304, undefined, mac), 'device');
      return { status: 304, mac, etag };
    }
    recordInBackground(record(200, undefined, mac), 'device');
    confirmPushesAfterFetch(db, logger, mac, requestedAt);
    return { status: 200, mac, body, etag };
  }

  // Recording must not delay the phone's response; a failure is logged and the file still served.
  function recordInBackground(fetch: FetchRecord | undefined, kind: 'device' | 'discovered'): void {
    if (!fetch) return;
    if (kind === 'device') {
      recorder.record(fetch);
      return;
    }
    recordDiscoveredDevice(db, fetch, discoveredLimit).catch((error: unknown) => logger.error({ err: error, mac: fetch.mac, file: fetch.fileName }, 'recording a phone request failed'));
  }

  /** Renders the file a device gets; `null` when no device has this MAC. */
  async function renderForMac(mac: string, requestBaseUrl: string): Promise<string | null> {
    const device = await loadDeviceConfig(db, mac);
    return device ? renderDevice(device, requestBaseUrl, await phoneCredentialsOf(mac)).body : null;
  }

  /** Renders the file a device gets with the warnings about what was left out; `null` for an unknown MAC. */
  async function previewForMac(mac: string, requestBaseUrl: string): Promise<RenderedFile | null> {
    const device = await loadDeviceConfig(db, mac);
    return device ? renderDevice(device, requestBaseUrl, await phoneCredentialsOf(mac)) : null;
  }

  // The fleet or device credentials written into P1360/P1361, read from the phone access settings.
  async function phoneCredentialsOf(mac: string): Promise<PhoneCredentials | undefined> {
    return (await loadEffectiveAccess(db, mac)).phoneCredentials;
  }

  function renderDevice(record: DeviceConfigRecord, requestBaseUrl: string, phoneCredentials: PhoneCredentials | undefined): RenderedFile {
    const model = findModel(record.device.model);
    const dialect = record.device.dialect ?? model?.dialect ?? 'p-code';
    const configServerUrl = publicUrl ?? requestBaseUrl;

    const { parameters, skippedLines } = buildConfigParameters({
      deviceProfile: record.deviceProfile,
      lines: record.lines,
      dialect,
      lineCount: model?.lineCount ?? 0,
      configServerUrl,
      checkIntervalMinutes,
      statusUrlBase: deps.statusReports === true ? `${configServerUrl}phone-events/${record.device.statusToken}/` : undefined,
    });
    parameters.push(...phoneServerParameters(phoneCredentials));
    if (skippedLines.length > 0) {
      logger.warn({ mac: record.device.mac, deviceId: record.device.id, skippedLines }, 'lines left out of the phone file; fix the bindings of the device');
    }

    // The device profile's extra parameters come last, so every catalogue setting is written first and wins.
    const extras = profileExtraParameters(record.deviceProfile.extraParameters, dialect, parameters);
    parameters.push(...extras.parameters);
    warnOnce(record, extras.warnings);

    const body = renderer.render(dialect, { parameters, mac: record.device.mac, model: record.device.model });
    const warnings = [...skippedLines.map(({ line, reason }) => `line ${line} left out: ${reason}`), ...extras.warnings];
    return { body, etag: fileEtag(record, renderer.fingerprint, configServerUrl, body), warnings };
  }

  function warnOnce(record: DeviceConfigRecord, warnings: string[]): void {
    if (warnings.length === 0) return;

    const version = `${record.device.id}:${record.device.version}:${record.deviceProfile.id}:${record.deviceProfile.version}`;
    if (warnedVersions.has(version)) return;
    if (warnedVersions.size >= maxWarnedVersions) warnedVersions.clear();
    warnedVersions.add(version);
    logger.warn({ mac: record.device.mac, deviceId: record.device.id, profileId: record.deviceProfile.id, warnings }, 'extra parameters left out of the phone file; fix the extra parameters of the profile');
  }

  /** Writes the request history still collected in memory; call it before the database closes. */
  function flushRequestHistory(): Promise<void> {
    return recorder.flush();
  }

  return { fetchConfig, renderForMac, previewForMac, flushRequestHistory };
}

/**
 * ETag of a phone file: a hash of the body and of every input's version (device, accounts,
 * profiles, templates, server settings), so it changes whenever any input changes, even one
 * that leaves the bytes alike.
 */
function fileEtag(record: DeviceConfigRecord, templateFingerprint: string, configServerUrl: string, body: string): string {
  const hash = createHash('sha256');
  hash.update(`${templateFingerprint}\0${configServerUrl}\0d${record.device.id}:${record.device.version}\0p${record.deviceProfile.id}:${record.deviceProfile.version}\0`);
  for (const { line, account, profile } of record.lines) hash.update(`l${line}:a${account.id}:${account.version}:p${profile.id}:${profile.version}\0`);
  hash.update(body);
  return `"${hash.digest('base64url').slice(0, 32)}"`;
}
