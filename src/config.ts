import path from 'node:path';

/** Settings read from the environment once at start-up. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string | undefined;
  templatesDir: string | undefined;
  logLevel: string;
  prettyLogs: boolean;
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

type Env = Record<string, string | undefined>;

/**
 * Reads and checks every setting. Each invalid value throws a ConfigError that names the
 * variable and the expected form, so a typo stops start-up instead of running half-configured.
 */
export function loadConfig(env: Env = process.env): Config {
  return {
    port: readPort(env, 'PORT', 8080),
    host: readText(env, 'HOST') ?? '0.0.0.0',
    databaseUrl: readDatabaseUrl(env),
    dataDir: path.resolve(readText(env, 'HTEK_DMS_DATA_DIR') ?? './data'),
    publicUrl: readPublicUrl(env),
    templatesDir: optionalPath(readText(env, 'HTEK_DMS_TEMPLATES_DIR')),
    logLevel: readLogLevel(env),
    prettyLogs: readPrettyLogs(env),
  };
}

function readText(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function optionalPath(value: string | undefined): string | undefined {
  return value === undefined ? undefined : path.resolve(value);
}

function readPort(env: Env, name: string, fallback: number): number {
  const text = readText(env, name);
  if (text === undefined) return fallback;

  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 0 || port > 65535) {
    throw new ConfigError(name, `"${text}" is not a TCP port; expected a whole number from 0 to 65535`);
  }
  return port;
}

function readDatabaseUrl(env: Env): string | undefined {
  const text = readText(env, 'DATABASE_URL');
  if (text === undefined) return undefined;

  if (!/^postgres(ql)?:\/\//.test(text)) {
    throw new ConfigError('DATABASE_URL', 'expected a URL of the form postgres://user:password@host:5432/database');
  }
  return text;
}

function readPublicUrl(env: Env): string | undefined {
  const text = readText(env, 'HTEK_DMS_PUBLIC_URL');
  if (text === undefined) return undefined;

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('HTEK_DMS_PUBLIC_URL', `"${text}" is not a URL; expected the form http://prov.example.net:8080/`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('HTEK_DMS_PUBLIC_URL', `"${text}" must start with http:// or https://`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readLogLevel(env: Env): string {
  const text = readText(env, 'LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(text)) {
    throw new ConfigError('LOG_LEVEL', `"${text}" is not a log level; expected one of ${logLevels.join(', ')}`);
  }
  return text;
}

function readPrettyLogs(env: Env): boolean {
  const text = readText(env, 'HTEK_DMS_LOG_FORMAT');
  if (text === undefined) return env.NODE_ENV !== 'production' && process.stdout.isTTY === true;
  if (text === 'pretty') return true;
  if (text === 'json') return false;
  throw new ConfigError('HTEK_DMS_LOG_FORMAT', `"${text}" is not a log format; expected json or pretty`);
}
