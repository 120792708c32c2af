import { ConfigError, type Flags, settings } from './config.js';

/** parseArgs options for every setting, e.g. `--port 9000` or `--port=9000`. */
export const settingOptions = Object.fromEntries(settings.map((setting) => [setting.flag, { type: 'string' as const }]));

const otherOptions = new Set(['help']);

/**
 * Picks the settings out of parseArgs' values and rejects a setting option without a value.
 * With `rejectUnknown`, an option that is no setting is rejected too, so a typo such as
 * `--prot` stops start-up instead of being ignored.
 */
export function readSettingFlags(values: Record<string, string | boolean | undefined>, rejectUnknown: boolean): Flags {
  const flags: Flags = {};
  const known = new Set(settings.map((setting) => setting.flag));

  for (const [name, value] of Object.entries(values)) {
    if (known.has(name)) {
      if (typeof value !== 'string') throw new ConfigError(`--${name}`, `needs a value, e.g. --${name}=${exampleValue(name)}`);
      flags[name] = value;
    } else if (rejectUnknown && !otherOptions.has(name)) {
      throw new ConfigError(`--${name}`, 'is not an option; run htek-dms serve --help for the list');
    }
  }
  return flags;
}

function exampleValue(flag: string): string {
  const setting = settings.find((candidate) => candidate.flag === flag);
  return setting?.defaultValue.startsWith('(') === false ? setting.defaultValue.split(' ')[0] ?? '' : '...';
}

/** Help text of `htek-dms serve --help`: every setting with its option, variable, default and form. */
export function serveHelp(): string {
  const lines = [
    'Usage: htek-dms serve [options]',
    '',
    'Starts the provisioning server, admin API and web UI. Each option can also be set by its',
    'environment variable; the option wins when both are set. Invalid values stop start-up.',
    '',
  ];

  for (const setting of settings) {
    lines.push(`  --${setting.flag} <value>   ${setting.env}`);
    lines.push(`      ${setting.description}`);
    lines.push(`      Form: ${setting.form}. Default: ${setting.defaultValue}.`);
  }
  lines.push('', 'Signals: SIGTERM or SIGINT stop the server gracefully. See docs/configuration.md.', '');
  return lines.join('\n');
}
