import { type Static, Type } from 'typebox';

import { ListQueryPaging, OptionalText, Port, QueryText, RowId, ShortText, Timestamp, Version } from '../http/common-schemas.js';

// The fields of the product's "Add an Account" form, in its order. Seven are required: name,
// profileId, label, sipUserId, authId, authPassword and pin.
const accountFields = {
  name: ShortText({ minLength: 1, maxLength: 100, description: 'Account name, unique in any letter case' }),
  profileId: RowId('Profile the account belongs to'),
  active: Type.Optional(Type.Boolean({ description: 'Account Active: the line is enabled when the account is on a device (default true)' })),
  label: ShortText({ minLength: 1, maxLength: 100, description: 'Label shown on the phone screen and line key' }),
  sipUserId: ShortText({ minLength: 1, maxLength: 128, description: 'SIP User ID (register user name), unique within the profile' }),
  authId: ShortText({ minLength: 1, maxLength: 128, description: 'Authenticate ID' }),
  authPassword: Type.String({
    minLength: 1,
    maxLength: 128,
    pattern: '^(?!\\s)[^\\u0000-\\u001f\\u007f]*(?<!\\s)$',
    patternMessage: 'must not start or end with whitespace or contain control characters; it is stored exactly as sent',
    description: 'Authenticate Password, stored exactly; never returned',
  }),
  directPickupCode: OptionalText('Direct Call Pickup Code, e.g. **', 32),
  groupPickupCode: OptionalText('Group Call Pickup Code', 32),
  featureKeySync: Type.Optional(Type.Boolean({ description: 'Feature Key Sync (default false)' })),
  voicemailUserId: OptionalText('Voice Mail User ID, e.g. *97', 128),
  dialPlan: OptionalText('Dial Plan, e.g. {[x*]+}', 1024),
  eventListBlfUrl: OptionalText('EventList BLF URL', 1024),
  pin: Type.String({ pattern: '^[0-9]{4,12}$', patternMessage: 'must be 4 to 12 digits', description: 'PIN for logging in on the phone; never returned' }),
  displayName: OptionalText('Display Name sent to the far end (the form\'s second "Name")', 100),
  localSipPort: Type.Optional(Port('Local SIP Port, default 5060')),
  useRandomPort: Type.Optional(Type.Boolean({ description: 'Use Random Port (default false)' })),
};

export const CreateAccountBody = Type.Object(accountFields, { additionalProperties: false });
export type CreateAccountInput = Static<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Partial(Type.Object({ ...accountFields, version: Version }), { additionalProperties: false });
export type UpdateAccountInput = Static<typeof UpdateAccountBody>;

export const AccountStatusSchema = Type.Union([Type.Literal('online'), Type.Literal('offline')]);
export const AssignStatusSchema = Type.Union([Type.Literal('allocated'), Type.Literal('unallocated')]);

const nullableText = Type.Union([Type.String(), Type.Null()]);

export const AccountSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  profileId: Type.Integer(),
  profileName: Type.String(),
  active: Type.Boolean(),
  label: Type.String(),
  sipUserId: Type.String(),
  authId: Type.String(),
  directPickupCode: nullableText,
  groupPickupCode: nullableText,
  featureKeySync: Type.Boolean(),
  voicemailUserId: nullableText,
  dialPlan: nullableText,
  eventListBlfUrl: nullableText,
  displayName: nullableText,
  localSipPort: Type.Integer(),
  useRandomPort: Type.Boolean(),
  accountStatus: AccountStatusSchema,
  accountStatusChangedAt: Type.Union([Timestamp, Type.Null()]),
  assignStatus: AssignStatusSchema,
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Account = Static<typeof AccountSchema>;

export const accountSortColumns = ['name', 'profileName', 'label', 'sipUserId', 'authId', 'accountStatus', 'assignStatus', 'createdAt', 'updatedAt'] as const;

export const AccountListQuery = Type.Object(
  {
    name: QueryText(100, 'Part of the name, any case'),
    profileId: Type.Optional(RowId('Accounts of this profile')),
    profile: QueryText(100, 'Part of the profile name, any case'),
    label: QueryText(100, 'Part of the label, any case'),
    sipUserId: QueryText(128, 'Part of the SIP User ID, any case'),
    authId: QueryText(128, 'Part of the Authenticate ID, any case'),
    accountStatus: Type.Optional(AccountStatusSchema),
    assignStatus: Type.Optional(AssignStatusSchema),
    sort: Type.Optional(Type.Union(accountSortColumns.map((column) => Type.Literal(column)))),
    ...ListQueryPaging,
  },
  { additionalProperties: false },
);
export type AccountListInput = Static<typeof AccountListQuery>;

export const AccountList = Type.Object({ items: Type.Array(AccountSchema), total: Type.Integer() });
