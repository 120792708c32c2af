import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';

import { registerAdminAuth } from './auth/admin-auth.js';
import { accessRoutes } from './provisioning-access/access-routes.js';
import { createAccessService, warnWhenOpen } from './provisioning-access/access-service.js';
import { createPhoneAccess } from './provisioning-access/phone-access.js';
import { accountsRoutes } from './accounts/accounts-routes.js';
import { createAccountsService } from './accounts/accounts-service.js';
import { type Config, fastifyTrustProxy } from './config.js';
import type { Db } from './db/database.js';
import { devicesRoutes } from './devices/devices-routes.js';
import { createDevicesService } from './devices/devices-service.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerNotFoundHandler } from './http/not-found.js';
import { validatorCompiler } from './http/validation.js';
import { opsRoutes } from './ops/ops-routes.js';
import { profilesRoutes } from './profiles/profiles-routes.js';
import { createProfilesService } from './profiles/profiles-service.js';
import { createDiscoveredService } from './provisioning/discovered-service.js';
import { discoveredRoutes } from './provisioning/discovered-routes.js';
import { previewRoutes } from './provisioning/preview-routes.js';
import { provisioningRoutes } from './provisioning/provisioning-routes.js';
import { createProvisioningService } from './provisioning/provisioning-service.js';
import { createRenderer, type Renderer } from './provisioning/renderer.js';
import { requestHistoryRoutes } from './provisioning/request-history-routes.js';
import { pushRoutes } from './push/push-routes.js';
import { createPushService } from './push/push-service.js';
import { statusRoutes } from './status/status-routes.js';
import { createStatusService } from './status/status-service.js';
import { spreadsheetRoutes } from './spreadsheet/spreadsheet-routes.js';
import { webRoutes } from './web/web-routes.js';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'templatesDir'> & Partial<Pick<Config, 'trustProxy'>> & Partial<Pick<Config, 'discoveredDeviceLimit' | 'requestHistoryLimit'>> & Partial<Pick<Config, 'adminAuth' | 'tls'>> & Partial<Pick<Config, 'importLimits'>>;
  db: Db;
  logger: Logger;
  /** Built from `config.templatesDir` when not given. */
  renderer?: Renderer;
  /** Push and account-status settings; without them phone files carry no Action URLs. */
  push?: { config: Config['push']; onJobCreated?: () => void; pushUnavailableReason?: () => string | undefined };
}

/** Builds the Fastify application without listening, so tests can use `inject()`. */
export async function buildApp({ config, db, logger, renderer, push }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by one line of ours per API call and per
    // phone fetch (see the onResponse hooks).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Phones append the file name to their provisioning URL, which often ends in a slash.
    routerOptions: { ignoreDuplicateSlashes: true },
    // Behind a reverse proxy, request.ip and request.protocol come from X-Forwarded-*.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // HTTPS with the configured certificate (HTEK_DMS_TLS_CERT and HTEK_DMS_TLS_KEY).
    ...(config.tls ? { https: config.tls } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  registerErrorHandler(app);
  registerNotFoundHandler(app);
  await registerApiDocs(app);

  const services = {
    profiles: createProfilesService({ db, logger }),
    accounts: createAccountsService({ db, logger }),
    devices: createDevicesService({ db, logger, notSeenAfterMinutes: push?.config.notSeenAfterMinutes }),
    provisioning: createProvisioningService({
      db,
      logger,
      renderer: renderer ?? createRenderer(config.templatesDir),
      publicUrl: config.publicUrl,
      checkIntervalMinutes: 1440,
      discoveredDeviceLimit: config.discoveredDeviceLimit,
      requestHistoryLimit: config.requestHistoryLimit,
      statusReports: push?.config.actionUrls,
    }),
    push: createPushService({
      db,
      logger,
      defaults: { maxConcurrent: push?.config.maxConcurrent ?? 50, ratePerSecond: push?.config.ratePerSecond ?? 50 },
      onCreated: push?.onJobCreated,
      unavailableReason: push?.pushUnavailableReason,
    }),
    status: createStatusService({ db, logger }),
  };
  const discovered = createDiscoveredService({ db, logger, devices: services.devices });

  await app.register(opsRoutes, { db });

  await app.register(
    async (api) => {
      api.addHook('onResponse', async (request, reply) => {
        request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 }, 'api request');
      });
      // Logins, the permission check and the audit log; a missing adminAuth means 'required'.
      await registerAdminAuth(api, { db, logger, adminAuth: config.adminAuth });
      await api.register(profilesRoutes, services);
      await api.register(spreadsheetRoutes, { db, logger, limits: config.importLimits });
      await api.register(accountsRoutes, services);
      await api.register(devicesRoutes, services);
      await api.register(previewRoutes, services);
      await api.register(discoveredRoutes, { discovered });
      await api.register(requestHistoryRoutes, { db });
      await api.register(pushRoutes, services);
      await api.register(accessRoutes, { access: createAccessService({ db, logger }) });
    },
    { prefix: '/api/v1' },
  );
  await app.register(webRoutes);
  await app.register(statusRoutes, services);
  // Who may fetch phone files: access modes, credentials and blocking of scanning addresses.
  const phoneAccess = createPhoneAccess({ db, logger });
  app.addHook('onReady', () => warnWhenOpen(db, logger));
  await app.register(async (phone) => {
    phone.decorateRequest('phoneAccess', undefined);
    phone.addHook('onRequest', phoneAccess.onRequest);
    phone.addHook('onResponse', phoneAccess.onResponse);
    await phone.register(provisioningRoutes, services);
  });

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
