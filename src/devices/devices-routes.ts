import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import { bodyErrorResponses, errorResponses, IdParams } from '../http/common-schemas.js';
import { acceptJsonBodiesOnly } from '../http/json-only.js';
import { type DevicesService, writableLineCount } from './devices-service.js';
import { CreateDeviceBody, DeviceList, DeviceListQuery, DeviceSchema, UpdateDeviceBody } from './devices-schemas.js';
import { phoneModels } from './models.js';

const ModelList = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      deviceCode: Type.Union([Type.String(), Type.Null()]),
      lineCount: Type.Integer(),
      writableLines: Type.Integer({ description: 'Lines we can provision on this model' }),
      dialect: Type.String(),
    }),
  ),
});

export const devicesRoutes: FastifyPluginAsyncTypebox<{ devices: DevicesService }> = async (app, { devices }) => {
  acceptJsonBodiesOnly(app);
  const tags = ['Devices'];

  app.get('/models', { schema: { tags, summary: 'Supported Htek models', response: { 200: ModelList, ...errorResponses } } }, () => ({
    items: [...phoneModels.values()].map((model) => ({ ...model, deviceCode: model.deviceCode ?? null, writableLines: writableLineCount(model) })),
  }));

  app.get('/devices', { schema: { tags, summary: 'List and filter devices', querystring: DeviceListQuery, response: { 200: DeviceList, ...errorResponses } } }, (request) =>
    devices.list(request.query),
  );

  app.post('/devices', { schema: { tags, summary: 'Create a device', body: CreateDeviceBody, response: { 201: DeviceSchema, ...bodyErrorResponses } } }, async (request, reply) =>
    reply.code(201).send(await devices.create(request.body)),
  );

  app.get('/devices/:id', { schema: { tags, summary: 'Read a device', params: IdParams, response: { 200: DeviceSchema, ...errorResponses } } }, (request) =>
    devices.get(request.params.id),
  );

  app.patch('/devices/:id', { schema: { tags, summary: 'Change a device; lines, when sent, replace all lines', params: IdParams, body: UpdateDeviceBody, response: { 200: DeviceSchema, ...bodyErrorResponses } } }, (request) =>
    devices.update(request.params.id, request.body),
  );

  app.delete('/devices/:id', { schema: { tags, summary: 'Delete a device', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    await devices.remove(request.params.id);
    return reply.code(204).send(null);
  });
};
