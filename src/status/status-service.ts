import { sql } from 'kysely';
import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import type { AccountStatus } from '../db/schema.js';

/** Phone events that arrive through Action URLs, as the last path segment of the URL. */
export const phoneEvents = ['registered', 'register-failed', 'logged-off', 'setup-completed'] as const;
export type PhoneEvent = (typeof phoneEvents)[number];

/** Account Status each event sets; setup-completed only records the device's address. */
const statusOfEvent: Record<PhoneEvent, AccountStatus | undefined> = {
  registered: 'online',
  'register-failed': 'offline',
  'logged-off': 'offline',
  'setup-completed': undefined,
};

export interface PhoneEventReport {
  token: string;
  event: PhoneEvent;
  /** Address the request came from. */
  address: string;
  /** Line the event is about, when the URL names one; otherwise every line of the device. */
  line?: number | undefined;
  /** SIP port the phone reported, for lines with Use Random Port. */
  sipPort?: number | undefined;
}

export type StatusService = ReturnType<typeof createStatusService>;

/** Account Status from phone events: device address and last-seen time, accounts online or offline. */
export function createStatusService({ db, logger }: { db: Db; logger: Logger }) {
  /** Applies one event; returns false when no device has the token. */
  async function report(event: PhoneEventReport): Promise<boolean> {
    const device = await sql<{ id: number; mac: string }>`
      update devices set last_seen_at = now(), last_address = ${event.address},
        reported_sip_port = coalesce(${event.sipPort ?? null}::int, reported_sip_port)
      where status_token = ${event.token}
      returning id, mac`.execute(db);
    const found = device.rows[0];
    if (found === undefined) {
      logger.warn({ event: 'security', address: event.address, tokenPrefix: event.token.slice(0, 4), phoneEvent: event.event }, 'phone event rejected: unknown status token');
      return false;
    }

    const status = statusOfEvent[event.event];
    const accountIds = status === undefined ? [] : await setLineStatus(found.id, status, event.line);
    logger.info({ deviceId: found.id, mac: found.mac, phoneEvent: event.event, line: event.line ?? null, accountIds, address: event.address }, 'phone event');
    return true;
  }

  async function setLineStatus(deviceId: number, status: AccountStatus, line: number | undefined): Promise<number[]> {
    const lineFilter = line === undefined ? sql`` : sql`and l.line = ${line}`;
    const result = await sql<{ id: number }>`
      update accounts set status = ${status},
        status_changed_at = case when status is distinct from ${status} or status_changed_at is null then now() else status_changed_at end
      where id in (select l.account_id from device_lines l where l.device_id = ${deviceId} ${lineFilter})
      returning id`.execute(db);
    return result.rows.map((row) => row.id);
  }

  return { report };
}
