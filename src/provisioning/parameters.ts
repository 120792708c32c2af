/**
 * The catalogue of Htek phone parameters we write: for each setting, its P-code per account or
 * profile slot (the P-code dialect, `<P35 para="Account1.SipUserId">`), its element name (the
 * named dialect, `<Account1_SipUserId>`), its value type and allowed values. Templates render
 * from it, values are checked against it, and docs/parameters.md is generated from it.
 *
 * P-codes of accounts and profiles 1-4 come from the UC926 templates of FusionPBX
 * (fusionpbx/fusionpbx, resources/templates/provision/htek), cross-checked with Wazo's Htek
 * plugin (wazo-platform/wazo-provd-plugins, plugins/wazo_htek/v2_0_4_6_41/templates/base.tpl);
 * the same codes serve the UC902, UC903, UC923 and UC924. Account 5 and 6 codes are from Wazo
 * only. No public source gives profile codes above 4 or account codes above 6.
 */

export type Dialect = 'p-code' | 'named';
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
  /** True when a line cannot work without it: its slots bound the lines of the P-code dialect. */
  required?: boolean;
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

const required = { required: true };

export const parameters: readonly ParameterDef[] = [
  account('active', [271, 401, 501, 601, 20360, 20361], 'Active', 'boolean', 'Account Active: the line is enabled', { values: onOff, ...required }),
  account('profile', [24082, 24083, 24084, 24085, 24086, 24087], 'Profile', 'integer', 'Profile slot the account uses, counted from 0', required),
  account('label', [20000, 20001, 20002, 20003, 20378, 20379], 'Label', 'text', 'Label on the screen and line key'),
  account('displayName', [3, 703, 507, 607, 1707, 1807], 'DispalyName', 'text', 'Display name sent to the far end (Htek spells the element DispalyName)'),
  account('sipUserId', [35, 735, 504, 604, 1704, 1804], 'SipUserId', 'text', 'SIP User ID (register user name)', required),
  account('authId', [36, 736, 505, 605, 1705, 1805], 'AuthenticateID', 'text', 'Authenticate ID', required),
  account('authPassword', [34, 734, 506, 606, 1706, 1806], 'AuthenticatePassword', 'secret', 'Authenticate Password', required),
  account('voicemailUserId', [33, 426, 526, 626, 1726, 1826], 'VoiceMailId', 'text', 'Voice Mail User ID'),
  account('dialPlan', [4200, 4201, 4202, 4203, 4204, 4205], 'DialPlan', 'text', 'Dial Plan'),
  account('directPickupCode', [4705, 4715, 4725, 4735, 20464, 20465], 'DirectCallPickupCode', 'text', 'Direct Call Pickup Code'),
  account('groupPickupCode', [4706, 4716, 4726, 4736, 20466, 20467], 'GroupCallPickupCode', 'text', 'Group Call Pickup Code'),
  // NOTE: the next three have no known P-code for accounts 5 and 6, so lines 5-6 of the P-code
  // dialect go out without them and the phone keeps its own value.
  account('featureKeySync', [8633, 8634, 8635, 8656], 'FeatureKeySyn', 'boolean', 'Feature Key Sync (Htek spells the element FeatureKeySyn; account 4 is P8656)', { values: onOff }),
  account('eventListBlfUrl', [134, 444, 544, 644], 'EventlistBlfUrl', 'text', 'EventList BLF URL'),
  account('localSipPort', [40, 740, 513, 613], 'LocalSipPort', 'integer', 'Local SIP Port'),
  account('useRandomPort', [78, 778, 578, 678, 20390, 20391], 'UseRandomPort', 'boolean', 'Use Random Port', { values: onOff }),

  profile('sipServer', [47, 747, 502, 602], 'Sipserver', 'text', 'Registrar as host:port', required),
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
  // Action URLs: P-codes and `para` names from the FSPBX UC926 template. NOTE: the named-dialect
  // elements (ActionUrl_...) follow the usual dot-to-underscore pattern but no public source shows them.
  global('actionUrl.setupCompleted', 3701, 'ActionUrl_SetupCompleted', 'ActionUrl.SetupCompleted', 'text', 'URL the phone requests when its start-up is complete'),
  global('actionUrl.logOn', 3702, 'ActionUrl_LogOn', 'ActionUrl.LogOn', 'text', 'URL the phone requests when a line registers'),
  global('actionUrl.logOff', 3703, 'ActionUrl_LogOff', 'ActionUrl.LogOff', 'text', 'URL the phone requests when a line unregisters'),
  global('actionUrl.registerFailed', 3704, 'ActionUrl_RegisterFailed', 'ActionUrl.RegisterFailed', 'text', 'URL the phone requests when a registration fails'),
];

export const parametersByKey: ReadonlyMap<string, ParameterDef> = new Map(parameters.map((parameter) => [parameter.key, parameter]));

/** Returns the parameter or throws: a missing key is a programming error, never user input. */
export function parameter(key: string): ParameterDef {
  const found = parametersByKey.get(key);
  if (!found) throw new Error(`Unknown phone parameter ${key}`);
  return found;
}

/** Highest slot for which every required parameter of the scope has a P-code. */
function knownPCodeSlots(scope: 'account' | 'profile'): number {
  const lengths = parameters.filter((def) => def.scope === scope && def.required).map((def) => def.pCodes.length);
  return Math.min(...lengths);
}

/** Account slots 1..N whose required P-codes are known (6). */
export const knownAccountPCodeSlots = knownPCodeSlots('account');

/** Profile slots 1..N whose required P-codes are known (4). */
export const knownProfilePCodeSlots = knownPCodeSlots('profile');

/**
 * Number of lines we can write for a phone with `lineCount` lines: in the P-code dialect the
 * account slots whose codes are known, in the named dialect every line (the `AccountN_` names
 * follow one pattern).
 */
export function accountSlotLimit(dialect: Dialect, lineCount: number): number {
  return dialect === 'p-code' ? Math.min(lineCount, knownAccountPCodeSlots) : lineCount;
}

/** Number of profile slots we can write, by the same rule as `accountSlotLimit`. */
export function profileSlotLimit(dialect: Dialect, lineCount: number): number {
  return dialect === 'p-code' ? Math.min(lineCount, knownProfilePCodeSlots) : lineCount;
}

/** True when the parameter has a known code for the slot in the dialect. */
export function hasSlot(def: ParameterDef, dialect: Dialect, slot: number): boolean {
  return dialect === 'named' || slot <= def.pCodes.length;
}

/**
 * Checks a value against the parameter's type and allowed values; returns the reason it is
 * invalid, or undefined. An empty value is valid for every type: the phone keeps its default.
 */
export function invalidValueReason(def: ParameterDef, value: string): string | undefined {
  if (value === '') return undefined;
  if (def.type === 'integer' && !/^-?\d+$/.test(value)) return `${def.key} must be a whole number, got "${value}"`;
  if ((def.type === 'boolean' || def.type === 'enum') && def.values && !(value in def.values)) {
    return `${def.key} must be one of ${Object.keys(def.values).join(', ')}, got "${value}"`;
  }
  return undefined;
}
