import { type AccountFilter, accountSortExpression, selectFilteredAccounts } from '../accounts/accounts-repo.js';
import type { accountSortColumns } from '../accounts/accounts-schemas.js';
import type { Db } from '../db/database.js';
import type { ExportRow } from './export-writer.js';

/** The account list's filters, or a list of ids. */
export type ExportFilter = AccountFilter;

/** A sort of the account list: the column and the direction. */
export interface ExportSort {
  column: (typeof accountSortColumns)[number];
  order: 'asc' | 'desc';
}

/** Returns the ids among `ids` that no account has. */
export async function findMissingAccountIds(db: Db, ids: number[]): Promise<number[]> {
  const unique = [...new Set(ids)];
  const found = new Set<number>();
  for (let start = 0; start < unique.length; start += 10_000) {
    const rows = await db.selectFrom('accounts').select('id').where('id', 'in', unique.slice(start, start + 10_000)).execute();
    for (const row of rows) found.add(row.id);
  }
  return unique.filter((id) => !found.has(id));
}

function selectExportColumns(query: ReturnType<typeof selectFilteredAccounts>, includeSecrets: boolean) {
  return query
    .select([
      'accounts.id',
      'accounts.name',
      'profiles.name as profile',
      'accounts.active',
      'accounts.label',
      'accounts.sipUserId',
      'accounts.authId',
      'accounts.directPickupCode',
      'accounts.groupPickupCode',
      'accounts.featureKeySync',
      'accounts.voicemailUserId',
      'accounts.dialPlan',
      'accounts.eventListBlfUrl',
      'accounts.displayName',
      'accounts.localSipPort',
      'accounts.useRandomPort',
    ])
    .$if(includeSecrets, (qb) => qb.select(['accounts.authPassword', 'accounts.pin']));
}

/**
 * Reads the next page of accounts in id order after `afterId`, with the same filters as the
 * account list (text filters match any part in any letter case). Secrets are selected only
 * when they are exported.
 */
export async function readAccountPage(db: Db, filter: ExportFilter, afterId: number, limit: number, includeSecrets: boolean): Promise<{ id: number; values: ExportRow }[]> {
  const rows = await selectExportColumns(selectFilteredAccounts(db, filter).where('accounts.id', '>', afterId), includeSecrets)
    .orderBy('accounts.id')
    .limit(limit)
    .execute();

  // The row objects are handed on as they are (the id stays in them, and the writer reads
  // only the template's columns), so no second array of copies is made per page.
  return rows.map((row) => ({ id: row.id, values: row as ExportRow }));
}

/**
 * Returns the ids of the filtered accounts in the account list's order: the sort column, then
 * the id ascending for ties.
 */
export async function listSortedAccountIds(db: Db, filter: ExportFilter, sort: ExportSort): Promise<number[]> {
  const rows = await selectFilteredAccounts(db, filter)
    .select('accounts.id')
    .orderBy(accountSortExpression(sort.column), sort.order)
    .orderBy('accounts.id')
    .execute();
  return rows.map((row) => row.id);
}

/** Reads the accounts with these ids, in the order of `ids`; ids no account has are left out. */
export async function readAccountsByIds(db: Db, ids: number[], includeSecrets: boolean): Promise<ExportRow[]> {
  if (ids.length === 0) return [];
  const rows = await selectExportColumns(selectFilteredAccounts(db, { ids }), includeSecrets).execute();
  const byId = new Map(rows.map((row) => [row.id, row as ExportRow]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
