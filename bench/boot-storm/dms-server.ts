// Child process of the boot-storm benchmark: htek-dms on Postgres, listening on loopback.
// Prints `port <n>` when ready. Logs go to /dev/null at info level, so their cost is counted.
import pino from 'pino';

import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');

const logger = pino({ level: 'info' }, pino.destination('/dev/null'));
const database = await openDatabase({ databaseUrl, dataDir: '', poolSize: Number(process.env.POOL_SIZE ?? 10) }, logger);
const app = await buildApp({ config: { publicUrl: 'http://127.0.0.1/', templatesDir: undefined }, db: database.db, logger });
await app.listen({ host: '127.0.0.1', port: 0 });

const address = app.server.address();
process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => database.close()).then(() => process.exit(0));
});
