import t from 'tap';

import {
  cellValueToText,
  decodeXlsxEscapes,
  encodeXlsxEscapes,
  formatDate,
  formatPlainNumber,
} from '../../src/spreadsheet/cell-text.js';
import { formatCsvRecord } from '../../src/spreadsheet/csv-format.js';
import { guardCsvField, unguardCsvField } from '../../src/spreadsheet/formula-guard.js';
import { decodeCsvBytes, detectDelimiter } from '../../src/spreadsheet/read-csv.js';
import { parseYesNo } from '../../src/spreadsheet/yes-no.js';

t.test('parseYesNo accepted words', async (t) => {
  for (const word of ['yes', 'YES', 'true', 'True', '1', 'y', 'Y', 'on', 'ON', ' yes\u00a0']) {
    t.equal(parseYesNo(word), true, word);
  }
  for (const word of ['no', 'No', 'false', 'FALSE', '0', 'n', 'off', 'Off']) {
    t.equal(parseYesNo(word), false, word);
  }
  for (const word of ['', ' ', 'ja', 'maybe', '2', 'yess', 'o']) {
    t.equal(parseYesNo(word), undefined, JSON.stringify(word));
  }
});

t.test('formatPlainNumber never uses exponents', async (t) => {
  t.equal(formatPlainNumber(123456789012), '123456789012');
  t.equal(formatPlainNumber(1.23456789012e11), '123456789012');
  t.equal(formatPlainNumber(1e21), '1000000000000000000000');
  t.equal(formatPlainNumber(12345678901234500000), '12345678901234500000');
  t.equal(formatPlainNumber(1.5e-7), '0.00000015');
  t.equal(formatPlainNumber(-2.5e-8), '-0.000000025');
  t.equal(formatPlainNumber(5060), '5060');
  t.equal(formatPlainNumber(0.25), '0.25');
});

t.test('formatDate gives ISO text', async (t) => {
  t.equal(formatDate(new Date(Date.UTC(2024, 0, 2))), '2024-01-02');
  t.equal(formatDate(new Date(Date.UTC(2024, 0, 2, 10, 30, 5))), '2024-01-02T10:30:05');
});

t.test('xlsx escapes round trip', async (t) => {
  t.equal(decodeXlsxEscapes('line 1_x000D_\nline 2'), 'line 1\r\nline 2');
  t.equal(decodeXlsxEscapes('_x005F_x000D_'), '_x000D_');
  t.equal(decodeXlsxEscapes('no_escape_x12_'), 'no_escape_x12_');
  t.equal(encodeXlsxEscapes('a\rb'), 'a_x000D_b');
  t.equal(encodeXlsxEscapes('_x000D_'), '_x005F_x000D_');
  t.equal(encodeXlsxEscapes('tab\tand\nnewline'), 'tab\tand\nnewline');

  for (const text of ['\r=x', '_x000D_', 'a\u0001b', '_x005F_', 'plain', '\u0000']) {
    t.equal(decodeXlsxEscapes(encodeXlsxEscapes(text)), text, JSON.stringify(text));
  }
});

t.test('cellValueToText per value type', async (t) => {
  t.equal(cellValueToText(null), '');
  t.equal(cellValueToText('0012'), '0012');
  t.equal(cellValueToText(123456789012), '123456789012');
  t.equal(cellValueToText(true), 'TRUE');
  t.equal(cellValueToText({ formula: 'A1&"x"', result: '7x' }), '7x');
  t.equal(cellValueToText({ sharedFormula: 'B2', result: 42 }), '42');
  t.equal(cellValueToText({ formula: 'NOW()' }), '');
  t.equal(cellValueToText({ richText: [{ text: 'Mül' }, { text: 'ler' }] }), 'Müller');
  t.equal(cellValueToText({ text: 'sip:blf@pbx', hyperlink: 'sip:blf@pbx' }), 'sip:blf@pbx');
  t.equal(cellValueToText({ text: { richText: [{ text: 'rich link' }] }, hyperlink: 'http://x' }), 'rich link');
  t.equal(cellValueToText({ error: '#N/A' }), '#N/A');
  t.equal(cellValueToText(new Date(Date.UTC(2023, 11, 31))), '2023-12-31');
});

t.test('CSV formula guard round trip', async (t) => {
  t.equal(guardCsvField('=1+1'), "'=1+1");
  t.equal(guardCsvField('+4930123'), "'+4930123");
  t.equal(guardCsvField('-5'), "'-5");
  t.equal(guardCsvField('@SUM(A1)'), "'@SUM(A1)");
  t.equal(guardCsvField('\tx'), "'\tx");
  t.equal(guardCsvField('\rx'), "'\rx");
  t.equal(guardCsvField("'=x"), "''=x");
  t.equal(guardCsvField("it's"), "it's");
  t.equal(guardCsvField('0012'), '0012');

  t.equal(unguardCsvField("'=1+1"), '=1+1');
  t.equal(unguardCsvField("'abc"), "'abc");
  t.equal(unguardCsvField("''=x"), "'=x");

  for (const text of ['=1+1', '+4930123', "'=x", "''+1", "'plain", '-', '@', 'normal']) {
    t.equal(unguardCsvField(guardCsvField(text)), text, JSON.stringify(text));
  }
});

t.test('formatCsvRecord quoting', async (t) => {
  t.equal(formatCsvRecord(['a', 'b c', '']), 'a,b c,\r\n');
  t.equal(formatCsvRecord(['a,b', 'say "hi"', 'two\nlines', 'cr\r']), '"a,b","say ""hi""","two\nlines","cr\r"\r\n');
});

t.test('detectDelimiter from the header line', async (t) => {
  t.equal(detectDelimiter('Name;Profile;Label'), ';');
  t.equal(detectDelimiter('Name,Profile,Label'), ',');
  t.equal(detectDelimiter('"Name;x",Profile'), ',');
  t.equal(detectDelimiter('"a,b";"c,d";e'), ';');
  t.equal(detectDelimiter('Name'), ',');
});

t.test('decodeCsvBytes encodings', async (t) => {
  t.equal(decodeCsvBytes(Buffer.from('\ufeffMüller', 'utf8')), 'Müller');
  t.equal(decodeCsvBytes(Buffer.from('Müller 😀', 'utf8')), 'Müller 😀');
  t.equal(decodeCsvBytes(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x80])), 'Müller €');
});

t.test('decodeCsvBytes Windows-1252 high range', async (t) => {
  const bytes = Buffer.from([0x80, 0x84, 0x91, 0x92, 0x93, 0x94, 0x96, 0x9f, 0xe9, 0x81]);

  t.equal(decodeCsvBytes(bytes), '€„‘’“”–Ÿé\u0081');
});
