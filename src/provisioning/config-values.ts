import type { AccountRow, DeviceRow, ProfileRow } from '../db/schema.js';
import { accountSlotLimit, type Dialect, hasSlot, invalidValueReason, type ParameterDef, parameter, parameters } from './parameters.js';
import { planProfileSlots } from './profile-slots.js';

/** One parameter as written into a phone file. */
export interface RenderedParameter {
  /** P-code number for the P-code dialect. */
  code: number;
  /** `para` attribute of the P-code dialect. */
  para: string;
  /** Element name of the named dialect. */
  element: string;
  value: string;
}

/** The device fields a file is rendered from. */
export type ConfigDevice = Pick<DeviceRow, 'id' | 'mac' | 'model' | 'dialect' | 'statusToken' | 'version'>;

/** The profile fields a file is rendered from. */
export type ConfigProfile = Pick<
  ProfileRow,
  'id' | 'sipServer' | 'sipPort' | 'transport' | 'outboundProxy' | 'failoverServer' | 'registrationExpiry' | 'dtmfMode' | 'natTraversal' | 'rport' | 'mwiSubscribe' | 'extraParameters' | 'version'
>;

/** The account fields a file is rendered from. */
export type ConfigAccount = Pick<
  AccountRow,
  | 'id' | 'profileId' | 'active' | 'label' | 'sipUserId' | 'authId' | 'authPassword' | 'directPickupCode' | 'groupPickupCode' | 'featureKeySync'
  | 'voicemailUserId' | 'dialPlan' | 'eventListBlfUrl' | 'displayName' | 'localSipPort' | 'useRandomPort' | 'version'
>;

/** Everything a device's file is made from. */
export interface DeviceConfigInput {
  deviceProfile: ConfigProfile;
  lines: { line: number; account: ConfigAccount; profile: ConfigProfile }[];
  dialect: Dialect;
  /** Line count of the device's model. */
  lineCount: number;
  configServerUrl: string;
  checkIntervalMinutes: number;
  /** Base of the device's Action URLs, ending in `/`; without it no Action URLs are written. */
  statusUrlBase?: string | undefined;
}

const flag = (value: boolean) => (value ? '1' : '0');
const transportCodes = { udp: '0', tcp: '1', tls: '2' } as const;
const dtmfCodes = { rfc2833: '0', inband: '1', 'sip-info': '2' } as const;

function accountValues(account: ConfigAccount, profileSlot: number): Record<string, string> {
  return {
    'account.active': flag(account.active),
    'account.profile': String(profileSlot - 1),
    'account.label': account.label,
    'account.displayName': account.displayName ?? '',
    'account.sipUserId': account.sipUserId,
    'account.authId': account.authId,
    'account.authPassword': account.authPassword,
    'account.voicemailUserId': account.voicemailUserId ?? '',
    'account.dialPlan': account.dialPlan ?? '',
    'account.directPickupCode': account.directPickupCode ?? '',
    'account.groupPickupCode': account.groupPickupCode ?? '',
    'account.featureKeySync': flag(account.featureKeySync),
    'account.eventListBlfUrl': account.eventListBlfUrl ?? '',
    'account.localSipPort': String(account.localSipPort),
    'account.useRandomPort': flag(account.useRandomPort),
  };
}

function profileValues(profile: ConfigProfile): Record<string, string> {
  return {
    'profile.sipServer': `${profile.sipServer}:${profile.sipPort}`,
    'profile.failoverServer': profile.failoverServer ?? '',
    'profile.outboundProxy': profile.outboundProxy ?? '',
    'profile.transport': transportCodes[profile.transport],
    'profile.registration': '1',
    'profile.registrationExpiry': String(profile.registrationExpiry),
    'profile.natTraversal': profile.natTraversal ? '2' : '0',
    'profile.rport': flag(profile.rport),
    'profile.mwiSubscribe': flag(profile.mwiSubscribe),
    'profile.dtmfMode': dtmfCodes[profile.dtmfMode],
  };
}

