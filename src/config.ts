import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Settings read from the environment and the command line once at start-up. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string | undefined;
  templatesDir: string | undefined;
  logLevel: string;
  prettyLogs: boolean;
  /** Fastify's `trustProxy`: false, true, a hop count, or proxy addresses and CIDR ranges. */
  trustProxy: boolean | number | string[];
  shutdownTimeoutMs: number;
  dbPoolSize: number;
  dbConnectTimeoutMs: number;
  dbStatementTimeoutMs: number;
  /** Unknown MACs kept in the discovered-devices list; the least recently seen are dropped. */
  discoveredDeviceLimit: number;
  /** Phone requests kept per device in its request history. */
  requestHistoryLimit: number;
  /** Whether the admin API requires a login ('required', the default) or is open ('off'). */
  adminAuth: 'required' | 'off';
  /** Certificate and key (PEM contents) to serve HTTPS with; unset serves plain HTTP. */
  tls: { cert: string; key: string } | undefined;
  /** Sources of the key of the encrypted columns: the key itself, a key file, an older key. */
  secretKeys: { key: string | undefined; keyFile: string | undefined; previousKey: string | undefined };
  /** Administrator created at start-up when it does not exist (HTEK_DMS_ADMIN_USER and _PASSWORD). */
  firstAdmin: { username: string | undefined; password: string | undefined };
  /** SIP NOTIFY (push) and Action URL (account status) settings; see docs/push.md. */
  push: PushConfig;
  /** Largest account spreadsheet accepted by the import, in bytes and in data rows. */
  importLimits: { maxBytes: number; maxRows: number };
}

export interface PushConfig {
  sipBindAddress: string;
  /** Host for Via and Contact; defaults to the host of the public URL when the bind address is a wildcard. */
  sipAdvertisedHost: string | undefined;
  sipAdvertisedPort: number | undefined;
  sipSourcePorts: [number, number] | undefined;
  t1Ms: number;
  t2Ms: number;
  timerFMs: number;
  maxConcurrent: number;
  /** NOTIFYs per second per push; 0 is uncapped. */
  ratePerSecond: number;
  notSeenAfterMinutes: number;
  /** Writes the Action URLs into phone files. */
  actionUrls: boolean;
}

/** A setting that is present but malformed; start-up stops with this message. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** One setting as documented in `htek-dms serve --help` and docs/configuration.md. */
export interface SettingInfo {
  env: string;
  /** Command-line option without the leading dashes. */
  flag: string;
  defaultValue: string;
  form: string;
  description: string;
}

