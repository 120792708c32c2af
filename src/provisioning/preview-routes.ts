import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

import type { DevicesService } from '../devices/devices-service.js';
import { errors } from '../errors.js';
import { errorResponses, IdParams } from '../http/common-schemas.js';
import { parameters } from './parameters.js';
import type { ProvisioningService } from './provisioning-service.js';
import { requestBaseUrl } from './provisioning-routes.js';

export const maskedValue = '********';

// Field names of the secret parameters, e.g. `AuthenticatePassword` from `Account{n}_AuthenticatePassword`.
const secretFields = [...new Set(parameters.filter((parameter) => parameter.type === 'secret').map((parameter) => parameter.element.replace(/^.*\{n\}_/, '')))];
const secretPattern = secretFields.join('|');

// P-code dialect: `<P34 para="Account1.AuthenticatePassword">value</P34>`.
const pCodeSecret = new RegExp(`(<P(\\d+) para="[A-Za-z]+\\d+\\.(?:${secretPattern})">)[^<]*(</P\\2>)`, 'g');
// Named dialect: `<Account1_AuthenticatePassword>value</Account1_AuthenticatePassword>`.
const namedSecret = new RegExp(`(<([A-Za-z]+\\d+_(?:${secretPattern}))>)[^<]*(</\\2>)`, 'g');
// The phone access password (P1361) that the access settings add outside the catalogue, in both dialects.
const phoneAccessSecret = /(<(P1361) para="FirmwareUpGrade\.Password">|<(FirmwareUpGrade_Password)>)[^<]*(<\/(?:P1361|FirmwareUpGrade_Password)>)/g;

/**
 * Replaces the value of every secret parameter of the catalogue with asterisks; empty values
 * stay empty so the preview still shows which lines have no password.
 * NOTE: values written through a profile's extra parameters are shown as they are, because the
 * catalogue cannot tell whether a raw P-code holds a secret.
 */
export function maskSecrets(body: string): string {
  const mask = (match: string, open: string, _name: string, close: string) => (match === `${open}${close}` ? match : `${open}${maskedValue}${close}`);
  const maskAccess = (match: string, open: string, _pCode: string, _named: string, close: string) => (match === `${open}${close}` ? match : `${open}${maskedValue}${close}`);
  return body.replace(pCodeSecret, mask).replace(namedSecret, mask).replace(phoneAccessSecret, maskAccess);
}

const Preview = Type.Object({
  deviceId: Type.Integer(),
  mac: Type.String(),
  fileName: Type.String({ description: 'File name the phone requests, cfg<mac>.xml' }),
  body: Type.String({ description: 'The rendered file with passwords replaced by asterisks' }),
  warnings: Type.Array(Type.String(), { description: 'Lines and extra parameters left out of the file, each with the reason' }),
});

/** `GET /devices/:id/preview`: the file the phone gets, for the device view of the admin UI. */
export const previewRoutes: FastifyPluginAsyncTypebox<{ devices: DevicesService; provisioning: ProvisioningService }> = async (app, { devices, provisioning }) => {
  app.get(
    '/devices/:id/preview',
    { schema: { tags: ['Devices'], summary: 'The file the phone gets, with passwords masked', params: IdParams, response: { 200: Preview, ...errorResponses } } },
    async (request) => {
      const device = await devices.get(request.params.id);

      const file = await provisioning.previewForMac(device.mac, requestBaseUrl(request));
      if (file === null) throw errors.notFound('device', request.params.id);

      return { deviceId: device.id, mac: device.mac, fileName: `cfg${device.mac}.xml`, body: maskSecrets(file.body), warnings: file.warnings };
    },
  );
};
