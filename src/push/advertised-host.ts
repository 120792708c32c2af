import os from 'node:os';

import type { Logger } from 'pino';

import type { PushConfig } from '../config.js';
import { isWildcardAddress } from '../sip/settings.js';

/** Source of the advertised SIP host, for the start-up log. */
export type AdvertisedHostSource = 'setting' | 'bind-address' | 'network-interface' | 'loopback';

/**
 * Returns the first IPv4 address of the machine that is not internal (not 127.0.0.0/8), or
 * undefined when there is none. The order is the one os.networkInterfaces() returns.
 */
export function firstExternalIpv4(interfaces = os.networkInterfaces()): string | undefined {
  for (const addresses of Object.values(interfaces)) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found !== undefined) return found.address;
  }
  return undefined;
}

/**
 * Chooses the host for Via and Contact of NOTIFYs. An explicit setting wins; the config loader
 * already falls back to the host of HTEK_DMS_PUBLIC_URL. A specific bind address is used as it
 * is. With a wildcard bind address and neither setting, the first external IPv4 address is used,
 * else 127.0.0.1, and a warning names the choice and the setting that fixes it.
 */
export function chooseAdvertisedHost(
  config: Pick<PushConfig, 'sipBindAddress' | 'sipAdvertisedHost'>,
  logger: Logger,
  interfaces = os.networkInterfaces(),
): { host: string | undefined; source: AdvertisedHostSource } {
  if (config.sipAdvertisedHost !== undefined) return { host: config.sipAdvertisedHost, source: 'setting' };
  if (!isWildcardAddress(config.sipBindAddress)) return { host: undefined, source: 'bind-address' };

  const external = firstExternalIpv4(interfaces);
  const host = external ?? '127.0.0.1';
  const source = external === undefined ? 'loopback' : 'network-interface';
  // NOTE: on a machine with several networks the first external address may not be the one the
  // phones reach; only the setting fixes that.
  logger.warn(
    { advertisedHost: host, source, bindAddress: config.sipBindAddress },
    `SIP advertised host not set: NOTIFYs carry ${host} in Via and Contact. ` +
      'Set HTEK_DMS_SIP_ADVERTISED_HOST (or HTEK_DMS_PUBLIC_URL) to the address on which the phones reach this server',
  );
  return { host, source };
}