export const settings: SettingInfo[] = [
  { env: 'PORT', flag: 'port', defaultValue: '8080', form: 'TCP port, 0-65535', description: 'Port for phones, the admin API and the web UI.' },
  { env: 'HOST', flag: 'host', defaultValue: '0.0.0.0', form: 'IP address or host name', description: 'Address to listen on; :: listens on IPv6 and IPv4.' },
  { env: 'DATABASE_URL', flag: 'database-url', defaultValue: '(unset)', form: 'postgres://user:password@host:5432/database', description: 'Postgres server. Unset: the embedded database in the data folder.' },
  { env: 'HTEK_DMS_DATA_DIR', flag: 'data-dir', defaultValue: './data', form: 'folder path', description: 'Folder of the embedded database; used only without DATABASE_URL.' },
  { env: 'HTEK_DMS_PUBLIC_URL', flag: 'public-url', defaultValue: '(unset)', form: 'http(s)://host:port/', description: 'Provisioning URL written into phone files. Unset: the URL the phone used.' },
  { env: 'HTEK_DMS_TEMPLATES_DIR', flag: 'templates-dir', defaultValue: '(unset)', form: 'folder path', description: 'Folder whose p-code.hbs or named.hbs replace the built-in phone templates.' },
  { env: 'LOG_LEVEL', flag: 'log-level', defaultValue: 'info', form: 'fatal, error, warn, info, debug, trace or silent', description: 'Lowest log level written.' },
  { env: 'HTEK_DMS_LOG_FORMAT', flag: 'log-format', defaultValue: 'pretty on a terminal, else json', form: 'json or pretty', description: 'Log format; pretty needs the dev dependency pino-pretty.' },
  { env: 'HTEK_DMS_TRUST_PROXY', flag: 'trust-proxy', defaultValue: 'false', form: 'false, true, a hop count, or comma-separated addresses/CIDRs', description: 'Which reverse proxies may set X-Forwarded-For and X-Forwarded-Proto.' },
  { env: 'HTEK_DMS_SHUTDOWN_TIMEOUT', flag: 'shutdown-timeout', defaultValue: '10', form: 'seconds, 1-600', description: 'Time requests in flight get to finish after SIGTERM or SIGINT.' },
  { env: 'HTEK_DMS_DB_POOL_SIZE', flag: 'db-pool-size', defaultValue: '10', form: 'connections, 1-1000', description: 'Maximum Postgres connections of this process.' },
  { env: 'HTEK_DMS_DB_CONNECT_TIMEOUT', flag: 'db-connect-timeout', defaultValue: '5', form: 'seconds, 1-600', description: 'Time to wait for a Postgres connection before answering 503.' },
  { env: 'HTEK_DMS_DB_STATEMENT_TIMEOUT', flag: 'db-statement-timeout', defaultValue: '15', form: 'seconds, 1-3600', description: 'Time one query may take before it is cancelled.' },
  { env: 'HTEK_DMS_DISCOVERED_DEVICES_MAX', flag: 'discovered-devices-max', defaultValue: '1000', form: 'entries, 1-1000000', description: 'Unknown phones kept in the discovered-devices list; the least recently seen are dropped.' },
  { env: 'HTEK_DMS_REQUEST_HISTORY', flag: 'request-history', defaultValue: '50', form: 'requests, 1-10000', description: 'Phone requests kept per device in its request history.' },
  { env: 'HTEK_DMS_SIP_BIND_ADDRESS', flag: 'sip-bind-address', defaultValue: '0.0.0.0', form: 'IP address', description: 'Local address the SIP NOTIFY sender sends from.' },
  { env: 'HTEK_DMS_SIP_ADVERTISED_HOST', flag: 'sip-advertised-host', defaultValue: 'host of the public URL', form: 'IP address or host name', description: 'Host in Via and Contact of NOTIFYs; phones answer to it.' },
  { env: 'HTEK_DMS_SIP_ADVERTISED_PORT', flag: 'sip-advertised-port', defaultValue: 'the local UDP port', form: 'UDP port, 1-65535', description: 'Port in Via and Contact of NOTIFYs.' },
  { env: 'HTEK_DMS_SIP_SOURCE_PORTS', flag: 'sip-source-ports', defaultValue: '(any free port)', form: 'first-last, e.g. 5070-5079', description: 'Local UDP ports the NOTIFY sender may bind.' },
  { env: 'HTEK_DMS_SIP_T1', flag: 'sip-t1', defaultValue: '500', form: 'milliseconds, 1-60000', description: 'RFC 3261 T1: first UDP retransmission interval.' },
  { env: 'HTEK_DMS_SIP_T2', flag: 'sip-t2', defaultValue: '4000', form: 'milliseconds, 1-600000', description: 'RFC 3261 T2: longest UDP retransmission interval.' },
  { env: 'HTEK_DMS_SIP_TIMER_F', flag: 'sip-timer-f', defaultValue: '32000', form: 'milliseconds, 1-600000', description: 'RFC 3261 Timer F: time a NOTIFY waits for a final response.' },
  { env: 'HTEK_DMS_PUSH_MAX_CONCURRENT', flag: 'push-max-concurrent', defaultValue: '50', form: 'NOTIFYs, 1-10000', description: 'Default NOTIFYs of one push in flight at once.' },
  { env: 'HTEK_DMS_PUSH_RATE', flag: 'push-rate', defaultValue: '50', form: 'NOTIFYs per second, 0-100000 (0 is uncapped)', description: 'Default NOTIFYs of one push started per second.' },
  { env: 'HTEK_DMS_NOT_SEEN_AFTER', flag: 'not-seen-after', defaultValue: '1500', form: 'minutes, 1-525600', description: 'A device without fetches or status reports for longer is shown as not seen recently.' },
  { env: 'HTEK_DMS_ACTION_URLS', flag: 'action-urls', defaultValue: 'on', form: 'on or off', description: 'Write the Action URLs that report line registration into phone files.' },
  { env: 'HTEK_DMS_IMPORT_MAX_BYTES', flag: 'import-max-bytes', defaultValue: '31457280', form: 'bytes, 1024-1073741824', description: 'Largest account spreadsheet (.xlsx or .csv) the import accepts; 31457280 is 30 MiB.' },
  { env: 'HTEK_DMS_IMPORT_MAX_ROWS', flag: 'import-max-rows', defaultValue: '100000', form: 'rows, 1-1000000', description: 'Most account rows one spreadsheet import may have.' },
  { env: 'HTEK_DMS_ADMIN_AUTH', flag: 'admin-auth', defaultValue: 'required', form: 'required or off', description: 'Whether the admin API needs a login; off opens it to anyone (development only).' },
  { env: 'HTEK_DMS_ADMIN_USER', flag: 'admin-user', defaultValue: '(unset)', form: 'user name', description: 'Administrator created at start-up when it does not exist; needs HTEK_DMS_ADMIN_PASSWORD.' },
  { env: 'HTEK_DMS_ADMIN_PASSWORD', flag: 'admin-password', defaultValue: '(unset)', form: 'at least 10 characters', description: 'Password of HTEK_DMS_ADMIN_USER; prefer the variable, because options show in the process list.' },
  { env: 'HTEK_DMS_TLS_CERT', flag: 'tls-cert', defaultValue: '(unset)', form: 'PEM file path', description: 'Certificate to serve HTTPS with; needs HTEK_DMS_TLS_KEY.' },
  { env: 'HTEK_DMS_TLS_KEY', flag: 'tls-key', defaultValue: '(unset)', form: 'PEM file path', description: 'Private key of HTEK_DMS_TLS_CERT.' },
  { env: 'HTEK_DMS_SECRET_KEY', flag: 'secret-key', defaultValue: '(unset)', form: 'base64 of 32 bytes', description: 'AES-256 key of the stored SIP passwords and PINs; wins over the key file.' },
  { env: 'HTEK_DMS_SECRET_KEY_FILE', flag: 'secret-key-file', defaultValue: '<data dir>/secret.key', form: 'file path', description: 'File holding the key; created with mode 0600 on first start when missing.' },
  { env: 'HTEK_DMS_SECRET_KEY_PREVIOUS', flag: 'secret-key-previous', defaultValue: '(unset)', form: 'base64 of 32 bytes', description: 'An older key, used only to read values it encrypted.' },
];

