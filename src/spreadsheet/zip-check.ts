import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

import { SpreadsheetError } from './errors.js';

/** Limits for the uncompressed content of an .xlsx archive. */
export interface ZipLimits {
  /** Maximum total uncompressed size of all entries, in bytes. */
  maxUncompressedBytes: number;
  /** Maximum ratio of uncompressed to compressed size for an entry above `ratioCheckMinBytes`. */
  maxCompressionRatio: number;
  ratioCheckMinBytes: number;
}

/**
 * NOTE: the 200 MB total is a judgment, not a measured need: a 100,000-row export with 15
 * filled columns unpacks to about 78 MB, so long values in every cell could approach the limit.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 100,
  ratioCheckMinBytes: 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT_SIZE = 0xffff;
const MAX_ENTRIES = 1000;
/** A data descriptor after an entry's data takes at most 24 bytes (ZIP64 with signature). */
const MAX_DESCRIPTOR_SIZE = 24;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;

function brokenZip(detail: string): SpreadsheetError {
  return new SpreadsheetError(
    'spreadsheet.unreadable',
    `The .xlsx file is damaged (${detail}). Open it in Excel or LibreOffice, save it again as .xlsx and upload the new file.`,
  );
}

function zipBomb(detail: string): SpreadsheetError {
  return new SpreadsheetError(
    'spreadsheet.zip_bomb',
    `The .xlsx file was rejected because ${detail}. A real account list is far smaller; export the accounts again or split the list into several files.`,
  );
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

interface CentralDirectoryLocation {
  offset: number;
  size: number;
  entryCount: number;
}

async function findCentralDirectory(file: FileHandle, fileSize: number): Promise<CentralDirectoryLocation> {
  const tailLength = Math.min(fileSize, END_RECORD_SIZE + MAX_COMMENT_SIZE);
  const tail = await readAt(file, fileSize - tailLength, tailLength);

  for (let index = tail.length - END_RECORD_SIZE; index >= 0; index--) {
    if (tail.readUInt32LE(index) !== END_OF_CENTRAL_DIRECTORY) {
      continue;
    }

    const entryCount = tail.readUInt16LE(index + 10);
    const size = tail.readUInt32LE(index + 12);
    const offset = tail.readUInt32LE(index + 16);
    if (entryCount === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      throw zipBomb('it uses ZIP64 sizes, which only archives above 4 GB need');
    }
    if (offset + size > fileSize) {
      throw brokenZip('the zip directory points past the end of the file');
    }
    return { offset, size, entryCount };
  }
  throw brokenZip('the zip directory is missing, so the file is probably truncated');
}

function parseCentralDirectory(directory: Buffer, entryCount: number): ZipEntry[] {
  if (entryCount > MAX_ENTRIES) {
    throw zipBomb(`it contains ${entryCount} files, more than the ${MAX_ENTRIES} allowed`);
  }

  const entries: ZipEntry[] = [];
  let position = 0;
  for (let index = 0; index < entryCount; index++) {
    if (position + 46 > directory.length || directory.readUInt32LE(position) !== CENTRAL_DIRECTORY_ENTRY) {
      throw brokenZip('the zip directory is invalid');
    }

    const nameLength = directory.readUInt16LE(position + 28);
    const extraLength = directory.readUInt16LE(position + 30);
    const commentLength = directory.readUInt16LE(position + 32);
    entries.push({
      flags: directory.readUInt16LE(position + 8),
      method: directory.readUInt16LE(position + 10),
      compressedSize: directory.readUInt32LE(position + 20),
      uncompressedSize: directory.readUInt32LE(position + 24),
      localHeaderOffset: directory.readUInt32LE(position + 42),
      name: directory.toString('utf8', position + 46, position + 46 + nameLength),
    });
    position += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Checks the declared sizes before anything is decompressed. */
function checkDeclaredSizes(entries: readonly ZipEntry[], limits: ZipLimits): void {
  let total = 0;

  for (const entry of entries) {
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
      throw zipBomb(`the entry "${entry.name}" uses ZIP64 sizes, which only entries above 4 GB need`);
    }

    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > limits.ratioCheckMinBytes && ratio > limits.maxCompressionRatio) {
      throw zipBomb(
        `the entry "${entry.name}" expands ${Math.round(ratio)} times (maximum ${limits.maxCompressionRatio})`,
      );
    }
  }

  if (total > limits.maxUncompressedBytes) {
    throw zipBomb(
      `it expands to ${total} bytes, more than the maximum of ${limits.maxUncompressedBytes} bytes`,
    );
  }
}

async function readDataStart(file: FileHandle, entry: ZipEntry): Promise<number> {
  const header = await readAt(file, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_FILE_HEADER) {
    throw brokenZip(`the entry "${entry.name}" has no valid local header`);
  }
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/**
 * Rejects archives whose entries overlap or leave gaps. Stream readers such as the one inside
 * exceljs follow the local headers, so data hidden between the listed entries would be
 * decompressed without the size checks, and overlapping entries are a known zip bomb design.
 */
function checkLayout(spans: readonly { entry: ZipEntry; start: number; end: number }[], directoryOffset: number): void {
  const sorted = [...spans].sort((left, right) => left.entry.localHeaderOffset - right.entry.localHeaderOffset);
  let expectedOffset = 0;

  for (const span of sorted) {
    const offset = span.entry.localHeaderOffset;
    if (offset < expectedOffset) {
      throw zipBomb(`the entry "${span.entry.name}" overlaps another entry`);
    }
    if (offset > expectedOffset + MAX_DESCRIPTOR_SIZE) {
      throw brokenZip(`there is unlisted data before the entry "${span.entry.name}"`);
    }
    expectedOffset = span.end;
  }

  if (directoryOffset < expectedOffset || directoryOffset > expectedOffset + MAX_DESCRIPTOR_SIZE) {
    throw brokenZip('there is unlisted data before the zip directory');
  }
}

/** Decompresses one entry without keeping its content and checks the real size against the declared one. */
async function checkInflatedSize(path: string, entry: ZipEntry, start: number): Promise<void> {
  if (entry.compressedSize === 0) {
    if (entry.uncompressedSize !== 0) {
      throw brokenZip(`the entry "${entry.name}" is truncated`);
    }
    return;
  }

  const compressed = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  const source = entry.method === METHOD_DEFLATED ? compressed.pipe(createInflateRaw()) : compressed;
  let size = 0;

  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > entry.uncompressedSize) {
        throw zipBomb(`the entry "${entry.name}" expands beyond its declared size of ${entry.uncompressedSize} bytes`);
      }
    }
  } catch (error) {
    if (error instanceof SpreadsheetError) {
      throw error;
    }
    throw brokenZip(`the entry "${entry.name}" cannot be decompressed`);
  } finally {
    compressed.destroy();
    source.destroy();
  }

  if (size !== entry.uncompressedSize) {
    throw brokenZip(`the entry "${entry.name}" is ${size} bytes instead of the declared ${entry.uncompressedSize}`);
  }
}

