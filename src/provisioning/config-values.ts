import type { AccountRow, ProfileRow } from '../db/schema.js';
import { type ParameterDef, parameter, parameters } from './parameters.js';

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

/** Everything a device's file is made from. */
export interface DeviceConfigInput {
  deviceProfile: ProfileRow;
  lines: { line: number; account: AccountRow; profile: ProfileRow }[];
  configServerUrl: string;
  checkIntervalMinutes: number;
}

const flag = (value: boolean) => (value ? '1' : '0');
const transportCodes = { udp: '0', tcp: '1', tls: '2' } as const;
const dtmfCodes = { rfc2833: '0', inband: '1', 'sip-info': '2' } as const;

function accountValues(account: AccountRow, profileSlot: number): Record<string, string> {
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

function profileValues(profile: ProfileRow): Record<string, string> {
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

function slotParameter(def: ParameterDef, slot: number, value: string): RenderedParameter {
  const code = def.pCodes[slot - 1];
  if (code === undefined) throw new Error(`No P-code is known for ${def.key} in slot ${slot}`);
  const slotText = String(slot);
  return { code, para: def.para.replace('{n}', slotText), element: def.element.replace('{n}', slotText), value };
}

function slotParameters(scope: 'account' | 'profile', slot: number, values: Record<string, string>): RenderedParameter[] {
  return parameters
    .filter((def) => def.scope === scope)
    .map((def) => slotParameter(def, slot, values[def.key] ?? ''));
}

/**
 * Builds the ordered parameter list of a device's file. Line N carries its account in account
 * slot N and that account's profile in profile slot N, with `AccountN_Profile` pointing at it.
 * A device without lines still gets its own profile in slot 1. The order is fixed (line, then
 * catalogue order), so the same data always gives the same bytes.
 */
export function buildConfigParameters(input: DeviceConfigInput): RenderedParameter[] {
  const result: RenderedParameter[] = [];
  const lines = [...input.lines].sort((a, b) => a.line - b.line);

  if (lines.length === 0) result.push(...slotParameters('profile', 1, profileValues(input.deviceProfile)));
  for (const { line, account, profile } of lines) {
    result.push(...slotParameters('account', line, accountValues(account, line)));
    result.push(...slotParameters('profile', line, profileValues(profile)));
  }

  const globals: [string, string][] = [
    ['provisioning.configServerUrl', input.configServerUrl],
    ['provisioning.periodicCheck', '1'],
    ['provisioning.checkInterval', String(input.checkIntervalMinutes)],
    ['remoteControl.sipNotify', '1'],
  ];
  for (const [key, value] of globals) result.push(slotParameter(parameter(key), 1, value));
  return result;
}