type Env = Record<string, string | undefined>;

/** Command-line values by option name without dashes, e.g. `{ port: '9000' }`. */
export type Flags = Record<string, string | undefined>;

/** Lookup of setting values and of the name (option or variable) each one was given by. */
interface Source {
  get(env: string): string | undefined;
  label(env: string): string;
}

/**
 * Reads and checks every setting. A command-line option wins over its environment variable.
 * Each invalid value throws a ConfigError that names the option or variable and the expected
 * form, so a typo stops start-up instead of running half-configured.
 */
export function loadConfig(env: Env = process.env, flags: Flags = {}): Config {
  const source = createSource(env, flags);

  return {
    port: readInteger(source, 'PORT', 8080, 0, 65535),
    host: source.get('HOST') ?? '0.0.0.0',
    databaseUrl: readDatabaseUrl(source),
    dataDir: path.resolve(source.get('HTEK_DMS_DATA_DIR') ?? './data'),
    publicUrl: readPublicUrl(source),
    templatesDir: optionalPath(source.get('HTEK_DMS_TEMPLATES_DIR')),
    logLevel: readLogLevel(source),
    prettyLogs: readPrettyLogs(source, env),
    trustProxy: readTrustProxy(source),
    shutdownTimeoutMs: readInteger(source, 'HTEK_DMS_SHUTDOWN_TIMEOUT', 10, 1, 600) * 1000,
    dbPoolSize: readInteger(source, 'HTEK_DMS_DB_POOL_SIZE', 10, 1, 1000),
    dbConnectTimeoutMs: readInteger(source, 'HTEK_DMS_DB_CONNECT_TIMEOUT', 5, 1, 600) * 1000,
    dbStatementTimeoutMs: readInteger(source, 'HTEK_DMS_DB_STATEMENT_TIMEOUT', 15, 1, 3600) * 1000,
    discoveredDeviceLimit: readInteger(source, 'HTEK_DMS_DISCOVERED_DEVICES_MAX', 1000, 1, 1_000_000),
    requestHistoryLimit: readInteger(source, 'HTEK_DMS_REQUEST_HISTORY', 50, 1, 10_000),
    adminAuth: readAdminAuth(source),
    tls: readTls(source),
    secretKeys: readSecretKeys(source),
    firstAdmin: readFirstAdmin(source, env, flags),
    push: readPushConfig(source),
    importLimits: {
      maxBytes: readInteger(source, 'HTEK_DMS_IMPORT_MAX_BYTES', 30 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxRows: readInteger(source, 'HTEK_DMS_IMPORT_MAX_ROWS', 100_000, 1, 1_000_000),
    },
  };
}

function createSource(env: Env, flags: Flags): Source {
  const flagFor = (name: string) => settings.find((setting) => setting.env === name)?.flag;

  const fromFlag = (name: string) => {
    const flag = flagFor(name);
    return flag === undefined ? undefined : flags[flag];
  };

  return {
    get: (name) => clean(fromFlag(name) ?? env[name]),
    label: (name) => (fromFlag(name) === undefined ? name : `--${flagFor(name)}`),
  };
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function optionalPath(value: string | undefined): string | undefined {
  return value === undefined ? undefined : path.resolve(value);
}

function readInteger(source: Source, name: string, fallback: number, min: number, max: number): number {
  const text = source.get(name);
  if (text === undefined) return fallback;

  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(source.label(name), `"${text}" is invalid; expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function readDatabaseUrl(source: Source): string | undefined {
  const text = source.get('DATABASE_URL');
  if (text === undefined) return undefined;

  if (!/^postgres(ql)?:\/\//.test(text)) {
    throw new ConfigError(source.label('DATABASE_URL'), 'expected a URL of the form postgres://user:password@host:5432/database');
  }
  return text;
}

function readPublicUrl(source: Source): string | undefined {
  const name = 'HTEK_DMS_PUBLIC_URL';
  const text = source.get(name);
  if (text === undefined) return undefined;

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(source.label(name), `"${text}" is not a URL; expected the form http://prov.example.net:8080/`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(source.label(name), `"${text}" must start with http:// or https://`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readLogLevel(source: Source): string {
  const text = source.get('LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(text)) {
    throw new ConfigError(source.label('LOG_LEVEL'), `"${text}" is not a log level; expected one of ${logLevels.join(', ')}`);
  }
  return text;
}

function readPrettyLogs(source: Source, env: Env): boolean {
  const text = source.get('HTEK_DMS_LOG_FORMAT');
  if (text === undefined) return env.NODE_ENV !== 'production' && process.stdout.isTTY === true;
  if (text === 'pretty') return true;
  if (text === 'json') return false;
  throw new ConfigError(source.label('HTEK_DMS_LOG_FORMAT'), `"${text}" is not a log format; expected json or pretty`);
}

// Names that proxy-addr, which Fastify uses for trustProxy, accepts for address ranges.
const namedRanges = ['loopback', 'linklocal', 'uniquelocal'];

function readTrustProxy(source: Source): Config['trustProxy'] {
  const name = 'HTEK_DMS_TRUST_PROXY';
  const text = source.get(name);
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);

  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const invalid = entries.find((entry) => !isAddressOrRange(entry));
  if (invalid !== undefined || entries.length === 0) {
    throw new ConfigError(
      source.label(name),
      `"${invalid ?? text}" is invalid; expected false, true, a hop count, or comma-separated IP addresses and CIDR ranges such as 127.0.0.1,10.0.0.0/8 (or loopback, linklocal, uniquelocal)`,
    );
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  if (namedRanges.includes(entry)) return true;

  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;

  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * Converts the trust-proxy setting to Fastify's option. A hop count becomes a function because
 * Fastify's types leave numbers out, although it trusts the first n hops for a number too.
 */
export function fastifyTrustProxy(value: Config['trustProxy'] | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value ?? false;
  return (_address, hop) => hop < value;
}

function readPushConfig(source: Source): PushConfig {
  const bindAddress = source.get('HTEK_DMS_SIP_BIND_ADDRESS') ?? '0.0.0.0';
  if (net.isIP(bindAddress) === 0) {
    throw new ConfigError(source.label('HTEK_DMS_SIP_BIND_ADDRESS'), `"${bindAddress}" is not an IP address; expected e.g. 0.0.0.0, :: or 192.0.2.10`);
  }

  const advertisedHost = source.get('HTEK_DMS_SIP_ADVERTISED_HOST');
  if (advertisedHost !== undefined && !/^[A-Za-z0-9.:\-_]+$/.test(advertisedHost)) {
    throw new ConfigError(source.label('HTEK_DMS_SIP_ADVERTISED_HOST'), `"${advertisedHost}" is not a host name or IP address`);
  }
  const advertisedPortText = source.get('HTEK_DMS_SIP_ADVERTISED_PORT');

  const config: PushConfig = {
    sipBindAddress: bindAddress,
    sipAdvertisedHost: advertisedHost ?? publicUrlHost(source),
    sipAdvertisedPort: advertisedPortText === undefined ? undefined : readInteger(source, 'HTEK_DMS_SIP_ADVERTISED_PORT', 0, 1, 65535),
    sipSourcePorts: readPortRange(source, 'HTEK_DMS_SIP_SOURCE_PORTS'),
    t1Ms: readInteger(source, 'HTEK_DMS_SIP_T1', 500, 1, 60_000),
    t2Ms: readInteger(source, 'HTEK_DMS_SIP_T2', 4000, 1, 600_000),
    timerFMs: readInteger(source, 'HTEK_DMS_SIP_TIMER_F', 32_000, 1, 600_000),
    maxConcurrent: readInteger(source, 'HTEK_DMS_PUSH_MAX_CONCURRENT', 50, 1, 10_000),
    ratePerSecond: readInteger(source, 'HTEK_DMS_PUSH_RATE', 50, 0, 100_000),
    notSeenAfterMinutes: readInteger(source, 'HTEK_DMS_NOT_SEEN_AFTER', 1500, 1, 525_600),
    actionUrls: readOnOff(source, 'HTEK_DMS_ACTION_URLS', true),
  };
  if (config.t2Ms < config.t1Ms) {
    throw new ConfigError(source.label('HTEK_DMS_SIP_T2'), `${config.t2Ms} is smaller than T1 (${config.t1Ms} ms); set T2 to at least T1`);
  }
  return config;
}

/** Host of the public URL without IPv6 brackets, used as the advertised SIP host by default. */
function publicUrlHost(source: Source): string | undefined {
  const publicUrl = source.get('HTEK_DMS_PUBLIC_URL');
  if (publicUrl === undefined || !URL.canParse(publicUrl)) return undefined;
  return new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
}

function readPortRange(source: Source, name: string): [number, number] | undefined {
  const text = source.get(name);
  if (text === undefined) return undefined;

  const match = /^(\d{1,5})-(\d{1,5})$/.exec(text);
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (match === null || first < 1 || last > 65535 || first > last) {
    throw new ConfigError(source.label(name), `"${text}" is invalid; expected first-last with ports from 1 to 65535, e.g. 5070-5079`);
  }
  return [first, last];
}

function readOnOff(source: Source, name: string, fallback: boolean): boolean {
  const text = source.get(name);
  if (text === undefined) return fallback;
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new ConfigError(source.label(name), `"${text}" is invalid; expected on or off`);
}

function readAdminAuth(source: Source): Config['adminAuth'] {
  const text = source.get('HTEK_DMS_ADMIN_AUTH') ?? 'required';
  if (text !== 'required' && text !== 'off') {
    throw new ConfigError(source.label('HTEK_DMS_ADMIN_AUTH'), `"${text}" is invalid; expected required or off`);
  }
  return text;
}

function readTls(source: Source): Config['tls'] {
  const certFile = source.get('HTEK_DMS_TLS_CERT');
  const keyFile = source.get('HTEK_DMS_TLS_KEY');
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const setOne = certFile === undefined ? 'HTEK_DMS_TLS_KEY' : 'HTEK_DMS_TLS_CERT';
    throw new ConfigError(source.label(setOne), 'HTTPS needs both HTEK_DMS_TLS_CERT and HTEK_DMS_TLS_KEY (PEM file paths); set the other one too');
  }
  const read = (name: string, file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(source.label(name), `cannot read ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read('HTEK_DMS_TLS_CERT', certFile), key: read('HTEK_DMS_TLS_KEY', keyFile) };
}

function readSecretKeys(source: Source): Config['secretKeys'] {
  const readKey = (name: string) => {
    const text = source.get(name);
    if (text === undefined) return undefined;
    const bytes = Buffer.from(text, 'base64').length;
    if (bytes !== 32) throw new ConfigError(source.label(name), `decodes to ${bytes} bytes; expected 32 bytes in base64 (44 characters), e.g. from "openssl rand -base64 32"`);
    return text;
  };
  return { key: readKey('HTEK_DMS_SECRET_KEY'), keyFile: optionalPath(source.get('HTEK_DMS_SECRET_KEY_FILE')), previousKey: readKey('HTEK_DMS_SECRET_KEY_PREVIOUS') };
}

// The password is taken as given, without trimming, so it signs in exactly as typed.
function readFirstAdmin(source: Source, env: Env, flags: Flags): Config['firstAdmin'] {
  const password = flags['admin-password'] ?? env.HTEK_DMS_ADMIN_PASSWORD;
  return { username: source.get('HTEK_DMS_ADMIN_USER'), password: password === '' ? undefined : password };
}

/** Returns the secret key settings in the form `loadSecretBox` reads, so options and variables both count. */
export function secretKeyEnv(config: Pick<Config, 'secretKeys'>): Record<string, string | undefined> {
  return { HTEK_DMS_SECRET_KEY: config.secretKeys.key, HTEK_DMS_SECRET_KEY_FILE: config.secretKeys.keyFile, HTEK_DMS_SECRET_KEY_PREVIOUS: config.secretKeys.previousKey };
}
