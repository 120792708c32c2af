import type { RenderedParameter } from './config-values.js';
import type { Dialect } from './parameters.js';

const pCodeKey = /^P([1-9][0-9]{0,5})$/;
// The same forms the profile API accepts (src/profiles/extra-parameters.ts); both are valid XML names.
const elementKey = /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$/;

/** The extra parameters written into a file, and the ones left out with the reason. */
export interface ProfileExtras {
  parameters: RenderedParameter[];
  /** One message per extra parameter left out, naming the key. */
  warnings: string[];
}

/**
 * Turns a profile's extra parameters into file parameters, sorted by key so the bytes stay
 * stable. A P-code key (`P8681`) becomes `<P8681 para="">` in the P-code dialect and a
 * `<P8681>` element in the named dialect. An element-name key (`LogUser_Admin`) becomes that
 * element in the named dialect and is left out of a P-code file, because the P-code of an
 * element name is not known. A key that names a parameter already in `written` (same P-code or
 * same element name) is left out: the catalogue's value wins.
 * NOTE: whether the named-dialect firmware (UC926U, UC924U) reads a P-code element is
 * unverified. The FusionPBX UC926U template mixes one P-code element into its named file.
 */
export function profileExtraParameters(extraParameters: Record<string, string>, dialect: Dialect, written: readonly RenderedParameter[]): ProfileExtras {
  const writtenCodes = new Set(written.map((parameter) => parameter.code).filter((code) => code !== 0));
  const writtenElements = new Set(written.map((parameter) => parameter.element));
  const result: ProfileExtras = { parameters: [], warnings: [] };

  const keys = Object.keys(extraParameters).sort();
  for (const key of keys) {
    const value = extraParameters[key] ?? '';
    const codeMatch = pCodeKey.exec(key);

    if (codeMatch) {
      const code = Number(codeMatch[1]);
      if (writtenCodes.has(code)) {
        result.warnings.push(`extra parameter ${key} left out: the file already sets P${code} from the profile, account or server settings`);
        continue;
      }
      result.parameters.push({ code, para: '', element: key, value });
      continue;
    }

    if (!elementKey.test(key)) {
      result.warnings.push(`extra parameter ${key} left out: it is neither a P-code such as P8681 nor an element name such as LogUser_Admin`);
      continue;
    }
    if (dialect === 'p-code') {
      result.warnings.push(`extra parameter ${key} left out: element names are written only in the named dialect; use its P-code for P-code models`);
      continue;
    }
    if (writtenElements.has(key)) {
      result.warnings.push(`extra parameter ${key} left out: the file already sets ${key} from the profile, account or server settings`);
      continue;
    }
    result.parameters.push({ code: 0, para: '', element: key, value });
  }
  return result;
}
