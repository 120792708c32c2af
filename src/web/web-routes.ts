import path from 'node:path';

import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

import { packageRoot } from '../paths.js';

// The package root, found the same way from src/ and from dist/src/ after the build.
const projectRoot = packageRoot;

/**
 * Files under node_modules that the import map of `web/index.html` points at. Anything else
 * below `/ui/vendor/` returns 404, so the admin UI never exposes the rest of node_modules.
 */
export const vendorFiles: ReadonlySet<string> = new Set([
  '/preact/dist/preact.mjs',
  '/preact/dist/preact.mjs.map',
  '/preact/hooks/dist/hooks.mjs',
  '/preact/hooks/dist/hooks.mjs.map',
  '/htm/dist/htm.mjs',
  '/htm/preact/index.mjs',
]);

export interface WebRoutesOptions {
  /** Folder of the admin UI files; `web/` of the project when not given. */
  webDir?: string;
  /** Folder the vendor files are read from; `node_modules/` of the project when not given. */
  vendorDir?: string;
}

/**
 * Serves the admin web UI: the static files of `web/` at `/ui/`, Preact and htm at `/ui/vendor/`, and
 * a redirect from `/` to `/ui/`. Single-segment root paths belong to the phone route, which is
 * why every UI asset sits under `/ui/`.
 */
export const webRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, options) => {
  const webDir = options.webDir ?? path.join(projectRoot, 'web');
  const vendorDir = options.vendorDir ?? path.join(projectRoot, 'node_modules');

  // Registered before the UI folder so its more specific prefix wins.
  await app.register(fastifyStatic, {
    root: vendorDir,
    prefix: '/ui/vendor/',
    decorateReply: false,
    index: false,
    allowedPath: (pathName) => vendorFiles.has(pathName),
    cacheControl: true,
    maxAge: '1h',
  });

  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/ui/',
    decorateReply: false,
    index: ['index.html'],
    // The UI changes with each release and carries no version in its file names.
    cacheControl: false,
    setHeaders: (reply) => {
      reply.header('cache-control', 'no-cache');
      reply.header('x-content-type-options', 'nosniff');
    },
  });

  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/ui/'));
  app.get('/ui', { schema: { hide: true } }, (_request, reply) => reply.redirect('/ui/'));
};
