/**
 * The catalogue of Htek phone parameters we write: for each setting, its P-code per account or
 * profile slot (the P-code dialect, `<P35 para="Account1.SipUserId">`) and its element name
 * (the named dialect, `<Account1_SipUserId>`). P-codes come from the UC926 templates of
 * FusionPBX (fusionpbx/fusionpbx, resources/templates/provision/htek) cross-checked with Wazo's
 * Htek plugin; the same codes serve the UC902, UC903, UC923 and UC924.
 */

export type ParameterScope = 'account' | 'profile' | 'global';
export type ValueType = 'text' | 'secret' | 'boolean' | 'integer' | 'enum';

export interface ParameterDef {
  /** Logical setting, e.g. `account.sipUserId`. */
  key: string;
  scope: ParameterScope;
  /** P-code per slot: index 0 is account or profile 1. A global setting has one entry. */
  pCodes: readonly number[];
  /** Element name in the named dialect; `{n}` stands for the slot number. */
  element: string;
  /** Readable name written as the `para` attribute in the P-code dialect. */
  para: string;
  type: ValueType;
  /** Allowed values with their meaning, for enums and booleans. */
  values?: Readonly<Record<string, string>>;
  description: string;
}

const onOff = { '0': 'off', '1': 'on' } as const;

function account(key: string, pCodes: number[], field: string, type: ValueType, description: string, extra: Partial<ParameterDef> = {}): ParameterDef {
  return { key: `account.${key}`, scope: 'account', pCodes, element: `Account{n}_${field}`, para: `Account{n}.${field}`, type, description, ...extra };
}

function profile(key: string, pCodes: number[], field: string, type: ValueType, description: string, extra: Partial<ParameterDef> = {}): ParameterDef {
  return { key: `profile.${key}`, scope: 'profile', pCodes, element: `Profile{n}_${field}`, para: `Profile{n}.${field}`, type, description, ...extra };
}

function global(key: string, pCode: number, element: string, para: string, type: ValueType, description: string, extra: Partial<ParameterDef> = {}): ParameterDef {
  return { key, scope: 'global', pCodes: [pCode], element, para, type, description, ...extra };
}

export const parameters: readonly ParameterDef[] = [
  account('active', [271, 401, 501, 601], 'Active', 'boolean', 'Account Active: the line is enabled', { values: onOff }),
  account('profile', [24082, 24083, 24084, 24085], 'Profile', 'integer', 'Profile slot the account uses, counted from 0'),
  account('label', [20000, 20001, 20002, 20003], 'Label', 'text', 'Label on the screen and line key'),
  account('displayName', [3, 703, 507, 607], 'DispalyName', 'text', 'Display name sent to the far end (Htek spells the element DispalyName)'),
  account('sipUserId', [35, 735, 504, 604], 'SipUserId', 'text', 'SIP User ID (register user name)'),
  account('authId', [36, 736, 505, 605], 'AuthenticateID', 'text', 'Authenticate ID'),
  account('authPassword', [34, 734, 506, 606], 'AuthenticatePassword', 'secret', 'Authenticate Password'),
  account('voicemailUserId', [33, 426, 526, 626], 'VoiceMailId', 'text', 'Voice Mail User ID'),
  account('dialPlan', [4200, 4201, 4202, 4203], 'DialPlan', 'text', 'Dial Plan'),
  account('directPickupCode', [4705, 4715, 4725, 4735], 'DirectCallPickupCode', 'text', 'Direct Call Pickup Code'),
  account('groupPickupCode', [4706, 4716, 4726, 4736], 'GroupCallPickupCode', 'text', 'Group Call Pickup Code'),
  account('featureKeySync', [8633, 8634, 8635, 8656], 'FeatureKeySyn', 'boolean', 'Feature Key Sync (Htek spells the element FeatureKeySyn; account 4 is P8656)', { values: onOff }),
  account('eventListBlfUrl', [134, 444, 544, 644], 'EventlistBlfUrl', 'text', 'EventList BLF URL'),
  account('localSipPort', [40, 740, 513, 613], 'LocalSipPort', 'integer', 'Local SIP Port'),
  account('useRandomPort', [78, 778, 578, 678], 'UseRandomPort', 'boolean', 'Use Random Port', { values: onOff }),

  profile('sipServer', [47, 747, 502, 602], 'Sipserver', 'text', 'Registrar as host:port'),
  profile('failoverServer', [967, 987, 988, 989], 'FailoverSipserver', 'text', 'Failover registrar as host:port'),
  profile('outboundProxy', [48, 748, 503, 603], 'OutboundProxy', 'text', 'Outbound proxy as host:port'),
  profile('transport', [130, 830, 930, 1030], 'SipTransport', 'enum', 'SIP transport', { values: { '0': 'UDP', '1': 'TCP', '2': 'TLS' } }),
  profile('registration', [31, 731, 510, 610], 'SipRegistration', 'boolean', 'Register with the registrar', { values: onOff }),
  // NOTE: Htek does not document the unit of the registration expiry; we write seconds.
  profile('registrationExpiry', [32, 732, 512, 612], 'RegisterExpiration', 'integer', 'Registration expiry'),
  profile('natTraversal', [52, 730, 514, 614], 'NatTraversal', 'enum', 'NAT traversal', { values: { '0': 'off', '2': 'on (keep-alive)' } }),
  profile('rport', [136, 137, 138, 139], 'RPort', 'boolean', 'Ask for rport (RFC 3581)', { values: onOff }),
  profile('mwiSubscribe', [99, 709, 515, 615], 'SubscribeForMWI', 'boolean', 'Subscribe for message-waiting indication', { values: onOff }),
  profile('dtmfMode', [20166, 20167, 20168, 20169], 'DtmfMode', 'enum', 'DTMF mode', { values: { '0': 'RFC 2833', '1': 'in-band', '2': 'SIP INFO' } }),

  global('provisioning.configServerUrl', 237, 'FirmwareUpGrade_ConfigServerPath', 'FirmwareUpGrade.ConfigServerPath', 'text', 'Provisioning server URL the phone fetches cfg<mac>.xml from'),
  global('provisioning.periodicCheck', 194, 'FirmwareUpGrade_AutoUpgrade', 'FirmwareUpGrade.AutoUpgrade', 'boolean', 'Check the provisioning server periodically', { values: onOff }),
  global('provisioning.checkInterval', 193, 'FirmwareUpGrade_CheckUpgradeTimes', 'FirmwareUpGrade.CheckUpgradeTimes', 'integer', 'Interval of the periodic check, in minutes'),
  global('remoteControl.sipNotify', 24012, 'RemoteControl_Sipnotify', 'RemoteControl.Sipnotify', 'boolean', 'Act on SIP NOTIFY check-sync', { values: onOff }),
];

export const parametersByKey: ReadonlyMap<string, ParameterDef> = new Map(parameters.map((parameter) => [parameter.key, parameter]));

/** Number of account and profile slots whose P-codes are all known. */
export const knownPCodeSlots = 4;

/** Returns the parameter or throws: a missing key is a programming error, never user input. */
export function parameter(key: string): ParameterDef {
  const found = parametersByKey.get(key);
  if (!found) throw new Error(`Unknown phone parameter ${key}`);
  return found;
}
