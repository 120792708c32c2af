import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { FastifyRequest } from 'fastify';

import { AppError, errors } from '../errors.js';

export interface SavedUpload {
  path: string;
  /** Removes the temporary file; safe to call more than once. */
  cleanUp(): Promise<void>;
}

const FIELD = 'file';

function badUpload(message: string): AppError {
  return errors.spreadsheetRejected('spreadsheet.no_file', message);
}

/**
 * Streams the multipart field "file" of the request to a temporary file, so that a large
 * upload never sits in memory. Raises 400 when the request carries no such file and 413 when
 * it is larger than `maxBytes`; the partial file is removed then.
 */
export async function saveUpload(request: FastifyRequest, maxBytes: number): Promise<SavedUpload> {
  if (!request.isMultipart()) {
    throw new AppError(
      'unsupported_media_type',
      415,
      `Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')} is not accepted; send the spreadsheet as multipart/form-data in the field "${FIELD}".`,
    );
  }

  const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw badUpload(`The request has no file; send the spreadsheet in the multipart field "${FIELD}".`);
  if (part.fieldname !== FIELD) {
    part.file.resume();
    throw badUpload(`The file was sent in the field "${part.fieldname}"; send it in the multipart field "${FIELD}".`);
  }

  const dir = await mkdtemp(join(tmpdir(), 'htek-dms-import-'));
  const cleanUp = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'upload');

  const tooLarge = () =>
    errors.spreadsheetRejected(
      'spreadsheet.too_large',
      `The file is larger than the maximum of ${maxBytes} bytes. Split the accounts into several files and import them one after the other. Nothing was imported.`,
    );

  try {
    await pipeline(part.file, createWriteStream(path));
  } catch (error) {
    await cleanUp();
    throw (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge() : error;
  }

  // busboy stops at the size limit and marks the stream truncated instead of failing it.
  if (part.file.truncated) {
    await cleanUp();
    throw tooLarge();
  }
  return { path, cleanUp };
}
