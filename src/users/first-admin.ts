import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { randomToken } from '../auth/passwords.js';
import { countUsers, findUserForLogin } from './users-repo.js';
import { createUsersService } from './users-service.js';

type Env = Record<string, string | undefined>;

/**
 * Creates the first Administrator at start-up: from HTEK_DMS_ADMIN_USER and
 * HTEK_DMS_ADMIN_PASSWORD when both are set and that user does not exist, else, when there is
 * no user at all, as "admin" with a random password written once to the console (never to the log).
 */
export async function ensureFirstAdmin(db: Db, logger: Logger, env: Env = process.env, print: (text: string) => void = (text) => process.stdout.write(text)): Promise<void> {
  const users = createUsersService({ db, logger });
  const username = env.HTEK_DMS_ADMIN_USER?.trim();
  const password = env.HTEK_DMS_ADMIN_PASSWORD;

  if (username && password) {
    if (!(await findUserForLogin(db, username))) await users.create({ username, password, role: 'Administrator' });
    return;
  }
  if ((await countUsers(db)) > 0) return;

  const generated = randomToken(15);
  await users.create({ username: 'admin', password: generated, role: 'Administrator' });
  logger.warn({ username: 'admin' }, 'no admin user existed; created "admin" with a random password shown once on the console');
  print(`\nhtek-dms: created the admin user "admin" with the password\n\n    ${generated}\n\nSign in and change it (PATCH /api/v1/users/:id); it is not shown again.\n\n`);
}