/**
 * Checks an .xlsx archive before exceljs unzips it: the declared sizes and compression ratios
 * from the zip directory, the layout of the entries, and then the real decompressed size of
 * every entry, streamed and discarded. Returns the entries on success.
 */
export async function checkZipArchive(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipEntry[]> {
  const file = await open(path, 'r');
  let entries: ZipEntry[];
  const spans: { entry: ZipEntry; start: number; end: number }[] = [];
  let directoryOffset: number;

  try {
    const { size: fileSize } = await file.stat();
    const location = await findCentralDirectory(file, fileSize);
    directoryOffset = location.offset;
    entries = parseCentralDirectory(await readAt(file, location.offset, location.size), location.entryCount);
    checkDeclaredSizes(entries, limits);

    for (const entry of entries) {
      if (entry.flags & FLAG_ENCRYPTED) {
        throw new SpreadsheetError(
          'spreadsheet.password_protected',
          'The .xlsx file is encrypted with a password. Remove the password in Excel and upload the file again.',
        );
      }
      if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
        throw brokenZip(`the entry "${entry.name}" uses the unsupported compression method ${entry.method}`);
      }
      const start = await readDataStart(file, entry);
      spans.push({ entry, start, end: start + entry.compressedSize });
    }
  } finally {
    await file.close();
  }

  checkLayout(spans, directoryOffset);
  for (const span of spans) {
    await checkInflatedSize(path, span.entry, span.start);
  }
  return entries;
}
