import { parseArgs } from 'node:util';

import { readSettingFlags, serveHelp, settingOptions } from './cli-settings.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { migrateToLatest } from './db/migrate.js';
import { openConfiguredDatabase } from './db/open-configured.js';
import { canonicalMac, describeInvalidMac } from './devices/mac.js';
import { createCommandLogger, createLogger } from './logger.js';
import { createProvisioningService } from './provisioning/provisioning-service.js';
import { createRenderer, TemplateError } from './provisioning/renderer.js';
import { SecretKeyError } from './secrets/secret-box.js';
import { PortInUseError, startServer } from './server.js';
import { exportCommand, importCommand, spreadsheetCliOptions, spreadsheetUsage, SpreadsheetUsageError } from './spreadsheet/spreadsheet-cli.js';
import { rotateKeyCommand, securityCliOptions, securityUsage, userCommand } from './users/security-cli.js';
import { pushCliOptions, pushCommand, pushUsage } from './push/push-cli.js';

const usage = `Usage: htek-dms <command> [options]

Commands:
  serve           Start the provisioning server and admin API (default)
  migrate         Apply pending database migrations and exit
  render <mac>    Print the cfg<mac>.xml file the phone with this MAC would receive
${spreadsheetUsage}
${securityUsage}${pushUsage}Settings come from the environment or from options: PORT or --port (8080), HOST or --host
(0.0.0.0), DATABASE_URL or --database-url (unset: embedded database in HTEK_DMS_DATA_DIR or
--data-dir, default ./data), HTEK_DMS_PUBLIC_URL or --public-url, and more:
htek-dms serve --help lists every setting. See docs/configuration.md.
`;

type Command = (config: Config, args: string[], values: Record<string, string | boolean | undefined>) => Promise<number>;

const commands: Record<string, Command> = {
  serve: async (config) => {
    const logger = createLogger(config);
    await startServer(config, logger);
    return -1;
  },

  migrate: async (config) => {
    const logger = createLogger(config);
    const database = await openConfiguredDatabase(config, logger);
    try {
      await migrateToLatest(database.db, logger);
      logger.info({ database: database.kind, location: database.location }, 'database is up to date');
    } finally {
      await database.close();
    }
    return 0;
  },

  render: async (config, args) => {
    const [macText] = args;
    if (macText === undefined) throw new UsageError('render needs a MAC, e.g. htek-dms render 00:1f:c1:10:d3:a9');
    const mac = canonicalMac(macText);
    if (mac === undefined) throw new UsageError(describeInvalidMac(macText));

    // Logs go to stderr so that stdout carries exactly the file.
    const logger = createCommandLogger(config);
    const database = await openConfiguredDatabase(config, logger);
    try {
      await migrateToLatest(database.db, logger);
      const provisioning = createProvisioningService({ db: database.db, logger, renderer: createRenderer(config.templatesDir), publicUrl: config.publicUrl, checkIntervalMinutes: 1440 });
      const body = await provisioning.renderForMac(mac, config.publicUrl ?? `http://localhost:${config.port}/`);
      if (body === null) {
        process.stderr.write(`No device has the MAC ${mac}; add it with POST /api/v1/devices first.\n`);
        return 1;
      }
      process.stdout.write(body);
      return 0;
    } finally {
      await database.close();
    }
  },

  import: importCommand,
  export: exportCommand,
  user: userCommand,
  'rotate-key': rotateKeyCommand,
  push: pushCommand,
};

class UsageError extends Error {}

/** Runs the command line; returns the exit code, or -1 when the process keeps running (serve). */
export async function runCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' }, ...settingOptions, ...spreadsheetCliOptions, ...securityCliOptions, ...pushCliOptions } });
  const [name = 'serve', ...args] = positionals;

  if (values.help) {
    process.stdout.write(name === 'serve' ? serveHelp() : usage);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }

  try {
    return await command(loadConfig(process.env, readSettingFlags(values, name === 'serve')), args, values);
  } catch (error) {
    if (error instanceof UsageError || error instanceof SpreadsheetUsageError || error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof TemplateError || error instanceof SecretKeyError || error instanceof PortInUseError) {
      process.stderr.write(`htek-dms: ${error.message}\n`);
      return error instanceof UsageError || error instanceof SpreadsheetUsageError ? 2 : 1;
    }
    throw error;
  }
}

const exitCode = await runCli(process.argv.slice(2));
if (exitCode >= 0) process.exitCode = exitCode;
