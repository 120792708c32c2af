import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import { DeviceSchema } from '../devices/devices-schemas.js';
import { bodyErrorResponses, errorResponses, OptionalText, RowId } from '../http/common-schemas.js';
import type { DiscoveredService } from './discovered-service.js';

const DiscoveredDeviceSchema = Type.Object({
  mac: Type.String({ description: 'Canonical MAC: 12 lowercase hex digits' }),
  firstSeenAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  lastAddress: Type.String({ description: 'Source address of the last request' }),
  reportedModel: Type.Union([Type.String(), Type.Null()], { description: 'Model from the User-Agent' }),
  firmware: Type.Union([Type.String(), Type.Null()], { description: 'Firmware version from the User-Agent' }),
  requestCount: Type.Integer(),
});

const MacParams = Type.Object({ mac: Type.String({ minLength: 1, maxLength: 64, description: 'MAC in any common notation' }) }, { additionalProperties: false });

const AdoptBody = Type.Object(
  {
    profileId: RowId('Default profile of the new device'),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Htek model; defaults to the model the phone reported' })),
    lines: Type.Optional(
      Type.Array(Type.Object({ line: Type.Integer({ minimum: 1, maximum: 16 }), accountId: RowId('Account on that line') }, { additionalProperties: false }), { maxItems: 16 }),
    ),
    description: OptionalText('Free text, e.g. where the phone sits', 255),
  },
  { additionalProperties: false },
);

/** `GET /discovered-devices` and `POST /discovered-devices/:mac/adopt`. */
export const discoveredRoutes: FastifyPluginAsyncTypebox<{ discovered: DiscoveredService }> = async (app, { discovered }) => {
  const tags = ['Discovered devices'];

  app.get(
    '/discovered-devices',
    { schema: { tags, summary: 'Unknown phones that asked for their file', response: { 200: Type.Object({ items: Type.Array(DiscoveredDeviceSchema), total: Type.Integer() }), ...errorResponses } } },
    () => discovered.list(),
  );

  app.post(
    '/discovered-devices/:mac/adopt',
    { schema: { tags, summary: 'Create a device from a discovered phone', params: MacParams, body: AdoptBody, response: { 201: DeviceSchema, ...bodyErrorResponses } } },
    async (request, reply) => reply.code(201).send(await discovered.adopt(request.params.mac, request.body)),
  );
};
