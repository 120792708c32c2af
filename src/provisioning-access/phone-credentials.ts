/** A user name and password pair of HTTP Basic on the phone path. */
export type PhoneCredentials = { username: string; password: string };

/**
 * Returns the P1360/P1361 (`FirmwareUpGrade.UserName`/`Password`) parameters that make the phone
 * send the fleet or device credentials on its next fetch; none when no credentials are set.
 */
export function phoneServerParameters(credentials: PhoneCredentials | undefined): { code: number; para: string; element: string; value: string }[] {
  if (!credentials) return [];
  return [
    { code: 1360, para: 'FirmwareUpGrade.UserName', element: 'FirmwareUpGrade_UserName', value: credentials.username },
    { code: 1361, para: 'FirmwareUpGrade.Password', element: 'FirmwareUpGrade_Password', value: credentials.password },
  ];
}
