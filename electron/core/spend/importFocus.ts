import { createHash, randomUUID } from 'node:crypto';
import { startWorkerScript, workerScriptBeside } from '../workerScripts';
import { createReadStream } from 'node:fs';
import type { Database } from 'better-sqlite3';

import { collectInputFiles } from '../collectInputFiles';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import { isDiskFull, StoreFullError, type Store } from '../store/openStore';
import { finishRun, startRun } from '../store/syncRuns';
import type { FocusVersion } from './focusSchema';
import type { TagKeys } from './focusRow';
import { hasAttributionRules, rollUpLineItems } from './attribution';
import { writeDailyGroups } from './dailyRollup';
import { parseFocusCsv, ParseCancelled, type FocusParseOutcome, type FocusParseRequest } from './focusParse';
import type { FocusRowProblem } from './focusRecords';
import { LineItemInserter, type CurrencyTotal, type LineItemBatch } from './lineItemBatch';
import type { ParseWorkerMessage } from './focusParseWorker';

export type { FocusRowProblem } from './focusRecords';
export type { CurrencyTotal } from './lineItemBatch';

export interface FocusFileResult {
  file: string;
  /** imported: written now; unchanged: the same bytes (sha256) were imported before; rejected: nothing written. */
  status: 'imported' | 'unchanged' | 'rejected';
  focusVersion: FocusVersion | null;
  /** Line items stored from this file (for an unchanged file, those stored when it was first imported). */
  rows: number;
  /** Why the file was refused, or with skipBadRows the rows that were skipped. */
  rejected: FocusRowProblem[];
  /** Per currency, summed as SQLite's sum() does (Kahan-Babuska-Neumaier) over the stored line items' values. */
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
  accept: (name: string) => /\.(csv|csv\.gz|parquet)$/i.test(name),
  nothingFound: 'no FOCUS file (*.csv, *.csv.gz, *.parquet) found',
};

const CHUNK_BYTES = 1 << 20;
/** Page cache while a file is imported, in KiB (negative: SQLite's unit for a size rather than a page count). */
const IMPORT_CACHE_KIB = -65_536;

interface WrittenFile {
  fileId: number;
  sha256: string;
  focusVersion: FocusVersion;
  rows: number;
  skipped: FocusRowProblem[];
  totals: CurrencyTotal[];
}

/** What became of one file's write transaction; only 'written' is to be committed. */
type FileOutcome = { kind: 'written'; file: WrittenFile } | { kind: 'unchanged'; sha256: string } | { kind: 'rejected'; problems: FocusRowProblem[] };

