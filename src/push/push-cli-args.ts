import { sql } from 'kysely';

import { settingOptions } from '../cli-settings.js';
import type { Db } from '../db/database.js';
import { canonicalMac } from '../devices/mac.js';
import type { CreatePushInput } from './push-schemas.js';

/** Options of `htek-dms push`, as parsed by node:util parseArgs. */
export const pushCliOptions = {
  reboot: { type: 'boolean' },
  at: { type: 'string' },
  'max-concurrent': { type: 'string' },
  rate: { type: 'string' },
} as const;

export const pushUsage = `  push <mac|account>
                  Send check-sync NOTIFYs to one device (by MAC) or to every device bound to
                  an account (by name, SIP User ID, id, or #<id> when those clash), print
                  each device's result as it changes and exit 1 when any device failed
                  --reboot                 phones reboot after the sync
                  --at <time>              send at this RFC 3339 time, e.g. 2026-12-24T22:00:00Z
                  --max-concurrent <n>     NOTIFYs in flight at once (1-10000)
                  --rate <n>               NOTIFYs started per second (0-100000, 0 is uncapped)
`;

/** An invalid command line or target; the CLI prints the message and exits with 2. */
export class PushUsageError extends Error {}

/** The push that a command line requests, before its devices are chosen. */
export interface PushRequest {
  target: string;
  options: Pick<CreatePushInput, 'mode' | 'at' | 'reboot' | 'maxConcurrent' | 'ratePerSecond'>;
}

type Values = Record<string, string | boolean | undefined>;

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Reads the target and the options of `htek-dms push`; throws PushUsageError on invalid ones. */
export function readPushRequest(args: string[], values: Values): PushRequest {
  const [target, ...extra] = args;
  if (target === undefined) throw new PushUsageError('push needs a MAC or an account, e.g. htek-dms push 00:1f:c1:10:d3:a9');
  if (extra.length > 0) throw new PushUsageError(`push takes one MAC or account, but got also "${extra.join(' ')}"; run it once per target`);
  rejectUnknownOptions(values);

  if (values.reboot !== undefined && typeof values.reboot !== 'boolean') {
    throw new PushUsageError(`--reboot takes no value, but got "${String(values.reboot)}"; leave the value out`);
  }
  const options: PushRequest['options'] = { mode: 'now', reboot: values.reboot === true };

  if (values.at !== undefined) {
    if (typeof values.at !== 'string' || !rfc3339.test(values.at) || Number.isNaN(Date.parse(values.at))) {
      throw new PushUsageError(`--at "${String(values.at)}" is not a date and time with a time zone; expected RFC 3339, e.g. 2026-12-24T22:00:00Z`);
    }
    options.mode = 'at';
    options.at = values.at;
  }

  const maxConcurrent = readWholeNumber(values, 'max-concurrent', 1, 10_000);
  if (maxConcurrent !== undefined) options.maxConcurrent = maxConcurrent;
  const rate = readWholeNumber(values, 'rate', 0, 100_000);
  if (rate !== undefined) options.ratePerSecond = rate;

  return { target, options };
}

/** Rejects options that are neither push options nor settings, so a typo such as `--rebot` stops the run. */
function rejectUnknownOptions(values: Values): void {
  const known = new Set([...Object.keys(pushCliOptions), ...Object.keys(settingOptions), 'help']);
  const unknown = Object.keys(values).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new PushUsageError(`--${unknown[0]} is not an option of push; the options are --reboot, --at, --max-concurrent and --rate`);
  }
}

function readWholeNumber(values: Values, name: string, minimum: number, maximum: number): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;

  const value = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new PushUsageError(`--${name} "${String(text)}" is invalid; expected a whole number from ${minimum} to ${maximum}`);
  }
  return value;
}

/**
 * Chooses the devices of the push: a MAC selects that device; any other text selects the
 * account whose name (any case), SIP User ID or id it is, and `#<id>` selects by id only.
 * Returns the push API's way of choosing them. Throws PushUsageError when nothing or more
 * than one account matches.
 */
export async function resolvePushTarget(db: Db, target: string): Promise<Pick<CreatePushInput, 'accountId' | 'deviceIds'> & { description: string }> {
  const mac = canonicalMac(target);
  if (mac !== undefined) {
    const device = await db.selectFrom('devices').select('id').where('mac', '=', mac).executeTakeFirst();
    if (device === undefined) throw new PushUsageError(`No device has the MAC ${mac}; add it with POST /api/v1/devices first`);
    return { deviceIds: [device.id], description: `device ${mac}` };
  }

  const text = target.trim();
  const byIdOnly = /^#\d+$/.test(text);
  const idText = byIdOnly ? text.slice(1) : text;
  const id = /^\d{1,9}$/.test(idText) ? Number(idText) : undefined;

  const matches = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'sipUserId'])
    .where((eb) => {
      const byId = id === undefined ? eb.val(false) : eb('id', '=', id);
      if (byIdOnly) return byId;
      return eb.or([byId, eb(sql<string>`lower(name)`, '=', text.toLowerCase()), eb('sipUserId', '=', text)]);
    })
    .orderBy('id')
    .execute();

  if (matches.length === 0) {
    throw new PushUsageError(`"${target}" is neither a MAC nor an account name, SIP User ID or id; list accounts with GET /api/v1/accounts`);
  }
  if (matches.length > 1) {
    const candidates = matches.map((account) => `#${account.id} (name "${account.name}", SIP User ID ${account.sipUserId})`).join(', ');
    throw new PushUsageError(`"${target}" matches several accounts: ${candidates}; choose one by id, e.g. htek-dms push '#${matches[0]?.id}'`);
  }

  const account = matches[0]!;
  return { accountId: account.id, description: `account #${account.id} "${account.name}"` };
}
