import { createHash, randomBytes } from 'node:crypto';

import { splitOutsideQuotes } from './sip-message.js';

/** One Digest challenge from a WWW-Authenticate or Proxy-Authenticate header. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  /** Offered qop values in lower case, empty when the challenge has no qop (RFC 2069 style). */
  qopOptions: string[];
  /** Algorithm in upper case, `MD5` when the challenge names none. */
  algorithm: string;
}

export interface DigestCredentials {
  username: string;
  password: string;
}

/** Inputs of one digest response computation (RFC 2617 section 3.2.2, RFC 7616 for SHA-256). */
export interface DigestInput {
  challenge: DigestChallenge;
  credentials: DigestCredentials;
  method: string;
  uri: string;
  /** Client nonce; a random one is made when absent. */
  cnonce?: string;
  /** Nonce count, 1 for the first request with this nonce. */
  nonceCount?: number;
}

const hashByAlgorithm: Record<string, 'md5' | 'sha256'> = {
  'MD5': 'md5',
  'MD5-SESS': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-SESS': 'sha256',
};

/**
 * Parses the Digest challenges among WWW-Authenticate or Proxy-Authenticate values. Values with
 * another scheme and Digest values without realm or nonce are skipped.
 */
export function parseDigestChallenges(headerValues: string[]): DigestChallenge[] {
  const challenges: DigestChallenge[] = [];
  for (const value of headerValues) {
    const challenge = parseDigestChallenge(value);
    if (challenge !== undefined) challenges.push(challenge);
  }
  return challenges;
}

function parseDigestChallenge(headerValue: string): DigestChallenge | undefined {
  const schemeMatch = /^Digest\s+(.*)$/is.exec(headerValue.trim());
  if (schemeMatch === null) return undefined;

  const params = new Map<string, string>();
  for (const part of splitOutsideQuotes(schemeMatch[1] ?? '', ',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    params.set(part.slice(0, equals).trim().toLowerCase(), unquote(part.slice(equals + 1).trim()));
  }

  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return undefined;

  const qop = params.get('qop');
  const challenge: DigestChallenge = {
    realm,
    nonce,
    qopOptions: qop === undefined ? [] : qop.split(',').map((option) => option.trim().toLowerCase()),
    algorithm: (params.get('algorithm') ?? 'MD5').toUpperCase(),
  };
  const opaque = params.get('opaque');
  if (opaque !== undefined) challenge.opaque = opaque;

  return challenge;
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * Returns why the sender cannot respond to the challenge, or undefined when it can. Supported are
 * MD5, MD5-sess, SHA-256 and SHA-256-sess, and qop absent, `auth` or `auth-int`.
 */
export function unsupportedChallengeReason(challenge: DigestChallenge): string | undefined {
  if (hashByAlgorithm[challenge.algorithm] === undefined) {
    const supported = 'MD5, MD5-sess, SHA-256 and SHA-256-sess';
    return `digest algorithm "${challenge.algorithm}" is not supported; the sender supports ${supported}`;
  }
  if (challenge.qopOptions.length > 0 && chooseQop(challenge) === undefined) {
    return `digest qop "${challenge.qopOptions.join(',')}" is not supported; the sender supports auth and auth-int`;
  }
  return undefined;
}

function chooseQop(challenge: DigestChallenge): 'auth' | 'auth-int' | undefined {
  if (challenge.qopOptions.includes('auth')) return 'auth';
  if (challenge.qopOptions.includes('auth-int')) return 'auth-int';
  return undefined;
}

/**
 * Computes the digest `response` value. With qop `auth-int` the body is taken as empty, which
 * is what the sender's NOTIFY carries. Throws when the algorithm is not supported; check
 * unsupportedChallengeReason first.
 */
export function computeDigestResponse(input: DigestInput & { cnonce: string; nonceCount: number }): string {
  const { challenge, credentials } = input;
  const hashName = hashByAlgorithm[challenge.algorithm];
  if (hashName === undefined) {
    const algorithm = challenge.algorithm;
    throw new Error(`digest algorithm "${algorithm}" is not supported; check unsupportedChallengeReason first`);
  }
  const hash = (text: string): string => createHash(hashName).update(text, 'utf8').digest('hex');

  let ha1 = hash(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  if (challenge.algorithm.endsWith('-SESS')) {
    ha1 = hash(`${ha1}:${challenge.nonce}:${input.cnonce}`);
  }

  const qop = chooseQop(challenge);
  const a2 = qop === 'auth-int' ? `${input.method}:${input.uri}:${hash('')}` : `${input.method}:${input.uri}`;
  const ha2 = hash(a2);

  if (qop === undefined) return hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const nc = formatNonceCount(input.nonceCount);
  return hash(`${ha1}:${challenge.nonce}:${nc}:${input.cnonce}:${qop}:${ha2}`);
}

/** Builds the value of an Authorization or Proxy-Authorization header for the challenge. */
export function buildDigestAuthorization(input: DigestInput): string {
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const nonceCount = input.nonceCount ?? 1;
  const response = computeDigestResponse({ ...input, cnonce, nonceCount });
  const { challenge } = input;

  const params = [
    `username="${quote(input.credentials.username)}"`,
    `realm="${quote(challenge.realm)}"`,
    `nonce="${quote(challenge.nonce)}"`,
    `uri="${quote(input.uri)}"`,
    `response="${response}"`,
    `algorithm=${challenge.algorithm.replace('-SESS', '-sess')}`,
  ];
  if (challenge.opaque !== undefined) params.push(`opaque="${quote(challenge.opaque)}"`);

  const qop = chooseQop(challenge);
  const usesCnonce = qop !== undefined || challenge.algorithm.endsWith('-SESS');
  if (qop !== undefined) params.push(`qop=${qop}`, `nc=${formatNonceCount(nonceCount)}`);
  if (usesCnonce) params.push(`cnonce="${quote(cnonce)}"`);

  return 'Digest ' + params.join(', ');
}

function formatNonceCount(nonceCount: number): string {
  return nonceCount.toString(16).padStart(8, '0');
}

function quote(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}
