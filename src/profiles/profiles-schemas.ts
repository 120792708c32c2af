import { type Static, Type } from 'typebox';

import { ListQueryPaging, noControlCharacters, OptionalText, Port, QueryText, ShortText, Timestamp, Version } from '../http/common-schemas.js';

export const TransportSchema = Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tls')], {
  description: 'SIP transport to the registrar',
});

export const DtmfModeSchema = Type.Union([Type.Literal('rfc2833'), Type.Literal('inband'), Type.Literal('sip-info')], {
  description: 'How the phone sends DTMF: RFC 2833 telephone events, in-band audio or SIP INFO',
});

const profileFields = {
  name: ShortText({ minLength: 1, maxLength: 100, description: 'Unique profile name' }),
  sipServer: ShortText({ minLength: 1, description: 'Registrar host name or IP address, without port' }),
  sipPort: Type.Optional(Port('Registrar port, default 5060')),
  transport: Type.Optional(TransportSchema),
  outboundProxy: OptionalText('Outbound proxy as host or host:port'),
  failoverServer: OptionalText('Failover registrar as host or host:port'),
  registrationExpiry: Type.Optional(Type.Integer({ minimum: 30, maximum: 86400, description: 'Registration expiry in seconds, default 3600' })),
  dtmfMode: Type.Optional(DtmfModeSchema),
  natTraversal: Type.Optional(Type.Boolean({ description: 'Keep NAT bindings open (NAT traversal on the phone)' })),
  rport: Type.Optional(Type.Boolean({ description: 'Ask for rport (RFC 3581) in requests' })),
  mwiSubscribe: Type.Optional(Type.Boolean({ description: 'Subscribe for message-waiting indication' })),
  extraParameters: Type.Optional(
    Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1024, ...noControlCharacters }), {
      maxProperties: 500,
      description:
        'Extra phone parameters, P-code (e.g. "P8681") or element name (e.g. "LogUser_Admin") → value as text. ' +
        'A key in the parameter catalogue needs a value of its type; sending this field replaces all extra parameters.',
    }),
  ),
};

export const CreateProfileBody = Type.Object(profileFields, { additionalProperties: false });
export type CreateProfileInput = Static<typeof CreateProfileBody>;

export const UpdateProfileBody = Type.Object(
  { ...Type.Partial(Type.Object(profileFields)).properties, version: Type.Optional(Version) },
  { additionalProperties: false },
);
export type UpdateProfileInput = Static<typeof UpdateProfileBody>;

export const ProfileSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  sipServer: Type.String(),
  sipPort: Type.Integer(),
  transport: TransportSchema,
  outboundProxy: Type.Union([Type.String(), Type.Null()]),
  failoverServer: Type.Union([Type.String(), Type.Null()]),
  registrationExpiry: Type.Integer(),
  dtmfMode: DtmfModeSchema,
  natTraversal: Type.Boolean(),
  rport: Type.Boolean(),
  mwiSubscribe: Type.Boolean(),
  extraParameters: Type.Record(Type.String(), Type.String()),
  accountCount: Type.Optional(Type.Integer()),
  deviceCount: Type.Optional(Type.Integer()),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Profile = Static<typeof ProfileSchema>;

export const ProfileListQuery = Type.Object(
  {
    name: QueryText(100, 'Part of the name, any case'),
    sipServer: QueryText(255, 'Part of the registrar host, any case'),
    transport: Type.Optional(TransportSchema),
    sort: Type.Optional(Type.Union(['name', 'sipServer', 'transport', 'createdAt', 'updatedAt'].map((column) => Type.Literal(column)))),
    ...ListQueryPaging,
  },
  { additionalProperties: false },
);
export type ProfileListInput = Static<typeof ProfileListQuery>;

export const ProfileList = Type.Object({ items: Type.Array(ProfileSchema), total: Type.Integer() });
