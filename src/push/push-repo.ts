import { sql } from 'kysely';

import type { Db } from '../db/database.js';
import type { PushDeviceState, PushJobDeviceRow, PushJobRow } from '../db/schema.js';
import type { TargetSource } from './push-target.js';

/** A device row a worker claimed: it is marked sent and must get a result from that worker. */
export interface ClaimedDevice {
  jobId: string;
  deviceId: number;
  mac: string;
  reboot: boolean;
  /** The row's dispatch count after this claim, so a late result of an older claim is ignored. */
  dispatches: number;
}

/** Inserts a job and one queued row per device in one transaction; returns the job id. */
export async function insertJob(
  db: Db,
  job: { mode: 'now' | 'at'; runAt: Date; reboot: boolean; maxConcurrent: number; ratePerSecond: number },
  devices: { id: number; mac: string }[],
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('pushJobs').values(job).returning('id').executeTakeFirstOrThrow();
    await trx
      .insertInto('pushJobDevices')
      .values(devices.map((device) => ({ jobId: row.id, deviceId: device.id, mac: device.mac })))
      .execute();
    return row.id;
  });
}

export async function findJob(db: Db, id: string): Promise<{ job: PushJobRow; devices: PushJobDeviceRow[] } | undefined> {
  const job = await db.selectFrom('pushJobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!job) return undefined;

  const devices = await db.selectFrom('pushJobDevices').selectAll().where('jobId', '=', id).orderBy('deviceId').execute();
  return { job, devices };
}

/**
 * Claims up to `limit` queued devices of due jobs and marks them sent. Job rows are locked with
 * SKIP LOCKED, so two instances never claim for one job at the same moment, and each job's
 * concurrency cap and rate (per one-second window) hold over all instances together.
 */
export async function claimDevices(db: Db, limit: number, jobId?: string): Promise<ClaimedDevice[]> {
  const onlyJob = jobId === undefined ? sql`` : sql`and j.id = ${jobId}`;
  return db.transaction().execute(async (trx) => {
    const jobs = await sql<{ id: string; reboot: boolean; maxConcurrent: number; ratePerSecond: number; sentInWindow: number; windowExpired: boolean; inFlight: number }>`
      select j.id, j.reboot, j.max_concurrent, j.rate_per_second, j.sent_in_window,
        (now() - j.window_started_at >= interval '1 second') as window_expired,
        (select count(*)::int from push_job_devices s where s.job_id = j.id and s.state = 'sent') as in_flight
      from push_jobs j
      where j.run_at <= now() ${onlyJob} and exists (select 1 from push_job_devices q where q.job_id = j.id and q.state = 'queued')
      order by j.run_at, j.created_at
      limit 20
      for update of j skip locked`.execute(trx);

    const claimed: ClaimedDevice[] = [];
    for (const job of jobs.rows) {
      const usedInWindow = job.windowExpired ? 0 : job.sentInWindow;
      const rateLeft = job.ratePerSecond === 0 ? Number.MAX_SAFE_INTEGER : job.ratePerSecond - usedInWindow;
      const allowed = Math.min(limit - claimed.length, job.maxConcurrent - job.inFlight, rateLeft);
      if (allowed <= 0) continue;

      const rows = await sql<{ deviceId: number; mac: string; dispatches: number }>`
        update push_job_devices set state = 'sent', sent_at = now(), updated_at = now(), dispatches = dispatches + 1
        where job_id = ${job.id} and device_id in (
          select device_id from push_job_devices where job_id = ${job.id} and state = 'queued'
          order by device_id limit ${allowed} for update skip locked)
        returning device_id, mac, dispatches`.execute(trx);

      const windowUpdate = job.windowExpired
        ? sql`window_started_at = now(), sent_in_window = ${rows.rows.length}`
        : sql`sent_in_window = sent_in_window + ${rows.rows.length}`;
      await sql`update push_jobs set ${windowUpdate} where id = ${job.id}`.execute(trx);

      for (const row of rows.rows) claimed.push({ jobId: job.id, deviceId: row.deviceId, mac: row.mac, reboot: job.reboot, dispatches: row.dispatches });
      if (claimed.length >= limit) break;
    }
    return claimed;
  });
}

/**
 * Handles rows left in `sent` by a worker that stopped while sending: older than `staleAfterMs`,
 * a row sent once is queued again and a row already sent twice is failed. With `jobId`, only
 * that job's rows are handled. Returns the rows changed, for the log.
 */
export async function recoverStaleDevices(db: Db, staleAfterMs: number, jobId?: string): Promise<{ jobId: string; deviceId: number; state: PushDeviceState }[]> {
  const onlyJob = jobId === undefined ? sql`` : sql`and job_id = ${jobId}`;
  const result = await sql<{ jobId: string; deviceId: number; state: PushDeviceState }>`
    update push_job_devices set
      state = case when dispatches >= 2 then 'failed' else 'queued' end,
      outcome = case when dispatches >= 2 then 'failed' else outcome end,
      reason = case when dispatches >= 2 then 'no result recorded: the server instances sending it stopped twice' else 'resent after the sending server instance stopped without a result' end,
      updated_at = now()
    where state = 'sent' and sent_at < now() - make_interval(secs => ${staleAfterMs / 1000}) ${onlyJob}
    returning job_id, device_id, state`.execute(db);
  return result.rows;
}

/** Stores a device's result, unless the row was claimed again since (a stale claim's late result). */
export async function recordResult(
  db: Db,
  claim: ClaimedDevice,
  result: { state: 'answered' | 'failed'; outcome: string; sipStatus: number | null; reason: string },
): Promise<boolean> {
  const updated = await db
    .updateTable('pushJobDevices')
    .set({
      state: result.state,
      outcome: result.outcome,
      sipStatus: result.sipStatus,
      reason: result.reason,
      answeredAt: result.state === 'answered' ? sql<Date>`now()` : null,
      updatedAt: sql<Date>`now()`,
    })
    .where('jobId', '=', claim.jobId)
    .where('deviceId', '=', claim.deviceId)
    .where('state', '=', 'sent')
    .where('dispatches', '=', claim.dispatches)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Loads what the NOTIFY targets of the devices are chosen from, by device id. */
export async function loadTargetSources(db: Db, deviceIds: number[]): Promise<Map<number, TargetSource>> {
  if (deviceIds.length === 0) return new Map();

  const rows = await sql<{
    id: number;
    lastAddress: string | null;
    sipTarget: string | null;
    reportedSipPort: number | null;
    sipUserId: string | null;
    authId: string | null;
    authPassword: string | null;
    localSipPort: number | null;
    useRandomPort: boolean | null;
    transport: 'udp' | 'tcp' | 'tls' | null;
  }>`
    select d.id, d.last_address, d.sip_target, d.reported_sip_port,
      a.sip_user_id, a.auth_id, a.auth_password, a.local_sip_port, a.use_random_port, p.transport
    from devices d
    left join lateral (select account_id from device_lines l where l.device_id = d.id order by l.line limit 1) first_line on true
    left join accounts a on a.id = first_line.account_id
    left join profiles p on p.id = a.profile_id
    where d.id in (${sql.join(deviceIds)})`.execute(db);

  const sources = new Map<number, TargetSource>();
  for (const row of rows.rows) {
    const line =
      row.sipUserId === null
        ? null
        : {
            sipUserId: row.sipUserId,
            authId: row.authId ?? '',
            authPassword: row.authPassword ?? '',
            localSipPort: row.localSipPort ?? 5060,
            useRandomPort: row.useRandomPort === true,
            transport: row.transport ?? 'udp',
          };
    sources.set(row.id, { lastAddress: row.lastAddress, sipTarget: row.sipTarget, reportedSipPort: row.reportedSipPort, line });
  }
  return sources;
}

/**
 * Marks a device's answered pushes confirmed after it fetched its file at `fetchedAt`, which must
 * not be earlier than the NOTIFY's answer. Returns how many rows changed.
 */
export async function confirmFetch(db: Db, mac: string, fetchedAt: Date): Promise<number> {
  const result = await db
    .updateTable('pushJobDevices')
    .set({ state: 'confirmed', updatedAt: sql<Date>`now()` })
    .where('deviceId', '=', (eb) => eb.selectFrom('devices').select('id').where('mac', '=', mac))
    .where('state', '=', 'answered')
    .where('answeredAt', '<=', fetchedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
