import fs from 'node:fs';
import path from 'node:path';

import t from 'tap';

import { readSettingFlags, serveHelp } from '../../src/cli-settings.js';
import { ConfigError, fastifyTrustProxy, loadConfig, settings } from '../../src/config.js';

t.test('defaults without settings', async (t) => {
  const config = loadConfig({});

  t.equal(config.port, 8080);
  t.equal(config.host, '0.0.0.0');
  t.equal(config.databaseUrl, undefined);
  t.equal(config.dataDir, path.resolve('./data'));
  t.equal(config.trustProxy, false);
  t.equal(config.shutdownTimeoutMs, 10_000);
  t.equal(config.dbPoolSize, 10);
  t.equal(config.dbConnectTimeoutMs, 5000);
  t.equal(config.dbStatementTimeoutMs, 15_000);
});

t.test('option wins over environment', async (t) => {
  const env = { PORT: '8080', HTEK_DMS_DATA_DIR: '/srv/env-data', HTEK_DMS_PUBLIC_URL: 'http://env.example.net/' };
  const config = loadConfig(env, { port: '9090', 'data-dir': '/srv/flag-data', 'public-url': 'https://prov.example.net:8443' });

  t.equal(config.port, 9090);
  t.equal(config.dataDir, '/srv/flag-data');
  t.equal(config.publicUrl, 'https://prov.example.net:8443/', 'a trailing slash is added');
});

t.test('options map onto the config', async (t) => {
  const flags = {
    port: '1',
    host: '127.0.0.2',
    'database-url': 'postgres://u:p@db:5432/htek',
    'data-dir': '/tmp/d',
    'public-url': 'http://p.example.net/',
    'templates-dir': '/tmp/t',
    'log-level': 'debug',
    'log-format': 'json',
    'trust-proxy': '2',
    'shutdown-timeout': '3',
    'db-pool-size': '4',
    'db-connect-timeout': '6',
    'db-statement-timeout': '7',
  };
  const config = loadConfig({}, flags);

  t.match(
    config,
    {
      port: 1,
      host: '127.0.0.2',
      databaseUrl: 'postgres://u:p@db:5432/htek',
      dataDir: '/tmp/d',
      publicUrl: 'http://p.example.net/',
      templatesDir: '/tmp/t',
      logLevel: 'debug',
      prettyLogs: false,
      trustProxy: 2,
      shutdownTimeoutMs: 3000,
      dbPoolSize: 4,
      dbConnectTimeoutMs: 6000,
      dbStatementTimeoutMs: 7000,
    },
  );
});

t.test('every option reaches loadConfig', async (t) => {
  const defaults = loadConfig({});

  for (const setting of settings) {
    let changed: boolean;
    try {
      changed = JSON.stringify(loadConfig({}, { [setting.flag]: '!x' })) !== JSON.stringify(defaults);
    } catch (error) {
      changed = error instanceof ConfigError && error.setting === `--${setting.flag}`;
    }
    t.ok(changed, `--${setting.flag} changes the config or is rejected by its name`);
  }
});

const invalidCases: { env?: Record<string, string>; flags?: Record<string, string>; setting: string; expected: RegExp }[] = [
  { env: { PORT: 'http' }, setting: 'PORT', expected: /whole number from 0 to 65535/ },
  { flags: { port: '70000' }, setting: '--port', expected: /whole number from 0 to 65535/ },
  { env: { DATABASE_URL: 'mysql://db/htek' }, setting: 'DATABASE_URL', expected: /postgres:\/\/user:password@host:5432\/database/ },
  { flags: { 'public-url': 'prov.example.net' }, setting: '--public-url', expected: /expected the form http:\/\// },
  { env: { HTEK_DMS_PUBLIC_URL: 'ftp://prov.example.net/' }, setting: 'HTEK_DMS_PUBLIC_URL', expected: /http:\/\/ or https:\/\// },
  { env: { LOG_LEVEL: 'verbose' }, setting: 'LOG_LEVEL', expected: /expected one of fatal, error/ },
  { flags: { 'log-format': 'xml' }, setting: '--log-format', expected: /expected json or pretty/ },
  { env: { HTEK_DMS_TRUST_PROXY: 'yes' }, setting: 'HTEK_DMS_TRUST_PROXY', expected: /hop count, or comma-separated IP addresses/ },
  { env: { HTEK_DMS_TRUST_PROXY: '10.0.0.0/33' }, setting: 'HTEK_DMS_TRUST_PROXY', expected: /"10\.0\.0\.0\/33" is invalid/ },
  { env: { HTEK_DMS_SHUTDOWN_TIMEOUT: '0' }, setting: 'HTEK_DMS_SHUTDOWN_TIMEOUT', expected: /from 1 to 600/ },
  { flags: { 'db-pool-size': '-1' }, setting: '--db-pool-size', expected: /from 1 to 1000/ },
  { env: { HTEK_DMS_DB_CONNECT_TIMEOUT: '2.5' }, setting: 'HTEK_DMS_DB_CONNECT_TIMEOUT', expected: /whole number/ },
  { env: { HTEK_DMS_DB_STATEMENT_TIMEOUT: '1h' }, setting: 'HTEK_DMS_DB_STATEMENT_TIMEOUT', expected: /from 1 to 3600/ },
];

for (const { env = {}, flags = {}, setting, expected } of invalidCases) {
  t.test(`invalid ${setting} stops start-up`, async (t) => {
    let caught: unknown;
    try {
      loadConfig(env, flags);
    } catch (error) {
      caught = error;
    }

    t.type(caught, ConfigError);
    t.equal((caught as ConfigError).setting, setting, 'the error names the setting as written');
    t.match((caught as ConfigError).message, expected, 'the error gives the expected form');
  });
}

t.test('trust proxy forms', async (t) => {
  t.equal(loadConfig({ HTEK_DMS_TRUST_PROXY: 'true' }).trustProxy, true);
  t.equal(loadConfig({ HTEK_DMS_TRUST_PROXY: 'false' }).trustProxy, false);
  t.equal(loadConfig({ HTEK_DMS_TRUST_PROXY: '1' }).trustProxy, 1);
  t.same(loadConfig({ HTEK_DMS_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);

  const hops = fastifyTrustProxy(2);
  t.type(hops, 'function');
  t.equal((hops as (address: string, hop: number) => boolean)('10.0.0.1', 1), true, 'hop 1 of 2 is trusted');
  t.equal((hops as (address: string, hop: number) => boolean)('10.0.0.1', 2), false, 'hop 2 of 2 is not');
});

t.test('option flags from the command line', async (t) => {
  t.same(readSettingFlags({ port: '9000', help: false }, true), { port: '9000' });
  t.throws(() => readSettingFlags({ port: true }, true), { setting: '--port', message: /needs a value, e.g. --port=8080/ });
  t.throws(() => readSettingFlags({ prot: '9000' }, true), { setting: '--prot', message: /is not an option/ });
  t.same(readSettingFlags({ other: true }, false), {}, 'other commands may take options of their own');
});

t.test('help and docs list every setting', async (t) => {
  const help = serveHelp();
  const reference = fs.readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

  for (const setting of settings) {
    t.match(help, `--${setting.flag} <value>   ${setting.env}`, `help lists --${setting.flag}`);
    t.match(reference, `\`${setting.env}\``, `docs/configuration.md lists ${setting.env}`);
    t.match(reference, `\`--${setting.flag}\``, `docs/configuration.md lists --${setting.flag}`);
  }
});
