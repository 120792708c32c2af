/**
 * Conversion between exceljs cell values and the text that Excel displays in the cell.
 */

const ESCAPE_SEQUENCE = /_x([0-9A-Fa-f]{4})_/g;

/** Characters that XML 1.0 forbids or that XML parsers rewrite (a CR becomes a LF). */
const XML_UNSAFE_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\u007f\ufffe\uffff]/g;

/**
 * Decodes the `_xHHHH_` escapes that Excel writes for control characters (`_x000D_` is a CR)
 * and for a literal `_xHHHH_` text (written as `_x005F_xHHHH_`).
 */
export function decodeXlsxEscapes(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Encodes text the way Excel does before it goes into the sheet XML, so that control
 * characters and a literal `_xHHHH_` survive a round trip through `decodeXlsxEscapes`.
 * exceljs 4.4.0 itself drops most control characters and writes a CR raw, which XML parsers
 * turn into a LF.
 */
export function encodeXlsxEscapes(text: string): string {
  const literalEscapesProtected = text.replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');

  return literalEscapesProtected.replace(XML_UNSAFE_CHARACTER, (character) => {
    const hex = character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `_x${hex}_`;
  });
}

/**
 * Formats a number as plain decimal digits, never in exponent notation: 123456789012 stays
 * "123456789012" even where Excel displays it as 1.23457E+11. The digits are those of the
 * shortest round-trip representation, so 1.2345678901234567e+19 becomes "12345678901234567000".
 */
export function formatPlainNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }

  const shortest = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) {
    return shortest;
  }

  const [, sign = '', integerDigits = '', fractionDigits = '', exponentText = '0'] = match;
  const digits = integerDigits + fractionDigits;
  const pointPosition = integerDigits.length + Number(exponentText);

  if (pointPosition >= digits.length) {
    return sign + digits + '0'.repeat(pointPosition - digits.length);
  }
  if (pointPosition <= 0) {
    return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
  }
  return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
}

/**
 * Formats a date cell as ISO 8601 text: "2024-01-02" when the time is midnight, else
 * "2024-01-02T10:30:00". exceljs reads Excel dates as UTC, so the UTC fields are the ones
 * the admin typed.
 */
export function formatDate(value: Date): string {
  if (Number.isNaN(value.getTime())) {
    return '';
  }

  const iso = value.toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? date : `${date}T${time}`;
}

interface RichTextRun {
  text?: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function richTextToText(runs: unknown): string {
  if (!Array.isArray(runs)) {
    return '';
  }
  return (runs as RichTextRun[]).map((run) => run.text ?? '').join('');
}

/**
 * Returns the text that Excel displays for an exceljs cell value. Formulas give their result,
 * rich text and hyperlinks their text, numbers plain digits and booleans TRUE or FALSE.
 * Error cells give the error code (such as "#N/A"), dates ISO text. `_xHHHH_` escapes are decoded.
 */
export function cellValueToText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return decodeXlsxEscapes(value);
  }
  if (typeof value === 'number') {
    return Number.isNaN(value) ? '' : formatPlainNumber(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'TRUE' : 'FALSE';
  }
  if (value instanceof Date) {
    return formatDate(value);
  }
  if (!isRecord(value)) {
    return String(value);
  }

  if ('richText' in value) {
    return decodeXlsxEscapes(richTextToText(value.richText));
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return cellValueToText(value.result);
  }
  if ('hyperlink' in value || 'text' in value) {
    return cellValueToText(value.text);
  }
  if ('error' in value) {
    return String(value.error);
  }
  return '';
}
