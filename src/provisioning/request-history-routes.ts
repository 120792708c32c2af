import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import type { Db } from '../db/database.js';
import { errors } from '../errors.js';
import { errorResponses, IdParams } from '../http/common-schemas.js';

const DeviceRequestSchema = Type.Object({
  requestedAt: Type.String({ format: 'date-time' }),
  fileName: Type.String(),
  statusCode: Type.Integer({ description: 'HTTP status sent to the phone' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the request was rejected or not served' }),
  address: Type.String({ description: 'Source address of the request' }),
  userAgent: Type.Union([Type.String(), Type.Null()]),
});

/** Lists a device's last phone requests, newest first; 404 when the device does not exist. */
export async function listDeviceRequests(db: Db, deviceId: number) {
  const device = await db.selectFrom('devices').select('id').where('id', '=', deviceId).executeTakeFirst();
  if (!device) throw errors.notFound('device', deviceId);

  const rows = await db
    .selectFrom('deviceRequests')
    .select(['requestedAt', 'fileName', 'statusCode', 'reason', 'address', 'userAgent'])
    .where('deviceId', '=', deviceId)
    .orderBy('requestedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return { items: rows.map((row) => ({ ...row, requestedAt: row.requestedAt.toISOString() })) };
}

/** `GET /devices/:id/requests`: the device's request history kept by the phone-facing routes. */
export const requestHistoryRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/devices/:id/requests',
    { schema: { tags: ['Devices'], summary: "The device's last phone requests, newest first", params: IdParams, response: { 200: Type.Object({ items: Type.Array(DeviceRequestSchema) }), ...errorResponses } } },
    (request) => listDeviceRequests(db, request.params.id),
  );
};
