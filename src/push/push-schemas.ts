import { type Static, Type } from 'typebox';

import { noControlCharacters, RowId, Timestamp } from '../http/common-schemas.js';

export const CreatePushBody = Type.Object(
  {
    accountId: Type.Optional(RowId('Push the devices bound to this account; with deviceIds, only those of them')),
    deviceIds: Type.Optional(Type.Array(RowId('Device id'), { minItems: 1, maxItems: 100000, description: 'Devices to push' })),
    filter: Type.Optional(
      Type.Object(
        {
          model: Type.Optional(Type.String({ minLength: 1, maxLength: 32, ...noControlCharacters, description: 'Model name, any case, e.g. UC926' })),
          profileId: Type.Optional(RowId('Devices whose default profile is this one')),
          mac: Type.Optional(Type.String({ minLength: 1, maxLength: 64, ...noControlCharacters, description: 'MAC or part of it, in any notation' })),
        },
        { additionalProperties: false, description: 'Push every device that matches all given fields' },
      ),
    ),
    mode: Type.Union([Type.Literal('now'), Type.Literal('at')], { description: 'now: send at once; at: send at the time in `at`' }),
    at: Type.Optional(Type.String({ format: 'date-time', description: 'When to send, for mode "at" (RFC 3339 with a time zone)' })),
    reboot: Type.Optional(Type.Boolean({ description: 'Send check-sync;reboot=true so the phones reboot after the sync' })),
    maxConcurrent: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'NOTIFYs of this push in flight at once' })),
    ratePerSecond: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: 'NOTIFYs of this push started per second; 0 is uncapped' })),
  },
  { additionalProperties: false },
);
export type CreatePushInput = Static<typeof CreatePushBody>;

export const PushIdParams = Type.Object({ id: Type.String({ maxLength: 64, description: 'Push job id' }) }, { additionalProperties: false });

export const PushCreated = Type.Object({ id: Type.String() });

const PushDeviceSchema = Type.Object({
  deviceId: Type.Integer(),
  mac: Type.String(),
  state: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('answered'), Type.Literal('confirmed'), Type.Literal('failed')]),
  outcome: Type.Union([Type.String({ description: 'answered, refused, timed-out, failed or no-address' }), Type.Null()]),
  sipStatus: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  dispatches: Type.Integer({ description: 'Times the NOTIFY was handed to a sender; 2 means it was resent after a server stopped' }),
  updatedAt: Timestamp,
});

export const PushJobSchema = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('scheduled'), Type.Literal('running'), Type.Literal('done')], {
    description: 'scheduled: waiting for its time; running: devices queued or sent; done: every device answered, confirmed or failed',
  }),
  mode: Type.String(),
  runAt: Timestamp,
  reboot: Type.Boolean(),
  maxConcurrent: Type.Integer(),
  ratePerSecond: Type.Integer(),
  createdAt: Timestamp,
  devices: Type.Array(PushDeviceSchema),
});
export type PushJob = Static<typeof PushJobSchema>;
