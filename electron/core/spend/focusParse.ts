import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { CsvReader, CsvSyntaxError } from './csvReader';
import { looksLikeParquet, ParquetFileError, ParquetReadAbortedError, readParquetRecords } from './parquetRecords';
import { FileRejected, FocusRecords, type FocusRecordsSummary, type FocusRowProblem } from './focusRecords';
import type { TagKeys } from './focusRow';
import type { LineItemBatch } from './lineItemBatch';

export interface FocusParseRequest {
  path: string;
  tagKeys: TagKeys;
  skipBadRows: boolean;
}

/** How a parse ends: the file read whole (with its sha256), or rejected with the problems found. */
export type FocusParseOutcome = ({ kind: 'parsed'; sha256: string } & FocusRecordsSummary & { bytesRead: number }) | { kind: 'rejected'; problems: FocusRowProblem[]; bytesRead: number };

export interface FocusParseHooks {
  /** Called with each batch of good rows (after each chunk read); a returned promise holds reading back. */
  onBatch(batch: LineItemBatch, rows: number, bytesRead: number): void | Promise<void>;
  /** Checked before each chunk: true stops reading with ImportCancelledError thrown by the caller. */
  cancelled?(): boolean;
  /**
   * Given, the bytes of a plain (not gzip) CSV are handed to it in order, once decoded, instead of
   * being hashed here, and the outcome's sha256 is '' for the caller to fill: the parse worker sends
   * them to the importer's thread, which has time to spare, to hash there.
   */
  rawChunk?(bytes: Buffer): void;
}

export class ParseCancelled extends Error {}

const CHUNK_BYTES = 1 << 20;

/**
 * Reads one FOCUS CSV (plain or gzip, by its magic bytes) in a single pass: the raw bytes are hashed
 * as they arrive (no separate pass over the file for its sha256), decoded, split into records and
 * checked. Runs in the parse worker, or in the importer's thread where no worker script is built.
 */
export async function parseFocusCsv(request: FocusParseRequest, hooks: FocusParseHooks): Promise<FocusParseOutcome> {
  if (looksLikeParquet(request.path)) return parseFocusParquet(request, hooks);
  const records = new FocusRecords(request.tagKeys, request.skipBadRows);
  const reader = new CsvReader(null, (text, bounds, count, line) => records.recordRanges(text, bounds, count, line));
  const hash = createHash('sha256');
  const fileStream = createReadStream(request.path, { highWaterMark: CHUNK_BYTES });
  const gzip = isGzip(request.path);
  const source: Readable = gzip ? fileStream.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : fileStream;
  if (gzip) {
    fileStream.on('data', (chunk) => hash.update(chunk as Buffer));
    fileStream.on('error', (err) => source.destroy(err));
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  // Bills are nearly always ASCII: such a chunk becomes a string by a plain copy, several times faster
  // than the validating decoder. From the first chunk that is not ASCII on, the decoder takes every
  // chunk, so a character split across chunks is still joined (and checked) by it.
  let ascii = true;
  const rejected = (problems: FocusRowProblem[]): FocusParseOutcome => ({ kind: 'rejected', problems, bytesRead: fileStream.bytesRead });
  try {
    for await (const chunk of source) {
      if (hooks.cancelled?.()) throw new ParseCancelled();
      const bytes = chunk as Buffer;
      const handOver = !gzip && hooks.rawChunk !== undefined;
      if (!gzip && !handOver) hash.update(bytes);
      let text: string;
      if (ascii && isAscii(bytes)) {
        text = bytes.toString('latin1');
      } else {
        ascii = false;
        try {
          text = decoder.decode(bytes, { stream: true });
        } catch {
          return rejected([{ line: null, column: null, reason: 'the file is not UTF-8 text' }]);
        }
      }
      if (handOver) hooks.rawChunk!(bytes);
      reader.push(text);
      const batch = records.takeBatch();
      if (batch) await hooks.onBatch(batch, records.rowCount, fileStream.bytesRead);
    }
    if (!ascii) reader.push(decoder.decode());
    reader.end();
  } catch (err) {
    fileStream.destroy();
    if (err instanceof FileRejected) return rejected(err.problems);
    if (err instanceof CsvSyntaxError) return rejected([...records.problemsSoFar(), { line: err.line, column: null, reason: err.reason }]);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') return rejected([{ line: null, column: null, reason: 'the gzip data ends early: the file is truncated (an interrupted download or copy?); nothing from it was imported' }]);
    if (typeof code === 'string' && code.startsWith('Z_')) return rejected([{ line: null, column: null, reason: `the gzip data is corrupt (${(err as Error).message})` }]);
    throw err;
  }
  let summary: FocusRecordsSummary;
  try {
    const batch = records.takeBatch();
    if (batch) await hooks.onBatch(batch, records.rowCount, fileStream.bytesRead);
    summary = records.finish();
  } catch (err) {
    if (err instanceof FileRejected) return rejected(err.problems);
    throw err;
  }
  const sha256 = !gzip && hooks.rawChunk !== undefined ? '' : hash.digest('hex');
  return { kind: 'parsed', sha256, ...summary, bytesRead: fileStream.bytesRead };
}

/**
 * A Parquet export (AWS Data Exports writes FOCUS as Parquet): read a row group at a time through
 * positioned reads, each row turned into the text the CSV path would have seen, then checked by the
 * same FocusRecords. Row groups come whole, so a batch is handed on after each one; "line" in a
 * problem means data row + 1 (the header is line 1), as for a CSV without line breaks in fields.
 */
async function parseFocusParquet(request: FocusParseRequest, hooks: FocusParseHooks): Promise<FocusParseOutcome> {
  const records = new FocusRecords(request.tagKeys, request.skipBadRows);
  const sha256 = await hashWholeFile(request.path);
  const abort = new AbortController();
  let bytesRead = 0;
  const pending: Promise<void>[] = [];
  const rejected = (problems: FocusRowProblem[]): FocusParseOutcome => ({ kind: 'rejected', problems, bytesRead });
  try {
    await readParquetRecords(request.path, (fields, line) => records.record(fields, line), {
      signal: abort.signal,
      onProgress: (read) => {
        bytesRead = read;
        if (hooks.cancelled?.()) abort.abort();
        const batch = records.takeBatch();
        if (batch) {
          const handed = hooks.onBatch(batch, records.rowCount, read);
          if (handed) pending.push(handed);
        }
      },
    });
    await Promise.all(pending);
    const batch = records.takeBatch();
    if (batch) await hooks.onBatch(batch, records.rowCount, bytesRead);
    return { kind: 'parsed', sha256, ...records.finish(), bytesRead };
  } catch (err) {
    if (err instanceof ParquetReadAbortedError) throw new ParseCancelled();
    if (err instanceof FileRejected) return rejected(err.problems);
    if (err instanceof ParquetFileError) return rejected([{ line: null, column: err.column, reason: err.reason }]);
    throw err;
  }
}

async function hashWholeFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
