/**
 * The account columns of the spreadsheet template, import and export, in the order of the
 * product's "Add Account" form. Template, reader and export writer all derive their headers
 * from this list, so a column is added or renamed here only.
 */

/** Value kind of a column. It decides cell format, drop-down and parsing. */
export type ColumnKind = 'text' | 'secret' | 'yesno' | 'port' | 'profile';

export interface AccountColumn {
  /** JSON field name of the account. */
  readonly key: string;
  /** Header text in the sheet, without the " *" that marks required columns. */
  readonly header: string;
  readonly required: boolean;
  readonly kind: ColumnKind;
  readonly description: string;
  readonly example: string;
}

export const ACCOUNT_COLUMNS = [
  {
    key: 'name',
    header: 'Name',
    required: true,
    kind: 'text',
    description: 'Name of the account in htek-dms.',
    example: 'Reception 101',
  },
  {
    key: 'profile',
    header: 'Profile',
    required: true,
    kind: 'profile',
    description: 'Name of an existing profile that the account belongs to.',
    example: 'Head office',
  },
  {
    key: 'active',
    header: 'Account Active',
    required: false,
    kind: 'yesno',
    description: 'Whether the account is enabled when it is assigned to a phone.',
    example: 'yes',
  },
  {
    key: 'label',
    header: 'Label',
    required: true,
    kind: 'text',
    description: 'Line label shown on the phone.',
    example: '101',
  },
  {
    key: 'sipUserId',
    header: 'SIP User ID',
    required: true,
    kind: 'text',
    description: 'SIP user ID (the extension) assigned by the PBX.',
    example: '0101',
  },
  {
    key: 'authId',
    header: 'Authenticate ID',
    required: true,
    kind: 'text',
    description: 'Authentication user name assigned by the PBX.',
    example: '0101',
  },
  {
    key: 'authPassword',
    header: 'Authenticate Password',
    required: true,
    kind: 'secret',
    description:
      'Authentication password assigned by the PBX. Leave blank on an existing account to keep the stored password.',
    example: 'Secr3t-101',
  },
  {
    key: 'directPickupCode',
    header: 'Direct Call Pickup Code',
    required: false,
    kind: 'text',
    description: 'Feature code that picks up a call ringing on a given extension.',
    example: '*97',
  },
  {
    key: 'groupPickupCode',
    header: 'Group Call Pickup Code',
    required: false,
    kind: 'text',
    description: 'Feature code that picks up a call ringing in the pickup group.',
    example: '*98',
  },
  {
    key: 'featureKeySync',
    header: 'Feature Key Sync',
    required: false,
    kind: 'yesno',
    description: 'Whether feature key states (DND, call forward) are synchronized with the PBX.',
    example: 'no',
  },
  {
    key: 'voicemailUserId',
    header: 'Voice Mail User ID',
    required: false,
    kind: 'text',
    description: 'User ID of the voice mail box.',
    example: '0101',
  },
  {
    key: 'dialPlan',
    header: 'Dial Plan',
    required: false,
    kind: 'text',
    description: 'Dial plan pattern of the account.',
    example: '{x+|*x+|**x+}',
  },
  {
    key: 'eventListBlfUrl',
    header: 'EventList BLF URL',
    required: false,
    kind: 'text',
    description: 'SIP URI of the BLF event list.',
    example: 'sip:blf-101@pbx.example.com',
  },
  {
    key: 'pin',
    header: 'PIN',
    required: true,
    kind: 'secret',
    description:
      'PIN that signs the account in on the phone display. Leave blank on an existing account to keep the stored PIN.',
    example: '004711',
  },
  {
    key: 'displayName',
    header: 'Display Name',
    required: false,
    kind: 'text',
    description: 'Caller name shown on the phone of the called party.',
    example: 'Reception',
  },
  {
    key: 'localSipPort',
    header: 'Local SIP Port',
    required: false,
    kind: 'port',
    description: 'Local UDP/TCP port the phone uses for this account. Blank means 5060.',
    example: '5060',
  },
  {
    key: 'useRandomPort',
    header: 'Use Random Port',
    required: false,
    kind: 'yesno',
    description: 'Whether the phone picks a random local SIP port instead of Local SIP Port.',
    example: 'no',
  },
] as const satisfies readonly AccountColumn[];

export type ColumnKey = (typeof ACCOUNT_COLUMNS)[number]['key'];

export const DEFAULT_LOCAL_SIP_PORT = 5060;

/** Header text as written to the sheet: required columns end in " *". */
export function formatHeader(column: AccountColumn): string {
  return column.required ? `${column.header} *` : column.header;
}

export function isSecretColumn(column: AccountColumn): boolean {
  return column.kind === 'secret';
}

/**
 * Normalizes a header cell for matching: case-insensitive, surrounding and repeated spaces
 * (including no-break spaces) ignored, and a trailing "*" removed.
 */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[\s\u00a0\u202f\ufeff]+/g, ' ')
    .trim()
    .replace(/\s*\*$/, '')
    .trim()
    .toLowerCase();
}

const columnsByHeader = new Map<string, AccountColumn & { key: ColumnKey }>();
for (const column of ACCOUNT_COLUMNS) {
  columnsByHeader.set(normalizeHeader(column.header), column);
  columnsByHeader.set(normalizeHeader(column.key), column);
}

/** Finds the column whose header text or JSON field name matches a header cell. */
export function findColumnByHeader(text: string): (AccountColumn & { key: ColumnKey }) | undefined {
  return columnsByHeader.get(normalizeHeader(text));
}
