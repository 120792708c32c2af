import type { Db } from '../db/database.js';

/** One audit entry as written; before/after must already have their secrets masked. */
export interface AuditEntry {
  actor?: string | null;
  actorUserId?: number | null;
  address: string;
  action: string;
  method?: string | null;
  route?: string | null;
  objectType?: string | null;
  objectId?: string | null;
  outcome: 'success' | 'failure';
  statusCode?: number | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  outcome?: 'success' | 'failure';
  from?: string;
  to?: string;
  /** Return entries with an id below this one (the next page). */
  beforeId?: number;
  limit?: number;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      actor: entry.actor ?? null,
      actorUserId: entry.actorUserId ?? null,
      address: entry.address,
      action: entry.action,
      method: entry.method ?? null,
      route: entry.route ?? null,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId ?? null,
      outcome: entry.outcome,
      statusCode: entry.statusCode ?? null,
      before: json(entry.before),
      after: json(entry.after),
    })
    .execute();
}

export function listAudit(db: Db, filter: AuditFilter) {
  return db
    .selectFrom('auditLog')
    .selectAll()
    .$if(filter.actor !== undefined, (qb) => qb.where('actor', '=', filter.actor!))
    .$if(filter.action !== undefined, (qb) => qb.where('action', '=', filter.action!))
    .$if(filter.objectType !== undefined, (qb) => qb.where('objectType', '=', filter.objectType!))
    .$if(filter.objectId !== undefined, (qb) => qb.where('objectId', '=', filter.objectId!))
    .$if(filter.outcome !== undefined, (qb) => qb.where('outcome', '=', filter.outcome!))
    .$if(filter.from !== undefined, (qb) => qb.where('at', '>=', new Date(filter.from!)))
    .$if(filter.to !== undefined, (qb) => qb.where('at', '<', new Date(filter.to!)))
    .$if(filter.beforeId !== undefined, (qb) => qb.where('id', '<', filter.beforeId!))
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
}
