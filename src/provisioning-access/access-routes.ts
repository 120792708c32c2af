import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

import { errors } from '../errors.js';
import { bodyErrorResponses, errorResponses, IdParams } from '../http/common-schemas.js';
import { acceptJsonBodiesOnly } from '../http/json-only.js';
import { toFieldProblems } from '../http/validation.js';
import { AccessSettings, DeviceAccess, UpdateAccessSettingsBody, UpdateDeviceAccessBody } from './access-schemas.js';
import { type AccessService, networkProblems } from './access-service.js';

/** Phone access settings of the installation and of single devices; passwords are never returned. */
export const accessRoutes: FastifyPluginAsyncTypebox<{ access: AccessService }> = async (app, { access }) => {
  acceptJsonBodiesOnly(app);
  const tags = ['Phone access'];

  app.get('/provisioning-access', { schema: { tags, summary: 'Read who may fetch phone files', response: { 200: AccessSettings, ...errorResponses } } }, () => access.getSettings());

  app.put(
    '/provisioning-access',
    {
      // The handler reports schema problems together with invalid network entries.
      attachValidation: true,
      schema: { tags, summary: 'Set the access mode, allowed networks and fleet credentials', body: UpdateAccessSettingsBody, response: { 200: AccessSettings, ...bodyErrorResponses } },
    },
    (request) => {
      if (request.validationError) {
        const problems = toFieldProblems(request.validationError.validation as never, 'body', request.body);
        const networks: unknown = (request.body as { allowedNetworks?: unknown } | null)?.allowedNetworks;
        if (Array.isArray(networks)) problems.push(...networkProblems(networks));
        throw errors.validationFailed(problems);
      }
      return access.updateSettings(request.body);
    },
  );

  app.get('/devices/:id/provisioning-access', { schema: { tags, summary: "Read a device's own access mode and credentials", params: IdParams, response: { 200: DeviceAccess, ...errorResponses } } }, (request) =>
    access.getDeviceAccess(request.params.id),
  );

  app.put(
    '/devices/:id/provisioning-access',
    { schema: { tags, summary: "Set a device's own access mode or credentials; null follows the installation", params: IdParams, body: UpdateDeviceAccessBody, response: { 200: DeviceAccess, ...bodyErrorResponses } } },
    (request) => access.updateDeviceAccess(request.params.id, request.body),
  );
};
