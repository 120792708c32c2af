import { type Static, Type } from 'typebox';

import { ListQueryPaging, OptionalText, QueryText, RowId, Timestamp, Version } from '../http/common-schemas.js';

const LineBinding = Type.Object(
  {
    line: Type.Integer({ minimum: 1, maximum: 16, description: 'Line (SIP account slot) number on the phone, from 1' }),
    accountId: RowId('Account on that line'),
  },
  { additionalProperties: false },
);

function ConfigDialectSchema(description: string) {
  return Type.Union([Type.Literal('p-code'), Type.Literal('named'), Type.Null()], { description });
}

const deviceFields = {
  mac: Type.String({ minLength: 1, maxLength: 64, description: 'MAC in any common notation: 00:1f:c1:10:d3:a9, 00-1F-C1-10-D3-A9, 001f.c110.d3a9 or 001fc110d3a9' }),
  model: Type.String({ minLength: 1, maxLength: 32, description: 'Htek model, e.g. UC926 (see GET /api/v1/models)' }),
  profileId: RowId('Default profile of the device'),
  lines: Type.Optional(Type.Array(LineBinding, { maxItems: 16, description: 'Accounts bound to lines; replaces all lines on update' })),
  description: OptionalText('Free text, e.g. where the phone sits', 255),
  dialect: Type.Optional(ConfigDialectSchema('Config file dialect: p-code (<P35>) or named (<Account1_SipUserId>); null or absent follows the model')),
  sipTarget: OptionalText('Where push NOTIFYs go, as [udp:|tcp:]host[:port]; null uses the last known address and the line port', 300),
};

export const CreateDeviceBody = Type.Object(deviceFields, { additionalProperties: false });
export type CreateDeviceInput = Static<typeof CreateDeviceBody>;

export const UpdateDeviceBody = Type.Partial(Type.Object({ ...deviceFields, version: Version }), { additionalProperties: false });
export type UpdateDeviceInput = Static<typeof UpdateDeviceBody>;

const nullableText = Type.Union([Type.String(), Type.Null()]);

export const DeviceSchema = Type.Object({
  id: Type.Integer(),
  mac: Type.String({ description: 'Canonical MAC: 12 lowercase hex digits' }),
  model: Type.String(),
  profileId: Type.Integer(),
  description: nullableText,
  lines: Type.Array(Type.Object({ line: Type.Integer(), accountId: Type.Integer(), accountName: Type.String() })),
  lastSeenAt: Type.Union([Timestamp, Type.Null()]),
  lastAddress: nullableText,
  lastUserAgent: nullableText,
  reportedModel: nullableText,
  firmware: nullableText,
  dialect: ConfigDialectSchema('Dialect chosen for this device; null follows the model'),
  sipTarget: nullableText,
  notSeenRecently: Type.Boolean({ description: 'True when the phone has not fetched its file or sent a status report for longer than the not-seen-after setting' }),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Device = Static<typeof DeviceSchema>;

export const DeviceListQuery = Type.Object(
  {
    mac: QueryText(64, 'MAC or part of it, in any notation'),
    model: QueryText(32, 'Model name, any case, e.g. uc926'),
    profileId: Type.Optional(RowId('Devices of this profile')),
    accountId: Type.Optional(RowId('Devices with this account on a line')),
    seenAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Last seen at or after this time' })),
    seenBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Last seen before this time, or never' })),
    sort: Type.Optional(Type.Union(['mac', 'model', 'lastSeenAt', 'createdAt'].map((column) => Type.Literal(column)))),
    ...ListQueryPaging,
  },
  { additionalProperties: false },
);
export type DeviceListInput = Static<typeof DeviceListQuery>;

export const DeviceList = Type.Object({ items: Type.Array(DeviceSchema), total: Type.Integer() });