function slotParameter(def: ParameterDef, dialect: Dialect, slot: number, value: string): RenderedParameter {
  const reason = invalidValueReason(def, value);
  if (reason) throw new Error(`Invalid value for a phone parameter: ${reason}`);

  const code = dialect === 'p-code' ? def.pCodes[slot - 1] : def.pCodes[slot - 1] ?? 0;
  if (code === undefined) throw new Error(`No P-code is known for ${def.key} in slot ${slot}`);
  const slotText = String(slot);
  return { code, para: def.para.replace('{n}', slotText), element: def.element.replace('{n}', slotText), value };
}

function slotParameters(scope: 'account' | 'profile', dialect: Dialect, slot: number, values: Record<string, string>): RenderedParameter[] {
  return parameters
    .filter((def) => def.scope === scope && hasSlot(def, dialect, slot))
    .map((def) => slotParameter(def, dialect, slot, values[def.key] ?? ''));
}

/** The parameter list of a device's file, and the lines left out of it. */
export interface DeviceConfigParameters {
  parameters: RenderedParameter[];
  /** Lines not written, with the reason (e.g. no profile slot for their profile). */
  skippedLines: { line: number; reason: string }[];
}

/**
 * Builds the ordered parameter list of a device's file. Line N carries its account in account
 * slot N and that account's profile in the profile slot chosen by `planProfileSlots`, with
 * `AccountN_Profile` pointing at it. A device without lines still gets its own profile in slot 1.
 * The order is fixed (profiles by slot, then accounts by line, each in catalogue order), so the
 * same data always gives the same bytes.
 */
export function buildConfigParameters(input: DeviceConfigInput): DeviceConfigParameters {
  const result: RenderedParameter[] = [];
  const skippedLines: { line: number; reason: string }[] = [];
  const accountLimit = accountSlotLimit(input.dialect, input.lineCount);

  const writable = input.lines.filter(({ line }) => {
    if (line <= accountLimit) return true;
    skippedLines.push({ line, reason: `the ${input.dialect} format has account codes for lines 1-${accountLimit} only` });
    return false;
  });
  const plan = planProfileSlots(
    writable.map(({ line, account }) => ({ line, profileId: account.profileId })),
    input.dialect,
    input.lineCount,
  );
  for (const rejected of plan.rejected) skippedLines.push({ line: rejected.line, reason: rejected.message });

  const profileById = new Map(input.lines.map(({ profile }) => [profile.id, profile]));
  if (plan.profileBySlot.size === 0) result.push(...slotParameters('profile', input.dialect, 1, profileValues(input.deviceProfile)));
  for (const [slot, profileId] of plan.profileBySlot) {
    const profile = profileById.get(profileId) ?? input.deviceProfile;
    result.push(...slotParameters('profile', input.dialect, slot, profileValues(profile)));
  }

  const lines = [...writable].sort((a, b) => a.line - b.line);
  for (const { line, account } of lines) {
    const slot = plan.slotByLine.get(line);
    if (slot === undefined) continue;
    result.push(...slotParameters('account', input.dialect, line, accountValues(account, slot)));
  }

  const globals: [string, string][] = [
    ['provisioning.configServerUrl', input.configServerUrl],
    ['provisioning.periodicCheck', '1'],
    ['provisioning.checkInterval', String(input.checkIntervalMinutes)],
    ['remoteControl.sipNotify', '1'],
  ];
  if (input.statusUrlBase !== undefined) {
    globals.push(
      ['actionUrl.setupCompleted', `${input.statusUrlBase}setup-completed`],
      ['actionUrl.logOn', `${input.statusUrlBase}registered`],
      ['actionUrl.logOff', `${input.statusUrlBase}logged-off`],
      ['actionUrl.registerFailed', `${input.statusUrlBase}register-failed`],
    );
  }
  for (const [key, value] of globals) result.push(slotParameter(parameter(key), input.dialect, 1, value));
  return { parameters: result, skippedLines: skippedLines.sort((a, b) => a.line - b.line) };
}
