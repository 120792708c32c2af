import { open } from 'node:fs/promises';

import { SpreadsheetError } from './errors.js';

export type SpreadsheetFormat = 'xlsx' | 'csv';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Magic numbers of common files that admins upload by mistake. */
const OTHER_BINARY_MAGICS: readonly { magic: Buffer; name: string }[] = [
  { magic: Buffer.from('%PDF-'), name: 'a PDF document' },
  { magic: Buffer.from([0x89, 0x50, 0x4e, 0x47]), name: 'a PNG image' },
  { magic: Buffer.from([0xff, 0xd8, 0xff]), name: 'a JPEG image' },
  { magic: Buffer.from([0x1f, 0x8b]), name: 'a gzip archive' },
  { magic: Buffer.from('Rar!'), name: 'a RAR archive' },
  { magic: Buffer.from([0x37, 0x7a, 0xbc, 0xaf]), name: 'a 7-Zip archive' },
];

const SNIFF_LENGTH = 4096;

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_LENGTH);
    const { bytesRead } = await file.read(head, 0, SNIFF_LENGTH, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function notASpreadsheet(what: string): SpreadsheetError {
  return new SpreadsheetError(
    'spreadsheet.not_a_spreadsheet',
    `The uploaded file is ${what}, not a spreadsheet. Upload the account list as an Excel workbook (.xlsx) or a CSV file.`,
  );
}

/**
 * Detects the format from the file content rather than its name: a zip archive is read as
 * .xlsx, text as CSV. Raises a SpreadsheetError for an OLE2 compound file (an encrypted
 * workbook or an Excel 97-2003 .xls) and for other binary content.
 */
export async function detectSpreadsheetFormat(path: string): Promise<SpreadsheetFormat> {
  const head = await readHead(path);

  if (head.subarray(0, 4).equals(ZIP_MAGIC)) {
    return 'xlsx';
  }
  if (head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) {
    throw notASpreadsheet('an empty zip archive');
  }
  if (head.subarray(0, 8).equals(OLE2_MAGIC)) {
    throw new SpreadsheetError(
      'spreadsheet.password_protected',
      'The file is a password-protected workbook or an old Excel 97-2003 (.xls) file, which cannot be read. ' +
        'Remove the password (File > Info > Protect Workbook) and save it as "Excel Workbook (.xlsx)", then upload it again.',
    );
  }

  for (const { magic, name } of OTHER_BINARY_MAGICS) {
    if (head.subarray(0, magic.length).equals(magic)) {
      throw notASpreadsheet(name);
    }
  }
  if (head.includes(0) && !looksLikeUtf16(head)) {
    throw notASpreadsheet('a binary file');
  }
  if (looksLikeUtf16(head)) {
    throw new SpreadsheetError(
      'spreadsheet.not_a_spreadsheet',
      'The CSV file is encoded as UTF-16 ("Unicode Text"), which is not supported. Save it as "CSV UTF-8 (Comma delimited)" and upload it again.',
    );
  }
  return 'csv';
}

function looksLikeUtf16(head: Buffer): boolean {
  const first = head[0];
  const second = head[1];
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
}
