import type { Db } from '../db/database.js';

type Credentials = { username: string; password: string } | undefined;

// The access check reads a device's credentials just before the phone route renders its file,
// and the renderer (synchronous) takes them from here. Keyed by database so test apps stay apart.
const byDatabase = new WeakMap<Db, Map<string, Credentials>>();

export function rememberPhoneCredentials(db: Db, mac: string, credentials: Credentials): void {
  let byMac = byDatabase.get(db);
  if (!byMac) {
    byMac = new Map();
    byDatabase.set(db, byMac);
  }
  byMac.set(mac, credentials);
}

/**
 * Returns the P1360/P1361 (`FirmwareUpGrade.UserName`/`Password`) parameters that make the phone
 * send the fleet or device credentials on its next fetch; none when no credentials are set.
 * NOTE: files rendered outside a phone request (the CLI, previews) get them only after the
 * device's first fetch in this process.
 */
export function phoneServerParameters(db: Db, mac: string): { code: number; para: string; element: string; value: string }[] {
  const credentials = byDatabase.get(db)?.get(mac);
  if (!credentials) return [];
  return [
    { code: 1360, para: 'FirmwareUpGrade.UserName', element: 'FirmwareUpGrade_UserName', value: credentials.username },
    { code: 1361, para: 'FirmwareUpGrade.Password', element: 'FirmwareUpGrade_Password', value: credentials.password },
  ];
}
