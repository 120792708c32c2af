import { PassThrough } from 'node:stream';

import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';

import { AccountListQuery } from '../accounts/accounts-schemas.js';
import type { Db } from '../db/database.js';
import { errors } from '../errors.js';
import { bodyErrorResponses, errorResponses, ErrorResponse } from '../http/common-schemas.js';
import { validatorCompiler } from '../http/validation.js';
import { SpreadsheetError } from './errors.js';
import { createExportService, type ExportRequest, type ExportSort } from './export-service.js';
import type { ExportFormat } from './export-writer.js';
import { toImportError } from './import-errors.js';
import { createImportJobs } from './import-jobs.js';
import { IMPORT_MODES, type ImportReport } from './import-report.js';
import { createImportService, DEFAULT_IMPORT_LIMITS, type ImportLimits } from './import-service.js';
import { writeAccountTemplate } from './template.js';
import {
  CSV_TYPE,
  fileResponse,
  ImportJobSchema,
  ImportRejectedSchema,
  ImportReportSchema,
  ImportStartedSchema,
  ImportUploadSchema,
  XLSX_TYPE,
} from './spreadsheet-schemas.js';
import { saveUpload } from './upload.js';

export interface SpreadsheetRoutesOptions {
  db: Db;
  logger: Logger;
  limits?: Partial<ImportLimits>;
}

const ImportQuery = Type.Object(
  {
    mode: Type.Optional(
      Type.Union(
        IMPORT_MODES.map((mode) => Type.Literal(mode)),
        { default: 'all-or-nothing', description: 'dry-run: report only; all-or-nothing: any error writes nothing; valid-rows: write the valid rows and report the others' },
      ),
    ),
    async: Type.Optional(Type.Boolean({ default: false, description: 'Answer 202 with an importId at once; follow the progress at /accounts/imports/{importId}' })),
  },
  { additionalProperties: false },
);

const { page: _page, pageSize: _pageSize, order: _order, sort, ...listFilters } = AccountListQuery.properties;

const ExportQuery = Type.Object(
  {
    ids: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}(,[0-9]{1,10})*$', maxLength: 200_000, patternMessage: 'must be account ids separated by commas, e.g. 12,15,31', description: 'Export only these accounts' })),
    includeSecrets: Type.Optional(Type.Boolean({ default: false, description: 'Also export the Authenticate Password and PIN columns; the request is logged' })),
    ...listFilters,
    sort,
    // Unlike the list's order, this one has no default, so an export without sort and order
    // keeps its id order.
    order: Type.Optional(
      Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'With sort or order the accounts come in the list\'s order (default name, asc); without both, in id order' }),
    ),
  },
  { additionalProperties: false },
);

const ImportIdParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'importId from POST /accounts/import?async=true' }) }, { additionalProperties: false });

/**
 * The import's body schema documents the multipart upload in OpenAPI only. @fastify/multipart
 * reads the file inside the handler, so the body is not validated, and every other part of
 * the request is validated as usual.
 */
const multipartValidatorCompiler: typeof validatorCompiler = (route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route));