/**
 * Imports FOCUS cost and usage files (CSV or gzip CSV), each file all or nothing in its own transaction:
 * the file is streamed (bounded memory) through a parse worker that checks its rows, while this thread
 * inserts them in the open transaction and then writes the daily rollup. Files already imported (same
 * sha256, known only once the file has been read) are rolled back and left as they were.
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
    // The sha256 comes out of the same read as the rows; but a path imported before is most likely the
    // same file again, and hashing it first (one fast read) spares parsing and rolling it all back.
    if (db.prepare('SELECT 1 FROM spend_files WHERE path = ?').get(file.path)) {
      const existing = alreadyImported(db, await hashFile(file.path));
      if (existing) {
        results.push({ file: file.path, status: 'unchanged', focusVersion: existing.focus_version, rows: existing.rows, rejected: [], totals: JSON.parse(existing.totals_json) as CurrencyTotal[] });
        continue;
      }
    }
    const runExisted = runId !== null;
    const request: FocusParseRequest = { path: file.path, tagKeys, skipBadRows: options.skipBadRows ?? false };
    const progress = (rows: number, bytesRead: number) => options.onProgress?.({ file: file.path, fileIndex, files: files.length, rows, bytesRead, totalBytes: file.size });
    let outcome: FileOutcome;
    try {
      outcome = await inImportTransaction(db, async () => {
        const result = await writeFile(db, request, ensureRun(), at, progress, options.signal);
        if (result.kind === 'written') {
          const written = result.file;
          appendAudit(
            db,
            { actor: options.actor, action: 'focus.imported', subject: `spend_file:${written.fileId}`, detail: { file: file.path, sha256: written.sha256, focusVersion: written.focusVersion, rows: written.rows, skipped: written.skipped.length, totals: written.totals, syncRunId: runId } },
            at,
          );
        }
        return result;
      });
    } catch (err) {
      if (!runExisted) runId = null;
      if (err instanceof ImportCancelledError) {
        finish(db, ensureRunInTransaction(db, ensureRun), results, options, at, { cancelled: file.path });
        throw err;
      }
      outcome = { kind: 'rejected', problems: [{ line: null, column: null, reason: (err as Error).message }] };
    }
    if (outcome.kind === 'written') {
      const w = outcome.file;
      results.push({ file: file.path, status: 'imported', focusVersion: w.focusVersion, rows: w.rows, rejected: w.skipped, totals: w.totals });
      continue;
    }
    if (!runExisted) runId = null;
    // A file that fails now may still be one imported before (say, with skipBadRows): that is no change.
    const sha256 = outcome.kind === 'unchanged' ? outcome.sha256 : await hashFile(file.path).catch(() => null);
    const existing = sha256 === null ? undefined : alreadyImported(db, sha256);
    if (existing) {
      results.push({ file: file.path, status: 'unchanged', focusVersion: existing.focus_version, rows: existing.rows, rejected: [], totals: JSON.parse(existing.totals_json) as CurrencyTotal[] });
      continue;
    }
    const problems = outcome.kind === 'rejected' ? outcome.problems : [{ line: null, column: null, reason: 'the file changed while it was read' }];
    results.push({ file: file.path, status: 'rejected', focusVersion: null, rows: 0, rejected: problems, totals: [] });
    db.transaction(() => {
      const id = ensureRun();
      appendAudit(db, { actor: options.actor, action: 'focus.import.rejected', subject: `sync_run:${id}`, detail: { file: file.path, sha256, problems } }, at);
    }).immediate();
  }
  const syncRunId = ensureRunInTransaction(db, ensureRun);
  finish(db, syncRunId, results, options, at, {});
  return { files: results, syncRunId };
}

/**
 * Runs `work` in a write transaction set up for a bulk import, committing only a 'written' outcome.
 * Foreign keys are off meanwhile: the only references written are to rows the same transaction has
 * just inserted (the file and the run), and checking one per line item was a fifth of the insert cost.
 */
