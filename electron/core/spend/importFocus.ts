import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Database, Statement } from 'better-sqlite3';

import { collectInputFiles } from '../collectInputFiles';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { finishRun, startRun } from '../store/syncRuns';
import { CsvReader, CsvSyntaxError } from './csvReader';
import { detectFocusVersion, FocusValueError, missingMandatoryColumns, type FocusVersion } from './focusSchema';
import { indexColumns, LINE_ITEM_COLUMNS, readLineItem, type FocusColumnIndex, type TagKeys } from './focusRow';
import { rollUpLineItems } from './attribution';

export interface FocusRowProblem {
  /** 1-based line of the CSV (1 is the header); null when the whole file is at fault. */
  line: number | null;
  column: string | null;
  reason: string;
}

export interface CurrencyTotal {
  currency: string;
  billedCost: number;
  effectiveCost: number;
}

export interface FocusFileResult {
  file: string;
  /** imported: written now; unchanged: the same bytes (sha256) were imported before; rejected: nothing written. */
  status: 'imported' | 'unchanged' | 'rejected';
  focusVersion: FocusVersion | null;
  /** Line items stored from this file (for an unchanged file, those stored when it was first imported). */
  rows: number;
  /** Why the file was refused, or with skipBadRows the rows that were skipped. */
  rejected: FocusRowProblem[];
  /** Per currency, summed by SQLite over the stored line items. */
  totals: CurrencyTotal[];
}

export interface FocusImportResult {
  files: FocusFileResult[];
  syncRunId: number;
}

