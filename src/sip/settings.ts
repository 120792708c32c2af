import { isIP } from 'node:net';

import type { SipSenderSettings } from './types.js';

/** RFC 3261 defaults: T1 500 ms, T2 4 s, Timer F 64 * T1. The TCP connect limit is our own choice. */
export const defaultSipSenderSettings: SipSenderSettings = {
  bindAddress: '0.0.0.0',
  t1Ms: 500,
  t2Ms: 4000,
  timerFMs: 64 * 500,
  tcpConnectTimeoutMs: 5000,
};

/** Returns whether the address binds every local interface, so it cannot go into a Via. */
export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** Throws an Error naming the first invalid setting and the expected form. */
export function validateSenderSettings(settings: SipSenderSettings): void {
  if (isIP(settings.bindAddress) === 0) {
    throw new Error(
      `SIP bindAddress "${settings.bindAddress}" is not an IP address; use e.g. 0.0.0.0, :: or 192.0.2.10`,
    );
  }
  if (isWildcardAddress(settings.bindAddress) && settings.advertisedHost === undefined) {
    throw new Error(
      `SIP advertisedHost is missing, so with bindAddress ${settings.bindAddress} no address can go into Via ` +
        'and Contact; set it to the address on which the phones reach this server',
    );
  }
  if (settings.advertisedHost !== undefined && !/^[A-Za-z0-9.:\-_]+$/.test(settings.advertisedHost)) {
    throw new Error(`SIP advertisedHost "${settings.advertisedHost}" is not a host name or IP address`);
  }
  if (settings.advertisedPort !== undefined) checkPort('advertisedPort', settings.advertisedPort);

  if (settings.sourcePortRange !== undefined) {
    const [first, last] = settings.sourcePortRange;
    checkPort('sourcePortRange start', first);
    checkPort('sourcePortRange end', last);
    if (first > last) {
      throw new Error(`SIP sourcePortRange [${first}, ${last}] is empty; the start must not exceed the end`);
    }
  }

  checkPositive('t1Ms', settings.t1Ms);
  checkPositive('t2Ms', settings.t2Ms);
  checkPositive('timerFMs', settings.timerFMs);
  checkPositive('tcpConnectTimeoutMs', settings.tcpConnectTimeoutMs);
  if (settings.t2Ms < settings.t1Ms) {
    throw new Error(
      `SIP t2Ms ${settings.t2Ms} is smaller than t1Ms ${settings.t1Ms}; set T2 to at least T1, because it caps the retransmission interval`,
    );
  }
}

function checkPort(name: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`SIP ${name} ${port} is not a port; expected a whole number from 1 to 65535`);
  }
}

function checkPositive(name: string, milliseconds: number): void {
  if (!Number.isFinite(milliseconds) || milliseconds <= 0) {
    throw new Error(`SIP ${name} ${milliseconds} is invalid; expected a positive number of milliseconds`);
  }
}
