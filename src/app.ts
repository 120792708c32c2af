import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';

import { accountsRoutes } from './accounts/accounts-routes.js';
import { createAccountsService } from './accounts/accounts-service.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { devicesRoutes } from './devices/devices-routes.js';
import { createDevicesService } from './devices/devices-service.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerNotFoundHandler } from './http/not-found.js';
import { validatorCompiler } from './http/validation.js';
import { profilesRoutes } from './profiles/profiles-routes.js';
import { createProfilesService } from './profiles/profiles-service.js';
import { provisioningRoutes } from './provisioning/provisioning-routes.js';
import { createProvisioningService } from './provisioning/provisioning-service.js';
import { createRenderer, type Renderer } from './provisioning/renderer.js';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'templatesDir'>;
  db: Db;
  logger: Logger;
  /** Built from `config.templatesDir` when not given. */
  renderer?: Renderer;
}

/** Builds the Fastify application without listening, so tests can use `inject()`. */
export async function buildApp({ config, db, logger, renderer }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by one line of ours per API call and per
    // phone fetch (see the onResponse hooks).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Phones append the file name to their provisioning URL, which often ends in a slash.
    routerOptions: { ignoreDuplicateSlashes: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  registerErrorHandler(app);
  registerNotFoundHandler(app);
  await registerApiDocs(app);

  const services = {
    profiles: createProfilesService({ db, logger }),
    accounts: createAccountsService({ db, logger }),
    devices: createDevicesService({ db, logger }),
    provisioning: createProvisioningService({
      db,
      logger,
      renderer: renderer ?? createRenderer(config.templatesDir),
      publicUrl: config.publicUrl,
      checkIntervalMinutes: 1440,
    }),
  };

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  await app.register(
    async (api) => {
      api.addHook('onResponse', async (request, reply) => {
        request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 }, 'api request');
      });
      await api.register(profilesRoutes, services);
      await api.register(accountsRoutes, services);
      await api.register(devicesRoutes, services);
    },
    { prefix: '/api/v1' },
  );
  await app.register(provisioningRoutes, services);

  return app;
}

async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'htek-dms admin API', version: '1', description: 'Profiles, accounts and devices of Htek IP phones' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
