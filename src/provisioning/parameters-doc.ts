import { phoneModels } from '../devices/models.js';
import { accountSlotLimit, type ParameterDef, parameters, profileSlotLimit } from './parameters.js';

/** Markdown table cell text: pipes escaped so they do not end the cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function pCodeList(def: ParameterDef): string {
  if (def.scope === 'global') return `P${def.pCodes[0]}`;
  return def.pCodes.map((code, index) => `${index + 1}: P${code}`).join(', ');
}

function allowedValues(def: ParameterDef): string {
  if (!def.values) return '';
  return Object.entries(def.values)
    .map(([value, meaning]) => `\`${value}\` ${meaning}`)
    .join(', ');
}

function table(defs: readonly ParameterDef[]): string[] {
  const rows = ['| Setting | P-code per slot (P-code dialect) | Element (named dialect) | Type | Values | Description |', '|---|---|---|---|---|---|'];
  for (const def of defs) {
    const element = def.element.replace('{n}', 'N');
    rows.push(`| \`${def.key}\` | ${pCodeList(def)} | \`${element}\` | ${def.type}${def.required ? ' (required)' : ''} | ${cell(allowedValues(def))} | ${cell(def.description)} |`);
  }
  return rows;
}

function modelTable(): string[] {
  const rows = ['| Model | Lines | Default dialect | Lines written (P-code) | Lines written (named) | Profile slots (P-code) |', '|---|---|---|---|---|---|'];
  for (const model of phoneModels.values()) {
    rows.push(`| ${model.name} | ${model.lineCount} | ${model.dialect} | ${accountSlotLimit('p-code', model.lineCount)} | ${accountSlotLimit('named', model.lineCount)} | ${profileSlotLimit('p-code', model.lineCount)} |`);
  }
  return rows;
}

/**
 * Renders docs/parameters.md from the parameter catalogue and the model list. The output is
 * deterministic, so a test can compare it with the committed file.
 */
export function renderParametersDoc(): string {
  const scoped = (scope: ParameterDef['scope']) => parameters.filter((def) => def.scope === scope);
  const lines = [
    '# Phone parameters',
    '',
    'Generated from `src/provisioning/parameters.ts` by `npm run docs:parameters`; do not edit by hand.',
    '',
    'Each setting we write into `cfg<mac>.xml`, with its P-code per account or profile slot (P-code',
    'dialect, `<P35 para="Account1.SipUserId">`) and its element name (named dialect,',
    '`<Account1_SipUserId>`; N is the slot number). An empty value leaves the phone its own.',
    '',
    '## Per account (line N)',
    '',
    ...table(scoped('account')),
    '',
    'In the P-code dialect a line is written only when every required account setting has a code',
    'for its slot. Settings without a code for a slot are left out of that line.',
    '',
    '## Per profile (profile slot N)',
    '',
    ...table(scoped('profile')),
    '',
    "Line N puts its account's profile into profile slot N and points `AccountN_Profile` (0-based) at",
    'it. A line above the known profile slots shares the lowest slot that already holds its profile;',
    'when none does, the API rejects the binding instead of writing guessed codes.',
    '',
    '## Device-wide',
    '',
    ...table(scoped('global')),
    '',
    '## Models',
    '',
    ...modelTable(),
    '',
    `A device's dialect follows its model unless the device sets \`dialect\` (\`p-code\` or \`named\`).`,
    '',
    '## Extra parameters of a profile',
    '',
    "A profile's `extraParameters` are written into the files of the devices that use it as their",
    'device profile (not of devices that only have a line account on it). They come after every',
    'setting above, sorted by key (in character-code order, so `P2` sorts before `P35`).',
    '',
    '| Key form | P-code dialect | Named dialect |',
    '|---|---|---|',
    '| P-code, e.g. `P8681` | `<P8681 para="">value</P8681>` | `<P8681>value</P8681>` (unverified: the FusionPBX UC926U template mixes one P-code element into a named file, which suggests the firmware reads both forms) |',
    '| Element name, e.g. `LogUser_Admin` | left out, with a warning in the preview and the log (its P-code is not known) | `<LogUser_Admin>value</LogUser_Admin>` |',
    '',
    'The settings above always win: an extra parameter whose P-code or element name is already in',
    'the file (from the profile, an account, or the server settings such as the phone credentials',
    'P1360/P1361) is left out, with a warning in the preview and the log. A catalogue key that the',
    "file does not set (for example `Account3_Label` on a device with one line) is written as given.",
    '',
  ];
  return lines.join('\n');
}

