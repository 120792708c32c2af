/**
 * Protection against CSV formula injection. Spreadsheet programs evaluate a CSV field that
 * begins with =, +, -, @, tab or CR, so the export writes such a field with a leading single
 * quote and the import removes it again.
 *
 * A field that already begins with quotes followed by one of those characters gets one more
 * quote, so that stripping exactly one quote on import returns the original text.
 */
const GUARDED_START = /^'*[=+\-@\t\r]/;
const ADDED_QUOTE = /^'(?='*[=+\-@\t\r])/;

export function guardCsvField(text: string): string {
  return GUARDED_START.test(text) ? `'${text}` : text;
}

export function unguardCsvField(text: string): string {
  return text.replace(ADDED_QUOTE, '');
}
