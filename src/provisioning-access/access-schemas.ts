import { Type } from 'typebox';

import { RowId } from '../http/common-schemas.js';

/** Schemas of the phone access settings. Passwords are accepted in requests and never returned. */

export const AccessMode = Type.Union([Type.Literal('networks-or-credentials'), Type.Literal('credentials'), Type.Literal('networks'), Type.Literal('open')], {
  description: 'Who gets a phone file: networks-or-credentials (default), credentials, networks, or open (everyone)',
});

// HTTP Basic separates the user name from the password at the first colon.
const BasicUsername = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^:\\x00-\\x1f]+$', description: 'HTTP Basic user name without colons' });
const BasicPassword = Type.String({ minLength: 8, maxLength: 200, pattern: '^[^\\x00-\\x1f]+$', description: 'HTTP Basic password, 8 to 200 characters' });

export const AccessSettings = Type.Object({
  mode: AccessMode,
  allowedNetworks: Type.Array(Type.String(), { description: 'Addresses and CIDR ranges served without credentials in the networks modes' }),
  fleetUsername: Type.Union([Type.String(), Type.Null()]),
  fleetPasswordSet: Type.Boolean({ description: 'Whether a fleet password is stored; the password itself is never returned' }),
  previousFleetUsername: Type.Union([Type.String(), Type.Null()]),
  previousAcceptedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the previous fleet credentials stop working; null when none are accepted' }),
  graceMinutes: Type.Integer(),
  allowBasicOverHttp: Type.Boolean(),
  blockThreshold: Type.Integer(),
  blockMinutes: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** Body of the installation PUT: every field left out keeps its stored value. */
export const UpdateAccessSettingsBody = Type.Object(
  {
    mode: Type.Optional(AccessMode),
    allowedNetworks: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 1000, description: 'Replaces the allowed networks; unchanged when left out' })),
    fleetUsername: Type.Optional(Type.Union([BasicUsername, Type.Null()], { description: 'Fleet user name; null removes the fleet credentials; unchanged when left out' })),
    fleetPassword: Type.Optional(BasicPassword),
    graceMinutes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 525_600, description: 'Minutes the previous fleet credentials keep working after a change; unchanged when left out' }),
    ),
    allowBasicOverHttp: Type.Optional(Type.Boolean({ description: 'Accept Basic over plain HTTP from outside the allowed networks; unchanged when left out' })),
    blockThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Refusals from one address that block it; unchanged when left out' })),
    blockMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600, description: 'Minutes an address stays blocked; unchanged when left out' })),
  },
  { additionalProperties: false },
);

export const DeviceAccess = Type.Object({
  deviceId: RowId('Device id'),
  mode: Type.Union([AccessMode, Type.Null()], { description: 'The device own mode; null follows the installation' }),
  username: Type.Union([Type.String(), Type.Null()]),
  passwordSet: Type.Boolean({ description: 'Whether the device has its own password; it is never returned' }),
  effectiveMode: AccessMode,
});

export const UpdateDeviceAccessBody = Type.Object(
  {
    mode: Type.Union([AccessMode, Type.Null()], { description: 'null follows the installation mode' }),
    username: Type.Union([BasicUsername, Type.Null()], { description: 'The device own user name; null uses the fleet credentials' }),
    password: Type.Optional(BasicPassword),
  },
  { additionalProperties: false },
);
