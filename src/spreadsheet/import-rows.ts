import { CreateAccountBody, UpdateAccountBody } from '../accounts/accounts-schemas.js';
import type { AccountRow } from '../db/schema.js';
import { compileBodyValidator } from '../http/validation.js';
import { ACCOUNT_COLUMNS, DEFAULT_LOCAL_SIP_PORT, type ColumnKey } from './account-columns.js';
import { columnHeaderOf, reportedValue, type ImportProblem } from './import-report.js';
import type { SheetRow } from './read-account-sheet.js';

/** The account fields an import writes: every column of the template, with the profile as id. */
export type AccountFields = Pick<
  AccountRow,
  | 'name'
  | 'profileId'
  | 'active'
  | 'label'
  | 'sipUserId'
  | 'authId'
  | 'authPassword'
  | 'directPickupCode'
  | 'groupPickupCode'
  | 'featureKeySync'
  | 'voicemailUserId'
  | 'dialPlan'
  | 'eventListBlfUrl'
  | 'pin'
  | 'displayName'
  | 'localSipPort'
  | 'useRandomPort'
>;

export type StoredAccount = AccountFields & Pick<AccountRow, 'id' | 'version'>;

export const ACCOUNT_FIELD_NAMES = [
  'name',
  'profileId',
  'active',
  'label',
  'sipUserId',
  'authId',
  'authPassword',
  'directPickupCode',
  'groupPickupCode',
  'featureKeySync',
  'voicemailUserId',
  'dialPlan',
  'eventListBlfUrl',
  'pin',
  'displayName',
  'localSipPort',
  'useRandomPort',
] as const satisfies readonly (keyof AccountFields)[];

/** Values a blank yes/no cell stands for: the defaults of a new account. */
const YES_NO_DEFAULTS: Record<string, boolean> = { active: true, featureKeySync: false, useRandomPort: false };

const validateCreate = compileBodyValidator(CreateAccountBody);
const validateUpdate = compileBodyValidator(UpdateAccountBody);

/** A sheet row turned into an API body, with the problems found on the way. */
export interface RowBody {
  body: Record<string, unknown>;
  problems: ImportProblem[];
}

function problem(row: SheetRow, key: ColumnKey, message: string): ImportProblem {
  return { row: row.rowNumber, column: columnHeaderOf(key), value: reportedValue(key, row.values[key]), message };
}

/**
 * Converts the cells of a row into the JSON body the API would receive. A blank cell means:
 * empty for a required text (the schema rejects it), null for an optional text, the default
 * for yes/no and Local SIP Port, and "keep the stored value" for a password or PIN.
 */
export function toRowBody(row: SheetRow, profileId: number | undefined, isNew: boolean): RowBody {
  const body: Record<string, unknown> = {};
  const problems: ImportProblem[] = [];

  for (const column of ACCOUNT_COLUMNS) {
    const text = row.values[column.key];

    if (column.kind === 'secret') {
      if (text !== undefined && text !== '') {
        body[column.key] = text;
      } else if (isNew) {
        problems.push(problem(row, column.key, 'is required for a new account; enter it, or match an existing account by Profile and SIP User ID'));
      }
      continue;
    }
    if (text === undefined) {
      continue;
    }

    switch (column.kind) {
      case 'profile':
        if (profileId !== undefined) body.profileId = profileId;
        break;
      case 'yesno':
        if (text === 'yes' || text === 'no') body[column.key] = text === 'yes';
        else if (text === '') body[column.key] = YES_NO_DEFAULTS[column.key] ?? false;
        else problems.push(problem(row, column.key, 'must be yes or no (true/false and 1/0 are accepted too)'));
        break;
      case 'port':
        body[column.key] = text === '' ? DEFAULT_LOCAL_SIP_PORT : /^[0-9]{1,6}$/.test(text) ? Number(text) : text;
        break;
      default:
        body[column.key] = column.required || text !== '' ? text : null;
    }
  }
  return { body, problems };
}

/**
 * Validates a row body with the API's schema for creating or changing an account. Fields that
 * already have a problem from the conversion are not reported twice.
 */
export function validateRowBody(row: SheetRow, rowBody: RowBody, isNew: boolean): ImportProblem[] {
  const fieldProblems = (isNew ? validateCreate : validateUpdate)(rowBody.body);
  const reported = new Set(rowBody.problems.map((item) => item.column));
  const problems = [...rowBody.problems];

  for (const fieldProblem of fieldProblems) {
    const column = columnHeaderOf(fieldProblem.field);
    if (reported.has(column)) {
      continue;
    }
    reported.add(column);

    const key = (fieldProblem.field === 'profileId' ? 'profile' : fieldProblem.field) as ColumnKey;
    problems.push({ row: row.rowNumber, column, value: reportedValue(key, row.values[key]), message: fieldProblem.message });
  }
  return problems;
}

/** The stored account with the row's fields applied; a new account starts from the defaults. */
export function mergeFields(body: Record<string, unknown>, stored: StoredAccount | undefined): AccountFields {
  const base: Partial<AccountFields> = stored ?? {
    active: true,
    directPickupCode: null,
    groupPickupCode: null,
    featureKeySync: false,
    voicemailUserId: null,
    dialPlan: null,
    eventListBlfUrl: null,
    displayName: null,
    localSipPort: DEFAULT_LOCAL_SIP_PORT,
    useRandomPort: false,
  };
  const merged: Record<string, unknown> = {};

  for (const field of ACCOUNT_FIELD_NAMES) {
    merged[field] = field in body ? body[field] : base[field];
  }
  return merged as unknown as AccountFields;
}

export function sameFields(a: AccountFields, b: AccountFields): boolean {
  return ACCOUNT_FIELD_NAMES.every((field) => a[field] === b[field]);
}
