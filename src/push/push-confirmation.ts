import type { Logger } from 'pino';

import type { Db } from '../db/database.js';
import { confirmFetch } from './push-repo.js';

/**
 * Marks the device's answered pushes confirmed because the phone fetched its file at
 * `fetchedAt`. Runs in the background so the phone's response never waits for it; a failure
 * is logged and leaves the pushes answered.
 */
export function confirmPushesAfterFetch(db: Db, logger: Logger, mac: string, fetchedAt: Date): void {
  confirmFetch(db, mac, fetchedAt)
    .then((confirmed) => {
      if (confirmed > 0) logger.info({ mac, confirmed }, 'push confirmed: the phone fetched its file after the NOTIFY');
    })
    .catch((error: unknown) => logger.error({ err: error, mac }, 'confirming pushes after a phone fetch failed'));
}
