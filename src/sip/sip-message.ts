import { randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';

import type { SentBy } from './types.js';

/** Magic cookie that starts every RFC 3261 branch, so peers know the branch is unique per transaction. */
export const branchCookie = 'z9hG4bK';

/** A malformed SIP message. The caller drops the message and logs this error. */
export class SipParseError extends Error {
  override name = 'SipParseError';
}

/** A parsed SIP response. Header names are lower case and compact forms are expanded. */
export interface SipResponse {
  status: number;
  reason: string;
  headers: Map<string, string[]>;
  body: Buffer;
}

/** Header fields of an out-of-dialog check-sync NOTIFY. */
export interface NotifyRequestFields {
  requestUri: string;
  transport: 'udp' | 'tcp';
  sentBy: SentBy;
  branch: string;
  fromTag: string;
  callId: string;
  cseq: number;
  reboot: boolean;
  /** `Authorization` or `Proxy-Authorization` line for the retry after a challenge. */
  authorization?: { headerName: 'Authorization' | 'Proxy-Authorization'; value: string };
}

/** Single-letter header names from RFC 3261 section 7.3.3 and the event package RFCs. */
const compactHeaderNames: Record<string, string> = {
  b: 'referred-by',
  c: 'content-type',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
};

/** Largest header section accepted on a TCP stream before the connection is treated as broken. */
const maxHeaderBytes = 64 * 1024;

/** Returns a new RFC 3261 branch parameter value. */
export function newBranch(): string {
  return branchCookie + randomBytes(12).toString('hex');
}

/** Returns a new random From tag. */
export function newTag(): string {
  return randomBytes(8).toString('hex');
}

/** Returns a new Call-ID that is unique without naming the host. */
export function newCallId(): string {
  return randomBytes(16).toString('hex');
}

/** Formats host and port for a URI or a Via, with brackets around an IPv6 address. */
export function formatHostPort(host: string, port: number): string {
  const hostPart = isIPv6(host) ? `[${host}]` : host;
  return `${hostPart}:${port}`;
}

/** Builds `sip:user@host:port`, percent-encoding user characters that RFC 3261 does not allow unescaped. */
export function buildRequestUri(host: string, port: number, user?: string): string {
  const userPart = user === undefined || user === '' ? '' : `${escapeUser(user)}@`;
  return `sip:${userPart}${formatHostPort(host, port)}`;
}

function escapeUser(user: string): string {
  const allowed = /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/;
  let escaped = '';
  for (const byte of Buffer.from(user, 'utf8')) {
    const char = String.fromCharCode(byte);
    escaped += byte < 0x80 && allowed.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return escaped;
}

/** Builds the NOTIFY text, ending with the blank line after `Content-Length: 0`. */
export function buildNotify(fields: NotifyRequestFields): string {
  const sentBy = formatHostPort(fields.sentBy.host, fields.sentBy.port);
  const transportParam = fields.transport === 'tcp' ? ';transport=tcp' : '';
  const event = fields.reboot ? 'check-sync;reboot=true' : 'check-sync';

  const lines = [
    `NOTIFY ${fields.requestUri} SIP/2.0`,
    `Via: SIP/2.0/${fields.transport.toUpperCase()} ${sentBy};branch=${fields.branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:htek-dms@${sentBy}>;tag=${fields.fromTag}`,
    `To: <${fields.requestUri}>`,
    `Call-ID: ${fields.callId}`,
    `CSeq: ${fields.cseq} NOTIFY`,
    `Contact: <sip:htek-dms@${sentBy}${transportParam}>`,
    `Event: ${event}`,
    'Subscription-State: terminated',
    'User-Agent: htek-dms',
  ];
  if (fields.authorization !== undefined) {
    lines.push(`${fields.authorization.headerName}: ${fields.authorization.value}`);
  }
  lines.push('Content-Length: 0');

  return lines.join('\r\n') + '\r\n\r\n';
}

/**
 * Parses one SIP response. Throws SipParseError when the start line is not a SIP/2.0 status
 * line or a header line has no colon. Folded header lines are joined with one space.
 */
export function parseResponse(message: Buffer): SipResponse {
  const headerEnd = findHeaderEnd(message);
  const headerText = message.subarray(0, headerEnd?.index ?? message.length).toString('utf8');
  const body = headerEnd === undefined ? Buffer.alloc(0) : message.subarray(headerEnd.index + headerEnd.length);

  const lines = unfoldLines(headerText.split(/\r?\n/));
  const startLine = lines.shift() ?? '';
  const statusMatch = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(startLine);
  if (statusMatch === null) {
    throw new SipParseError(`invalid status line "${startLine.slice(0, 80)}"; expected "SIP/2.0 <code> <reason>"`);
  }

  return {
    status: Number(statusMatch[1]),
    reason: (statusMatch[2] ?? '').trim(),
    headers: parseHeaderLines(lines),
    body,
  };
}

function unfoldLines(lines: string[]): string[] {
  const unfolded: string[] = [];
  for (const line of lines) {
    const isContinuation = /^[ \t]/.test(line) && unfolded.length > 0;
    if (isContinuation) {
      unfolded[unfolded.length - 1] += ' ' + line.trim();
    } else if (line !== '') {
      unfolded.push(line);
    }
  }
  return unfolded;
}

function parseHeaderLines(lines: string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new SipParseError(`invalid header line "${line.slice(0, 80)}"; expected "Name: value"`);
    }

    const rawName = line.slice(0, colon).trim().toLowerCase();
    const name = compactHeaderNames[rawName] ?? rawName;
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
  }
  return headers;
}