/** Template download, import and export of accounts as spreadsheets. */
export const spreadsheetRoutes: FastifyPluginAsyncTypebox<SpreadsheetRoutesOptions> = async (app, { db, logger, limits }) => {
  const importLimits = { ...DEFAULT_IMPORT_LIMITS, ...limits };
  const imports = createImportService({ db, logger, limits: importLimits });
  const jobs = createImportJobs({ db, logger, imports });
  const exports = createExportService({ db, logger });
  const tags = ['Account spreadsheets'];

  await app.register(multipart, { limits: { fileSize: importLimits.maxBytes, files: 1, fields: 10 } });

  const templateSchema = {
    tags,
    summary: 'Download the account import template (.xlsx)',
    response: { 200: fileResponse(XLSX_TYPE, 'The template workbook: the Accounts sheet and a Help sheet'), 400: ErrorResponse, 500: ErrorResponse, 503: ErrorResponse },
  };
  app.get('/accounts/template.xlsx', { schema: templateSchema }, async (_request, reply) => {
    const profiles = await db.selectFrom('profiles').select('name').orderBy('name').execute();
    const file = await writeAccountTemplate(profiles.map((profile) => profile.name));
    return reply.type(XLSX_TYPE).header('content-disposition', 'attachment; filename="accounts-template.xlsx"').send(file);
  });

  app.post(
    '/accounts/import',
    {
      schema: {
        tags,
        summary: 'Import accounts from an .xlsx or .csv file (multipart field "file")',
        consumes: ['multipart/form-data'],
        body: ImportUploadSchema,
        querystring: ImportQuery,
        response: { 200: ImportReportSchema, 202: ImportStartedSchema, ...bodyErrorResponses, 422: ImportRejectedSchema },
      },
      validatorCompiler: multipartValidatorCompiler,
    },
    async (request, reply) => {
      const mode = request.query.mode ?? 'all-or-nothing';
      const upload = await saveUpload(request, importLimits.maxBytes);

      if (request.query.async) {
        const importId = await jobs.start(upload.path, mode, upload.cleanUp);
        return reply.code(202).send({ importId, progressUrl: `/api/v1/accounts/imports/${importId}` });
      }

      let report: ImportReport;
      try {
        report = await imports.importFile(upload.path, { mode });
      } catch (error) {
        throw error instanceof SpreadsheetError ? toImportError(error) : error;
      } finally {
        await upload.cleanUp();
      }
      return sendReport(request, reply, report);
    },
  );

  app.get(
    '/accounts/imports/:id',
    { schema: { tags, summary: 'Progress and result of a background import', params: ImportIdParams, response: { 200: ImportJobSchema, ...errorResponses } } },
    (request) => jobs.get(request.params.id),
  );

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(
      `/accounts/export.${format}`,
      {
        schema: {
          tags,
          summary: `Export accounts as .${format} (selected ids, the list filters, or all)`,
          querystring: ExportQuery,
          response: { 200: fileResponse(format === 'xlsx' ? XLSX_TYPE : CSV_TYPE, 'The accounts in the columns of the import template'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { ids, includeSecrets = false, sort, order, ...filter } = request.query;
        // The schema admits only the list's sort columns, which its static type widens to string.
        const exportSort: ExportSort | undefined = sort || order ? { column: (sort ?? 'name') as ExportSort['column'], order: order ?? 'asc' } : undefined;
        const exportRequest: ExportRequest = { format, includeSecrets, ids: ids?.split(',').map(Number), filter, sort: exportSort };
        await exports.checkIds(exportRequest.ids);

        if (includeSecrets) {
          // The audit log records the same export; this line puts it next to the request in the server log.
          const username = request.principal?.user.username ?? null;
          request.log.warn({ requestId: request.id, username, address: request.ip, format }, 'account export with passwords and PINs requested');
        }
        return streamExport(request, reply, exportRequest);
      },
    );
  }

  function streamExport(request: FastifyRequest, reply: FastifyReply, exportRequest: ExportRequest): FastifyReply {
    const body = new PassThrough();
    exports.writeExport(body, exportRequest).catch((error: unknown) => {
      request.log.error({ err: error, format: exportRequest.format }, 'account export failed while streaming');
      body.destroy(error as Error);
    });

    return reply
      .type(contentType(exportRequest.format))
      .header('content-disposition', `attachment; filename="accounts.${exportRequest.format}"`)
      .send(body);
  }
};

function contentType(format: ExportFormat): string {
  return format === 'xlsx' ? XLSX_TYPE : `${CSV_TYPE}; charset=utf-8`;
}

/**
 * Sends the import report: 200, except for an all-or-nothing import with problems, which is
 * answered 422 with the report and the API's error fields, since nothing was written. The
 * report stays at the top level of that body (not under `details`), so clients read it the
 * same way in both cases.
 */
function sendReport(request: FastifyRequest, reply: FastifyReply, report: ImportReport): FastifyReply {
  const rejected = report.mode === 'all-or-nothing' && report.errors.length > 0;
  if (!rejected) return reply.code(200).send(report);

  const error = errors.importRejected(report.errors.length + report.moreErrors);
  return reply.code(error.statusCode).send({
    requestId: request.id,
    statusCode: error.statusCode,
    code: error.code,
    message: error.message,
    ...report,
  });
}