export interface FocusImportProgress {
  file: string;
  fileIndex: number;
  files: number;
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ImportFocusOptions {
  actor: string;
  clock: Clock;
  /** Import the good rows of a file with bad ones, listing every row skipped (default: reject the file). */
  skipBadRows?: boolean;
  /** Tag keys whose values attribute spend to a team and a model (defaults 'team' and 'ml:model'). */
  tagKeys?: Partial<TagKeys>;
  onProgress?: (progress: FocusImportProgress) => void;
  /** Aborting rolls the current file back and ends the import with an ImportCancelledError. */
  signal?: AbortSignal;
}

export class ImportCancelledError extends Error {
  constructor() {
    super('the import was cancelled; the file being imported was rolled back');
    this.name = 'ImportCancelledError';
  }
}

const FOCUS_FILES = {
  accept: (name: string) => /\.(csv|csv\.gz)$/i.test(name),
  nothingFound: 'no FOCUS file (*.csv, *.csv.gz) found',
};

/** Rows per multi-row INSERT: 256 x 24 values stays well under SQLite's 32,766 bound parameters. */
const BATCH_ROWS = 256;
/** A rejected file reports at most this many problems; reading stops there. */
const MAX_PROBLEMS = 100;
const CHUNK_BYTES = 1 << 20;
/** Page cache while a file is imported, in KiB (negative: SQLite's unit for a size rather than a page count). */
const IMPORT_CACHE_KIB = -65_536;

/** Thrown inside a file's read loop to stop it: the file is rejected with these problems. */
class FileRejected extends Error {
  constructor(readonly problems: FocusRowProblem[]) {
    super('file rejected');
  }
}

/**
 * Imports FOCUS cost and usage files (CSV or gzip CSV), each file all or nothing in its own transaction:
 * the file is streamed (bounded memory), its rows checked and inserted in batches, and the daily rollup
 * updated in the same transaction. Files already imported (same sha256) are left as they are.
 *
 * The write transaction stays open across the awaits of reading the file, so the store must not be
 * used for other writes by the same connection meanwhile (the CLI and the engine worker run one
 * command at a time).
 */
export async function importFocus(store: Store, paths: readonly string[], options: ImportFocusOptions): Promise<FocusImportResult> {
  const db = store.db;
  const at = isoNow(options.clock);
  const tagKeys: TagKeys = { team: options.tagKeys?.team ?? 'team', model: options.tagKeys?.model ?? 'ml:model' };
  const { files, rejections } = collectInputFiles(paths, FOCUS_FILES);
  const results: FocusFileResult[] = rejections.map((r) => ({ file: r.file, status: 'rejected', focusVersion: null, rows: 0, rejected: [{ line: null, column: null, reason: r.reason }], totals: [] }));
  // The run row is written by the first transaction that writes anything, so an import killed
  // midway leaves no trace at all of the file it was writing.
  let runId: number | null = null;
  const ensureRun = (): number => (runId ??= startRun(db, 'focus', at, paths));

  for (const [fileIndex, file] of files.entries()) {
    if (options.signal?.aborted) break;
    const sha256 = await hashFile(file.path);
    const existing = db.prepare('SELECT rows, focus_version, totals_json FROM spend_files WHERE sha256 = ?').get(sha256) as
      | { rows: number; focus_version: FocusVersion; totals_json: string }
      | undefined;
    if (existing) {
      results.push({ file: file.path, status: 'unchanged', focusVersion: existing.focus_version, rows: existing.rows, rejected: [], totals: JSON.parse(existing.totals_json) as CurrencyTotal[] });
      continue;
    }
    const runExisted = runId !== null;
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    // A big file's pages stay in memory until commit instead of spilling (64 MB; the default is 2 MB).
    db.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
    db.exec('BEGIN IMMEDIATE');
    try {
      const written = await writeFile(db, file.path, sha256, ensureRun(), at, tagKeys, options, (rows, bytesRead) =>
        options.onProgress?.({ file: file.path, fileIndex, files: files.length, rows, bytesRead, totalBytes: file.size }),
      );
      appendAudit(
        db,
        { actor: options.actor, action: 'focus.imported', subject: `spend_file:${written.fileId}`, detail: { file: file.path, sha256, focusVersion: written.focusVersion, rows: written.rows, skipped: written.skipped.length, totals: written.totals, syncRunId: runId } },
        at,
      );
      db.exec('COMMIT');
      db.pragma(`cache_size = ${cacheSize}`);
      results.push({ file: file.path, status: 'imported', focusVersion: written.focusVersion, rows: written.rows, rejected: written.skipped, totals: written.totals });
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.pragma(`cache_size = ${cacheSize}`);
      if (!runExisted) runId = null;
      if (err instanceof ImportCancelledError) {
        finish(db, ensureRunInTransaction(db, ensureRun), results, options, at, { cancelled: file.path });
        throw err;
      }
      const problems = err instanceof FileRejected ? err.problems : [{ line: null, column: null, reason: (err as Error).message }];
      results.push({ file: file.path, status: 'rejected', focusVersion: null, rows: 0, rejected: problems, totals: [] });
      db.transaction(() => {
        const id = ensureRun();
        appendAudit(db, { actor: options.actor, action: 'focus.import.rejected', subject: `sync_run:${id}`, detail: { file: file.path, sha256, problems } }, at);
      }).immediate();
    }
  }
  const syncRunId = ensureRunInTransaction(db, ensureRun);
  finish(db, syncRunId, results, options, at, {});
  return { files: results, syncRunId };
}

function ensureRunInTransaction(db: Database, ensureRun: () => number): number {
  return db.transaction(ensureRun).immediate();
}

function finish(db: Database, runId: number, results: FocusFileResult[], options: ImportFocusOptions, at: string, extra: Record<string, unknown>): void {
  const count = (status: FocusFileResult['status']) => results.filter((r) => r.status === status).length;
  const counts = { imported: count('imported'), unchanged: count('unchanged'), rejected: count('rejected') };
  const failed = counts.rejected > 0 || extra.cancelled !== undefined;
  db.transaction(() => {
    const files = results.map((r) => ({ file: r.file, status: r.status, rows: r.rows, problems: r.rejected.length }));
    finishRun(db, runId, failed ? 'failed' : 'ok', counts, { files, ...extra }, at);
    appendAudit(db, { actor: options.actor, action: 'focus.import', subject: `sync_run:${runId}`, detail: { ...counts, files, ...extra } }, at);
  }).immediate();
}

async function hashFile(path: string): Promise<string> {
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

interface WrittenFile {
  fileId: number;
  focusVersion: FocusVersion;
  rows: number;
  skipped: FocusRowProblem[];
  totals: CurrencyTotal[];
}

/** Streams one file into the open transaction. Throws FileRejected (or another error) to have it rolled back. */
async function writeFile(
  db: Database,
  path: string,
  sha256: string,
  runId: number,
  at: string,
  tagKeys: TagKeys,
  options: ImportFocusOptions,
  progress: (rows: number, bytesRead: number) => void,
): Promise<WrittenFile> {
  const fileId = Number(db.prepare('INSERT INTO spend_files (path, sha256, focus_version, rows, imported_at, sync_run_id) VALUES (?, ?, ?, 0, ?, ?)').run(path, sha256, '1.0', at, runId).lastInsertRowid);
  const firstItemId = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM spend_line_items').get() as { id: number }).id + 1;
  const inserter = new BatchInserter(db);
  const problems: FocusRowProblem[] = [];
  const skipped: FocusRowProblem[] = [];
  let columns: FocusColumnIndex | null = null;
  let headerLength = 0;
  let focusVersion: FocusVersion = '1.0';
  let rows = 0;
  const values: (string | number | null)[] = [];

  const reader = new CsvReader((fields, line) => {
    if (columns === null) {
      const header = fields.map((name, i) => (i === 0 && name.charCodeAt(0) === 0xfeff ? name.slice(1) : name));
      const present = new Set(header);
      focusVersion = detectFocusVersion(present);
      const missing = missingMandatoryColumns(present, focusVersion);
      if (missing.length > 0) throw new FileRejected(missing.map((column) => ({ line, column, reason: `missing mandatory column ${column} (FOCUS ${focusVersion})` })));
      columns = indexColumns(header);
      headerLength = header.length;
      return;
    }
    let problem: FocusRowProblem | null = null;
    if (fields.length !== headerLength) {
      problem = { line, column: null, reason: `has ${fields.length} fields; the header has ${headerLength}` };
    } else {
      const before = values.length;
      try {
        readLineItem(fields, columns, tagKeys, fileId, line, values);
      } catch (err) {
        if (!(err instanceof FocusValueError)) throw err;
        values.length = before;
        problem = { line, column: err.column, reason: err.reason };
      }
    }
    if (problem) {
      if (options.skipBadRows) {
        skipped.push(problem);
        return;
      }
      problems.push(problem);
      if (problems.length >= MAX_PROBLEMS) throw new FileRejected(problems);
      return;
    }
    rows++;
    // Once a row is bad the file will be rolled back: keep checking rows, stop writing them.
    if (problems.length > 0) values.length = 0;
    else if (values.length >= BATCH_ROWS * LINE_ITEM_COLUMNS.length) inserter.flush(values);
  });

  const fileStream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gzip = isGzip(path);
  const source: Readable = gzip ? fileStream.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : fileStream;
  if (gzip) fileStream.on('error', (err) => source.destroy(err));
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    for await (const chunk of source) {
      if (options.signal?.aborted) throw new ImportCancelledError();
      let text: string;
      try {
        text = decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        throw new FileRejected([{ line: null, column: null, reason: 'the file is not UTF-8 text' }]);
      }
      reader.push(text);
      progress(rows, fileStream.bytesRead);
    }
    reader.push(decoder.decode());
    reader.end();
  } catch (err) {
    fileStream.destroy();
    if (err instanceof FileRejected || err instanceof ImportCancelledError) throw err;
    if (err instanceof CsvSyntaxError) throw new FileRejected([...problems, { line: err.line, column: null, reason: err.reason }]);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') throw new FileRejected([{ line: null, column: null, reason: 'the gzip data ends early: the file is truncated (an interrupted download or copy?); nothing from it was imported' }]);
    if (typeof code === 'string' && code.startsWith('Z_')) throw new FileRejected([{ line: null, column: null, reason: `the gzip data is corrupt (${(err as Error).message})` }]);
    throw err;
  }
  if (columns === null) throw new FileRejected([{ line: 1, column: null, reason: 'the file is empty: a FOCUS file starts with a header line' }]);
  if (problems.length > 0) throw new FileRejected(problems);
  inserter.flush(values);
  if (rows === 0 && skipped.length === 0) throw new FileRejected([{ line: 2, column: null, reason: 'the file has a header but no rows' }]);
  progress(rows, fileStream.bytesRead);

  rollUpLineItems(db, firstItemId);
  const totals = (
    db
      .prepare('SELECT billing_currency AS currency, SUM(billed_cost) AS billedCost, SUM(effective_cost) AS effectiveCost FROM spend_line_items WHERE id >= ? GROUP BY billing_currency ORDER BY billing_currency')
      .all(firstItemId) as CurrencyTotal[]
  ).map((t) => ({ currency: t.currency, billedCost: t.billedCost, effectiveCost: t.effectiveCost }));
  db.prepare('UPDATE spend_files SET focus_version = ?, rows = ?, totals_json = ? WHERE id = ?').run(focusVersion, rows, JSON.stringify(totals), fileId);
  return { fileId, focusVersion, rows, skipped, totals };
}

/** Multi-row INSERTs of line items: one prepared statement for full batches, one built for the remainder. */
class BatchInserter {
  private readonly full: Statement;
  constructor(private readonly db: Database) {
    this.full = db.prepare(insertSql(BATCH_ROWS));
  }

  /** Writes every complete row in `values` and empties it. */
  flush(values: (string | number | null)[]): void {
    const width = LINE_ITEM_COLUMNS.length;
    const batchValues = BATCH_ROWS * width;
    let offset = 0;
    while (values.length - offset >= batchValues) {
      this.full.run(values.slice(offset, offset + batchValues));
      offset += batchValues;
    }
    const rest = (values.length - offset) / width;
    if (rest > 0) this.db.prepare(insertSql(rest)).run(values.slice(offset));
    values.length = 0;
  }
}

function insertSql(rows: number): string {
  const one = `(${LINE_ITEM_COLUMNS.map(() => '?').join(',')})`;
  return `INSERT INTO spend_line_items (${LINE_ITEM_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(',')}`;
}
