import { isDeepStrictEqual } from 'node:util';

/** Small helpers shared by the repositories. */

/** Escapes `%`, `_` and `\` so user text matches literally inside an ILIKE pattern. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** Returns the constraint name when `error` is a Postgres unique violation (SQLSTATE 23505). */
export function uniqueViolation(error: unknown): string | undefined {
  const pgError = error as { code?: string; constraint?: string; message?: string };
  if (pgError.code !== '23505') return undefined;
  // pg reports the constraint name; PGlite only mentions it in the message.
  return pgError.constraint ?? /constraint "([^"]+)"/.exec(pgError.message ?? '')?.[1] ?? 'unknown';
}

/** Returns the constraint name when `error` is a Postgres foreign-key violation (SQLSTATE 23503). */
export function foreignKeyViolation(error: unknown): string | undefined {
  const pgError = error as { code?: string; constraint?: string; message?: string };
  if (pgError.code !== '23503') return undefined;
  return pgError.constraint ?? /constraint "([^"]+)"/.exec(pgError.message ?? '')?.[1] ?? 'unknown';
}

export interface Page {
  page: number;
  pageSize: number;
}

export function offsetOf({ page, pageSize }: Page): number {
  return (page - 1) * pageSize;
}

/** Trims surrounding whitespace (including no-break spaces) and turns empty text into null. */
export function trimOrNull(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * True when `changes` would store a different value in at least one column of `current`. A
 * string change to a column read back as an object (a JSON column) is compared after parsing.
 */
export function changesAnyColumn(current: object, changes: object): boolean {
  const row = current as Record<string, unknown>;
  return Object.entries(changes).some(([column, value]) => {
    if (value === undefined) return false;
    const stored = row[column];
    if (typeof value === 'string' && stored !== null && typeof stored === 'object') return !isDeepStrictEqual(JSON.parse(value), stored);
    return !isDeepStrictEqual(value, stored);
  });
}
