import { columnHeaderOf, type ImportProblem } from './import-report.js';
import type { SheetRow } from './read-account-sheet.js';

/** A row after its own checks: where it goes and what it would store. */
export interface CheckedRow {
  row: SheetRow;
  profileId: number | undefined;
  /** Id of the stored account with the same profile and SIP user ID. */
  existingId: number | undefined;
  problems: ImportProblem[];
}

function listRows(rowNumbers: number[]): string {
  if (rowNumbers.length === 1) {
    return `row ${rowNumbers[0]}`;
  }
  return `rows ${rowNumbers.slice(0, -1).join(', ')} and ${rowNumbers.at(-1)}`;
}

/** Adds a problem to every row of a group of two or more rows with the same key. */
function reportDuplicates(groups: Map<string, CheckedRow[]>, field: string, describe: (others: string) => string): void {
  for (const rows of groups.values()) {
    if (rows.length < 2) {
      continue;
    }
    for (const checked of rows) {
      const others = rows.filter((other) => other !== checked).map((other) => other.row.rowNumber);
      checked.problems.push({
        row: checked.row.rowNumber,
        column: columnHeaderOf(field),
        value: checked.row.values[field as 'name'] ?? '',
        message: describe(listRows(others)),
      });
    }
  }
}

function groupBy(rows: CheckedRow[], keyOf: (checked: CheckedRow) => string | undefined): Map<string, CheckedRow[]> {
  const groups = new Map<string, CheckedRow[]>();
  for (const checked of rows) {
    const key = keyOf(checked);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(checked);
    else groups.set(key, [checked]);
  }
  return groups;
}

/**
 * Finds rows of the file that clash with each other: the same name in any letter case, or the
 * same SIP user ID in the same profile. Every row of a clash gets a problem naming the others.
 */
export function checkDuplicatesInFile(rows: CheckedRow[]): void {
  const byName = groupBy(rows, (checked) => {
    const name = checked.row.values.name;
    return name ? name.toLowerCase() : undefined;
  });
  reportDuplicates(byName, 'name', (others) => `is also in ${others}; every account needs its own name (compared in any letter case)`);

  const bySipUser = groupBy(rows, (checked) => {
    const sipUserId = checked.row.values.sipUserId;
    return checked.profileId !== undefined && sipUserId ? `${checked.profileId}\n${sipUserId}` : undefined;
  });
  reportDuplicates(bySipUser, 'sipUserId', (others) => `is also in ${others} with the same profile; a SIP User ID can appear once per profile`);
}

/**
 * Adds a problem to each row whose name (in any letter case) belongs to a stored account other
 * than the one the row updates.
 */
export function checkNamesAgainstStored(
  rows: CheckedRow[],
  storedByName: Map<string, { id: number; name: string; sipUserId: string }>,
): void {
  for (const checked of rows) {
    const name = checked.row.values.name;
    const stored = name ? storedByName.get(name.toLowerCase()) : undefined;
    if (!stored || stored.id === checked.existingId) {
      continue;
    }
    checked.problems.push({
      row: checked.row.rowNumber,
      column: columnHeaderOf('name'),
      value: name ?? '',
      message: `is already used by account ${stored.id} "${stored.name}" (SIP User ID ${stored.sipUserId}); choose another name (names are compared in any letter case)`,
    });
  }
}
