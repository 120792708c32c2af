import { timingSafeEqual } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { identifyRequest } from '../provisioning/request-path.js';
import { createAddressBlocker } from './address-blocker.js';
import { type EffectiveAccess, loadEffectiveAccess } from './access-settings.js';
import { createNetworkMatcher } from './networks.js';

/** Reason a phone request was rejected, written as `reason=` in the refusal log line. */
export type RefusalReason = 'missing-credentials' | 'wrong-credentials' | 'expired-credentials' | 'basic-over-http' | 'network-not-allowed' | 'unknown-mac' | 'blocked';

declare module 'fastify' {
  interface FastifyRequest {
    /** Access settings read by the check, reused by the handler for P1360/P1361. */
    phoneAccess: EffectiveAccess | undefined;
  }
}

export type PhoneAccess = ReturnType<typeof createPhoneAccess>;

const realm = 'Basic realm="htek-dms provisioning", charset="UTF-8"';

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function readBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length).trim(), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  return separator < 0 ? undefined : { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

function matches(pairs: { username: string; password: string }[], sent: { username: string; password: string }): boolean {
  return pairs.some((pair) => sameText(pair.username, sent.username) && sameText(pair.password, sent.password));
}

/**
 * Decides who may fetch phone files: by access mode, allowed networks and HTTP Basic
 * credentials, and blocks addresses that collect too many refusals. Each refusal is logged as
 * one line `provisioning refused reason=<reason> address=<ip> mac=<mac>` for fail2ban.
 * NOTE: only Basic is checked; whether Htek phones answer a Digest challenge is undocumented.
 */
export function createPhoneAccess({ db, logger }: { db: Db; logger: Logger }) {
  const blocker = createAddressBlocker();

  function logRefusal(reason: RefusalReason, address: string, mac: string | undefined): void {
    logger.warn({ event: 'security', reason, address, mac: mac ?? null }, `provisioning refused reason=${reason} address=${address} mac=${mac ?? '-'}`);
  }

  function refuse(reply: FastifyReply, request: FastifyRequest, access: Pick<EffectiveAccess, 'blockThreshold' | 'blockMinutes'>, reason: RefusalReason, mac: string | undefined, status: 401 | 403) {
    logRefusal(reason, request.ip, mac);
    if (blocker.recordRefusal(request.ip, access.blockThreshold, access.blockMinutes)) logRefusal('blocked', request.ip, mac);
    if (status === 401) reply.header('www-authenticate', realm);
    return reply.code(status).header('cache-control', 'no-store').send();
  }

  /** Credentials check before the phone route's handler; an empty 401, 403 or 429 ends the request. */
  async function onRequest(request: FastifyRequest, reply: FastifyReply) {
    const address = request.ip;
    const until = blocker.blockedUntil(address);
    if (until !== undefined) {
      reply.header('retry-after', String(Math.ceil((until - Date.now()) / 1000)));
      return reply.code(429).header('cache-control', 'no-store').send();
    }

    const fileName = (request.params as { fileName?: string }).fileName ?? '';
    const phoneRequest = identifyRequest(fileName);
    if (phoneRequest.kind !== 'device-config') return;
    const { mac } = phoneRequest;

    const access = await loadEffectiveAccess(db, mac);
    request.phoneAccess = access;
    if (access.mode === 'open') return;

    const inAllowedNetwork = createNetworkMatcher(access.allowedNetworks)(address);
    if (access.mode === 'networks') return inAllowedNetwork ? undefined : refuse(reply, request, access, 'network-not-allowed', mac, 403);
    if (access.mode === 'networks-or-credentials' && inAllowedNetwork) return;

    const header = request.headers.authorization;
    if (!header) return refuse(reply, request, access, 'missing-credentials', mac, 401);
    if (request.protocol !== 'https' && !inAllowedNetwork && !access.allowBasicOverHttp) return refuse(reply, request, access, 'basic-over-http', mac, 401);

    const sent = readBasic(header);
    if (sent && matches(access.accepted, sent)) return;
    const reason = sent && matches(access.expired, sent) ? 'expired-credentials' : 'wrong-credentials';
    return refuse(reply, request, access, reason, mac, 401);
  }

  /** Counts 404s for unknown MACs as refusals, so MAC scans from an allowed network are blocked too. */
  async function onResponse(request: FastifyRequest, reply: FastifyReply) {
    if (reply.statusCode !== 404) return;
    const phoneRequest = identifyRequest((request.params as { fileName?: string }).fileName ?? '');
    if (phoneRequest.kind !== 'device-config') return;

    const access = await loadEffectiveAccess(db, undefined);
    logRefusal('unknown-mac', request.ip, phoneRequest.mac);
    if (blocker.recordRefusal(request.ip, access.blockThreshold, access.blockMinutes)) logRefusal('blocked', request.ip, phoneRequest.mac);
  }

  return { onRequest, onResponse };
}