/** Returns the first value of a header (lower-case full name), or undefined when it is absent. */
export function firstHeader(response: SipResponse, name: string): string | undefined {
  return response.headers.get(name)?.[0];
}

/** Returns the branch parameter of the topmost Via, or undefined when there is none. */
export function topViaBranch(response: SipResponse): string | undefined {
  const firstVia = firstHeader(response, 'via');
  if (firstVia === undefined) return undefined;

  const topVia = splitOutsideQuotes(firstVia, ',')[0] ?? '';
  for (const param of splitOutsideQuotes(topVia, ';').slice(1)) {
    const [name, value] = param.split('=', 2);
    if (name?.trim().toLowerCase() === 'branch' && value !== undefined) return value.trim();
  }
  return undefined;
}

/** Returns the CSeq number and method, or undefined when the header is missing or malformed. */
export function parseCSeq(response: SipResponse): { sequence: number; method: string } | undefined {
  const match = /^(\d+)\s+([A-Za-z]+)$/.exec(firstHeader(response, 'cseq') ?? '');
  if (match === null) return undefined;
  return { sequence: Number(match[1]), method: (match[2] ?? '').toUpperCase() };
}

/** Splits a header value at each separator that is not inside double quotes. */
export function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;

  for (let i = 0; i < value.length; i++) {
    const char = value[i] ?? '';
    if (char === '\\' && inQuotes) {
      current += char + (value[i + 1] ?? '');
      i++;
    } else if (char === '"') {
      inQuotes = !inQuotes;
      current += char;
    } else if (char === separator && !inQuotes) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current.trim());

  return parts;
}

/**
 * Cuts the first complete message off a TCP byte stream, using the blank line after the
 * headers and Content-Length (0 when absent). Returns undefined while the message is still
 * incomplete. Skips CRLF keep-alives before a message. Throws SipParseError when the headers
 * grow past 64 KiB or Content-Length is not a number.
 */
export function takeStreamMessage(stream: Buffer): { message: Buffer; rest: Buffer } | undefined {
  let start = 0;
  while (stream[start] === 0x0d || stream[start] === 0x0a) start++;
  const pending = stream.subarray(start);

  const headerEnd = findHeaderEnd(pending);
  if (headerEnd === undefined) {
    if (pending.length > maxHeaderBytes) {
      throw new SipParseError(`no end of headers within ${maxHeaderBytes} bytes on the TCP stream`);
    }
    return undefined;
  }

  const bodyStart = headerEnd.index + headerEnd.length;
  const contentLength = readContentLength(pending.subarray(0, headerEnd.index).toString('utf8'));
  if (pending.length < bodyStart + contentLength) return undefined;

  const messageEnd = bodyStart + contentLength;
  return { message: pending.subarray(0, messageEnd), rest: pending.subarray(messageEnd) };
}

function findHeaderEnd(message: Buffer): { index: number; length: number } | undefined {
  const crlf = message.indexOf('\r\n\r\n');
  if (crlf !== -1) return { index: crlf, length: 4 };

  // NOTE: bare LF line ends break RFC 3261 but some stacks send them, so they are accepted too.
  const lf = message.indexOf('\n\n');
  return lf === -1 ? undefined : { index: lf, length: 2 };
}

function readContentLength(headerText: string): number {
  const match = /^(?:content-length|l)[ \t]*:[ \t]*(\S*)/im.exec(headerText);
  if (match === null) return 0;

  const text = match[1] ?? '';
  if (!/^\d+$/.test(text)) {
    throw new SipParseError(`invalid Content-Length "${text}" on the TCP stream; expected a whole number`);
  }
  return Number(text);
}
