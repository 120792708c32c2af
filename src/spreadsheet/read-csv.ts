import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';

import { parse, CsvError } from 'csv-parse';

import { SpreadsheetError } from './errors.js';
import { unguardCsvField } from './formula-guard.js';
import type { RawRow } from './sheet-rows.js';
import { decodeWindows1252 } from './windows-1252.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Decodes CSV bytes as UTF-8 (with or without BOM) when they are valid UTF-8, else as
 * Windows-1252, the encoding Excel uses for "CSV (Comma delimited)" in Western European locales.
 */
export function decodeCsvBytes(bytes: Buffer): string {
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;

  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return decodeWindows1252(body);
  }
}

/**
 * Detects the delimiter from the header line: a semicolon when the line has more semicolons
 * than commas outside quotes (Excel's CSV in locales with a decimal comma), else a comma.
 */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;

  for (const character of headerLine) {
    if (character === '"') {
      quoted = !quoted;
    } else if (!quoted && character === ',') {
      commas++;
    } else if (!quoted && character === ';') {
      semicolons++;
    }
  }
  return semicolons > commas ? ';' : ',';
}

/** Splits off Excel's optional first line "sep=;" that names the delimiter. */
function splitSeparatorLine(text: string): { delimiter?: string; body: string } {
  const match = /^sep=(.)\r?\n/i.exec(text);
  if (!match) {
    return { body: text };
  }
  return { delimiter: match[1], body: text.slice(match[0].length) };
}

function invalidCsv(error: unknown): SpreadsheetError {
  const line = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
  const where = line === undefined ? '' : ` near line ${line}`;
  return new SpreadsheetError(
    'spreadsheet.invalid_csv',
    `The CSV file is invalid${where}: check for a quoted field that is not closed, or save the file again from Excel as CSV.`,
    { cause: error },
  );
}

const SLICE_CHARACTERS = 64 * 1024;

/** Cuts the text into slices, never between the two halves of a surrogate pair. */
function* textSlices(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + SLICE_CHARACTERS, text.length);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && end < text.length) end++;

    yield text.slice(start, end);
    start = end;
  }
}

/** Finds the first line with a non-blank character without splitting the whole text. */
function firstNonBlankLine(text: string): string {
  const lines = /[^\r\n]*/g;
  for (let match = lines.exec(text); match !== null; match = lines.exec(text)) {
    if (match[0].trim() !== '') return match[0];
    if (lines.lastIndex >= text.length) break;
    lines.lastIndex++;
  }
  return '';
}

/**
 * Streams the rows of a CSV file with every field kept as text. The leading single quote that
 * the export adds against formula injection is removed.
 */
export async function* readCsvRows(path: string): AsyncGenerator<RawRow> {
  const text = decodeCsvBytes(await readFile(path));
  const { delimiter: declaredDelimiter, body } = splitSeparatorLine(text);
  const headerLine = firstNonBlankLine(body);
  const delimiter = declaredDelimiter ?? detectDelimiter(headerLine);

  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  // Fed in slices through pipe(), so that the parser holds a few slices' records at a time
  // instead of every record of the file.
  Readable.from(textSlices(body), { objectMode: false }).pipe(parser);

  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, cells: record.map(unguardCsvField) };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw invalidCsv(error);
    }
    throw error;
  } finally {
    parser.destroy();
  }
}
