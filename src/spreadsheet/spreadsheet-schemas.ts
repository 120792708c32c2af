import { Type } from 'typebox';

const ImportProblemSchema = Type.Object({
  row: Type.Integer({ description: 'Row number as shown in the spreadsheet; 1 is the header row' }),
  column: Type.String({ description: 'Column header as in the template' }),
  value: Type.String({ description: 'Cell text; passwords and PINs are masked as ***' }),
  message: Type.String({ description: 'What is wrong and what to do' }),
});

export const ImportReportSchema = Type.Object({
  mode: Type.String(),
  rows: Type.Integer({ description: 'Data rows read from the file' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Integer({ description: 'Rows not written because of problems' }),
  errors: Type.Array(ImportProblemSchema),
  moreErrors: Type.Integer({ description: 'Problems left out of errors, which lists at most 1000' }),
});

export const ImportStartedSchema = Type.Object({ importId: Type.String(), progressUrl: Type.String() });

export const ImportJobSchema = Type.Object({
  id: Type.String(),
  mode: Type.String(),
  state: Type.Union([Type.Literal('reading'), Type.Literal('validating'), Type.Literal('writing'), Type.Literal('done'), Type.Literal('failed')]),
  rowsRead: Type.Integer(),
  rowsValidated: Type.Integer(),
  rowsWritten: Type.Integer(),
  total: Type.Union([Type.Integer(), Type.Null()], { description: 'Data rows in the file, once it is read' }),
  result: Type.Unknown({ description: 'The import report when done, { error } when failed, null before' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** Body of the 422 answer of an all-or-nothing import: the error fields and the full report. */
export const ImportRejectedSchema = Type.Object(
  {
    requestId: Type.String(),
    statusCode: Type.Integer(),
    code: Type.Literal('import_rejected'),
    message: Type.String({ description: 'What failed and what to do' }),
    ...ImportReportSchema.properties,
  },
  { description: 'The file has problems, so nothing was imported' },
);

/** Multipart body of the import: one file in the field "file". */
export const ImportUploadSchema = Type.Object(
  { file: Type.String({ format: 'binary', description: 'The .xlsx or .csv file; its type is detected from the content' }) },
  { required: ['file'] },
);

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';

/** A success response whose body is a file of the given content type. */
export function fileResponse(contentType: string, description: string) {
  return { description, content: { [contentType]: { schema: { type: 'string', format: 'binary' } } } };
}
