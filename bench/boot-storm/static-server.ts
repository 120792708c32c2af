// Child process of the boot-storm benchmark: @fastify/static serving pre-rendered phone files
// from the folder in FILES_DIR, listening on loopback. Prints `port <n>` when ready.
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';

const root = process.env.FILES_DIR;
if (!root) throw new Error('FILES_DIR is required');

const app = Fastify({ logger: false });
await app.register(fastifyStatic, { root, etag: true, lastModified: false, cacheControl: false });
await app.listen({ host: '127.0.0.1', port: 0 });

const address = app.server.address();
process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
