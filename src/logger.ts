import { createRequire } from 'node:module';

import pino, { type Logger, type LoggerOptions } from 'pino';

import type { Config } from './config.js';

/**
 * Paths that may carry a secret anywhere in a logged object. pino replaces their values, so a
 * request body or an account row that reaches a log line never shows a SIP password or PIN.
 */
export const redactedPaths = [
  'authPassword',
  'pin',
  'password',
  '*.authPassword',
  '*.pin',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'body',
];

/** Builds the pino options: JSON lines in production, pino-pretty for a developer's terminal. */
export function loggerOptions(config: Pick<Config, 'logLevel' | 'prettyLogs'>): LoggerOptions {
  const options: LoggerOptions = {
    level: config.logLevel,
    redact: { paths: redactedPaths, censor: '[secret]' },
  };
  if (config.prettyLogs && prettyPrinterInstalled()) {
    options.transport = {
      target: 'pino-pretty',
      options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
    };
  }
  return options;
}

export function createLogger(config: Pick<Config, 'logLevel' | 'prettyLogs'>): Logger {
  return pino(loggerOptions(config));
}

/**
 * Logger of a command whose standard output is its result (render, import, export, push,
 * user): warnings and errors only, as JSON on standard error.
 */
export function createCommandLogger(config: Pick<Config, 'logLevel'>): Logger {
  const level = config.logLevel === 'silent' || config.logLevel === 'fatal' || config.logLevel === 'error' ? config.logLevel : 'warn';
  return pino(loggerOptions({ logLevel: level, prettyLogs: false }), pino.destination(2));
}

// pino-pretty is a development dependency; an installation without it logs JSON.
function prettyPrinterInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
