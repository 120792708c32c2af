/**
 * Formats one CSV record as RFC 4180 text: fields joined by commas, a field quoted when it
 * contains a comma, a double quote, a CR or a LF, with inner quotes doubled, and CRLF at the end.
 */
export function formatCsvRecord(fields: readonly string[]): string {
  return fields.map(quoteCsvField).join(',') + '\r\n';
}

function quoteCsvField(field: string): string {
  if (!/[",\r\n]/.test(field)) {
    return field;
  }
  return `"${field.replace(/"/g, '""')}"`;
}
