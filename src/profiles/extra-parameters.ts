import type { FieldProblem } from '../errors.js';
import { phoneServerParameters } from '../provisioning-access/phone-credentials.js';
import { type ParameterDef, parameters } from '../provisioning/parameters.js';

/**
 * Checks of a profile's extra phone parameters. A key is either a P-code (`P8681`) or an element
 * name of the named dialect (`LogUser_Admin`, `Account1_SipUserId`). A key found in the
 * parameter catalogue must carry a value of the catalogue's type. Other keys of either form are
 * written as they are, because the catalogue lists only the settings we manage.
 */

const pCodeKey = /^P[1-9][0-9]{0,5}$/;
const elementKey = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$/;

/** Highest account or profile slot an element name may carry (the UC926 has 16 lines). */
const maxElementSlot = 16;

const keyExamples = 'use a P-code such as P8681 or an element name such as LogUser_Admin';

/** Returns one problem per invalid key or value; the field is `extraParameters.<key>`. */
export function checkExtraParameters(extraParameters: Record<string, string>): FieldProblem[] {
  const problems: FieldProblem[] = [];

  for (const [key, value] of Object.entries(extraParameters)) {
    const field = `extraParameters.${key}`;

    if (!pCodeKey.test(key) && !elementKey.test(key)) {
      problems.push({ field, value: key, message: `is not a phone parameter name; ${keyExamples}` });
      continue;
    }

    const misspelt = pCodeKey.test(key) ? undefined : findElementInAnyCase(key);
    if (misspelt) {
      problems.push({ field, value: key, message: `is spelt ${misspelt} in the parameter catalogue; element names are case-sensitive` });
      continue;
    }

    const secretRule = secretParameterRule(key);
    if (secretRule) {
      // The value is a password, so the problem names only the key.
      problems.push({ field, value: key, message: secretRule });
      continue;
    }

    const parameter = findParameter(key);
    const rule = parameter ? valueRule(parameter, value) : undefined;
    if (rule) problems.push({ field, value, message: rule });
  }
  return problems;
}

/** The provisioning password (P1361) that provisioning access writes, in both dialects. */
const provisioningPassword = phoneServerParameters({ username: '', password: '' }).find((parameter) => parameter.code === 1361);

/**
 * Returns why a key names a password, or undefined. Extra parameters are stored and returned in
 * plain text, so account passwords (every catalogue setting of type secret) and the provisioning
 * password are set where they are stored encrypted.
 */
function secretParameterRule(key: string): string | undefined {
  if (provisioningPassword && (key === `P${provisioningPassword.code}` || key === provisioningPassword.element)) {
    return 'is the provisioning password, which extra parameters would store and return in plain text; set it in provisioning access (PUT /api/v1/provisioning-access) instead';
  }

  const parameter = findParameter(key);
  if (parameter?.type !== 'secret') return undefined;
  const where = parameter.scope === 'account' ? 'set it on the account instead' : 'set it in provisioning access instead';
  return `is a secret (${parameter.description}), which extra parameters would store and return in plain text; ${where}`;
}

/** Finds the catalogue entry of a P-code or element name, if the catalogue has it. */
export function findParameter(key: string): ParameterDef | undefined {
  if (pCodeKey.test(key)) {
    const code = Number(key.slice(1));
    return parameters.find((parameter) => parameter.pCodes.includes(code));
  }
  return parameters.find((parameter) => elementNames(parameter).includes(key));
}

function findElementInAnyCase(key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const parameter of parameters) {
    const match = elementNames(parameter).find((name) => name.toLowerCase() === lower);
    if (match && match !== key) return match;
  }
  return undefined;
}

/** Lists every element name of a parameter: one per slot for account and profile settings. */
function elementNames(parameter: ParameterDef): string[] {
  if (!parameter.element.includes('{n}')) return [parameter.element];

  const names: string[] = [];
  for (let slot = 1; slot <= maxElementSlot; slot++) names.push(parameter.element.replace('{n}', String(slot)));
  return names;
}

/** Returns the broken rule for a value of a known parameter, or undefined when it is valid. */
function valueRule(parameter: ParameterDef, value: string): string | undefined {
  if (parameter.type === 'boolean' || parameter.type === 'enum') {
    const allowed = parameter.values ?? {};
    if (Object.hasOwn(allowed, value)) return undefined;

    const choices = Object.entries(allowed).map(([code, meaning]) => `"${code}" (${meaning})`);
    return `must be one of ${choices.join(', ')} for ${parameter.description}`;
  }
  if (parameter.type === 'integer' && !/^-?[0-9]{1,9}$/.test(value)) {
    return `must be a whole number written as text, e.g. "3600", for ${parameter.description}`;
  }
  return undefined;
}