async function inImportTransaction(db: Database, work: () => Promise<FileOutcome>): Promise<FileOutcome> {
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  // A big file's pages stay in memory until commit instead of spilling (64 MB; the default is 2 MB).
  db.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  try {
    const outcome = await work();
    db.exec(outcome.kind === 'written' ? 'COMMIT' : 'ROLLBACK');
    return outcome;
  } catch (err) {
    // This transaction is begun by hand (it spans awaits), so it is not one of the db.transaction
    // calls the store turns a full disk into a StoreFullError for: the same error, said here.
    throw isDiskFull(err) ? new StoreFullError(db.name, err) : err;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

function alreadyImported(db: Database, sha256: string): { rows: number; focus_version: FocusVersion; totals_json: string } | undefined {
  return db.prepare('SELECT rows, focus_version, totals_json FROM spend_files WHERE sha256 = ?').get(sha256) as { rows: number; focus_version: FocusVersion; totals_json: string } | undefined;
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

/** Streams one file into the open transaction. Throws ImportCancelledError (or another error) to have it rolled back. */
async function writeFile(db: Database, request: FocusParseRequest, runId: number, at: string, progress: (rows: number, bytesRead: number) => void, signal: AbortSignal | undefined): Promise<FileOutcome> {
  // The real sha256 is known once the file has been read; until then a unique stand-in holds the column.
  const fileId = Number(db.prepare('INSERT INTO spend_files (path, sha256, focus_version, rows, imported_at, sync_run_id) VALUES (?, ?, ?, 0, ?, ?)').run(request.path, `pending:${randomUUID()}`, '1.0', at, runId).lastInsertRowid);
  const firstItemId = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM spend_line_items_coded').get() as { id: number }).id + 1;
  const inserter = new LineItemInserter(db, fileId);
  const parsed = await parseFocusFile(
    request,
    (batch, rows, bytesRead) => {
      inserter.write(batch);
      progress(rows, bytesRead);
    },
    signal,
  );
  if (parsed.kind === 'rejected') return { kind: 'rejected', problems: parsed.problems };
  if (alreadyImported(db, parsed.sha256)) return { kind: 'unchanged', sha256: parsed.sha256 };
  progress(parsed.rows, parsed.bytesRead);
  const { daily, totals } = parsed;
  // Rules attribute by GLOBs over the stored columns: SQL rolls those up; otherwise the rollup built
  // while parsing is the same sums without a GROUP BY over every row.
  if (hasAttributionRules(db)) rollUpLineItems(db, firstItemId);
  else writeDailyGroups(db, daily);
  db.prepare('UPDATE spend_files SET sha256 = ?, focus_version = ?, rows = ?, totals_json = ? WHERE id = ?').run(parsed.sha256, parsed.focusVersion, parsed.rows, JSON.stringify(totals), fileId);
  return { kind: 'written', file: { fileId, sha256: parsed.sha256, focusVersion: parsed.focusVersion, rows: parsed.rows, skipped: parsed.skipped, totals } };
}

type OnBatch = (batch: LineItemBatch, rows: number, bytesRead: number) => void;

/** Parses in the worker when its script was built next to this bundle, else in this thread (unit tests run the sources). */
function parseFocusFile(request: FocusParseRequest, onBatch: OnBatch, signal: AbortSignal | undefined): Promise<FocusParseOutcome> {
  const script = parseWorkerScript();
  if (script) return parseInWorker(script, request, onBatch, signal);
  return parseFocusCsv(request, { onBatch, cancelled: () => signal?.aborted ?? false }).catch((err: unknown) => {
    throw err instanceof ParseCancelled ? new ImportCancelledError() : err;
  });
}

/** DOCKET_FOCUS_PARSE_WORKER: '0' parses in this thread; a path names the worker script (tests build one). */
function parseWorkerScript(): string | null {
  return workerScriptBeside('focusParseWorker', 'DOCKET_FOCUS_PARSE_WORKER');
}

function parseInWorker(script: string, request: FocusParseRequest, onBatch: OnBatch, signal: AbortSignal | undefined): Promise<FocusParseOutcome> {
  return new Promise((resolve, reject) => {
    const worker = startWorkerScript(script, { workerData: { ...request } });
    // The worker hands over a plain CSV's bytes to be hashed here (see FocusParseHooks.rawChunk).
    const hash = createHash('sha256');
    let settled = false;
    const settle = (end: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      void worker.terminate();
      end();
    };
    const cancel = () => settle(() => reject(new ImportCancelledError()));
    if (signal?.aborted) return cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (message: ParseWorkerMessage) => {
      if (settled) return;
      try {
        if (message.type === 'raw') {
          hash.update(message.bytes);
        } else if (message.type === 'batch') {
          onBatch(message.batch, message.rows, message.bytesRead);
          if (signal?.aborted) return cancel();
          worker.postMessage('ack');
        } else if (message.type === 'outcome') {
          const outcome = message.outcome;
          if (outcome.kind === 'parsed' && outcome.sha256 === '') outcome.sha256 = hash.digest('hex');
          settle(() => resolve(outcome));
        } else {
          settle(() => reject(new Error(message.message)));
        }
      } catch (err) {
        settle(() => reject(err as Error));
      }
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the FOCUS parse worker stopped unexpectedly (exit code ${code})`))));
  });
}
