import fs from 'node:fs';
import path from 'node:path';

import pino, { type Logger } from 'pino';

import { redactedPaths } from '../../src/logger.js';

/** Folder where every test process writes its log, so tests can inspect what was logged. */
export const testLogDir = path.resolve('test-output/logs');

/**
 * A logger that writes JSON lines to `test-output/logs/<name>-<pid>.log` at debug level, with
 * the same redaction as the server's, so the suite's log output can be searched for secrets.
 */
export function createTestLogger(name: string): { logger: Logger; file: string } {
  fs.mkdirSync(testLogDir, { recursive: true });
  const file = path.join(testLogDir, `${name}-${process.pid}.log`);
  const logger = pino({ level: 'debug', redact: { paths: redactedPaths, censor: '[secret]' } }, pino.destination({ dest: file, sync: true }));
  return { logger, file };
}
