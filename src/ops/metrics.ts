import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

import type { PoolStats } from '../db/database.js';

/**
 * The process's Prometheus metrics, served at /metrics. Other modules count their events
 * through the `metrics` object, e.g. `metrics.configFetches.inc({ status: '200' })`. The
 * registry lives for the process, so several apps built in one test process share the counts.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'htek_dms_' });

let readPoolStats: (() => PoolStats) | undefined;

/** Sets where the database pool gauges read from; the server calls this after opening Postgres. */
export function setPoolStatsSource(source: (() => PoolStats) | undefined): void {
  readPoolStats = source;
}

function poolGauge(name: string, help: string, pick: (stats: PoolStats) => number) {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      if (readPoolStats) this.set(pick(readPoolStats()));
    },
  });
}

export const metrics = {
  /** Phone file requests by HTTP status (200, 304, 403, 404, 503, ...). */
  configFetches: new Counter({
    name: 'htek_dms_config_fetches_total',
    help: 'Phone configuration file requests, by HTTP status',
    labelNames: ['status'] as const,
    registers: [registry],
  }),

  /** Seconds from a phone request to its file: the device look-up plus the template rendering. */
  configRenderSeconds: new Histogram({
    name: 'htek_dms_config_render_seconds',
    help: 'Time to look up a device and render its configuration file, in seconds',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),

  /** SIP NOTIFY (check-sync, reboot) requests sent to phones, by outcome (e.g. ok, timeout, rejected). */
  notifies: new Counter({
    name: 'htek_dms_sip_notifies_total',
    help: 'SIP NOTIFY requests sent to phones, by outcome',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  }),

  /** Spreadsheet imports by outcome (applied, rejected). */
  imports: new Counter({
    name: 'htek_dms_imports_total',
    help: 'Account spreadsheet imports, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),

  /** Accounts imported from spreadsheets. */
  importedRows: new Counter({
    name: 'htek_dms_imported_rows_total',
    help: 'Spreadsheet rows imported as accounts',
    registers: [registry],
  }),

  /** Spreadsheet exports by file format (xlsx, csv). */
  exports: new Counter({
    name: 'htek_dms_exports_total',
    help: 'Account spreadsheet exports, by file format',
    labelNames: ['format'] as const,
    registers: [registry],
  }),

  databasePoolTotal: poolGauge('htek_dms_db_pool_connections', 'Open Postgres connections of this process', (stats) => stats.total),
  databasePoolIdle: poolGauge('htek_dms_db_pool_idle_connections', 'Idle Postgres connections of this process', (stats) => stats.idle),
  databasePoolWaiting: poolGauge('htek_dms_db_pool_waiting_queries', 'Queries waiting for a free Postgres connection', (stats) => stats.waiting),
};
