import type { Database } from 'better-sqlite3';
import * as crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The fast first pass of audit verification: the log is read in pages of consecutive seqs, and for
 * each page SQLite assembles every entry's hashed bytes (prev_hash followed by the canonical body:
 * `{"action":…,"actor":…,"at":…,"detail":<detail_json>,"seq":…,"subject":…}`) with the stored
 * detail_json as it is. Since appendAudit stores the detail as its canonical JSON, those are exactly
 * the bytes that were hashed. A page is "clean" when, for every row, sha256 of those bytes is the
 * stored hash, every prev_hash is the hash of the row before it in the page, and the seqs are
 * consecutive. That is only a filter: any page that is not clean (a changed row, a legacy row whose
 * detail_json is not canonical, a gap, an odd column type…) is checked again row by row by the exact
 * verifier, which names the entry and the reason. Why a clean page is sound: the assembled bytes
 * are a JSON text in which every field is self-delimiting (string literals from json_quote, a JSON
 * value for the detail, the seq written by SQLite), so if they hash to the stored hash they are, byte
 * for byte, the canonical body that was hashed when the entry was written, and every column holds
 * what it held then (RFC 8785 serialization is idempotent: re-canonicalizing a canonical detail
 * gives the same text, so the exact verifier would agree).
 *
 * `scanAuditPages` is self-contained (no reference outside its own body), because it is also run in
 * worker threads from its source text.
 */

/** A page as the fast pass found it; `ok` false means: verify rows lo..hi one by one. */
export interface AuditPage {
  lo: number;
  hi: number;
  n: number;
  ok: boolean;
  /** prev_hash of the page's first row and hash of its last (when ok). */
  firstPrev: string;
  lastHash: string;
  /** Seqs in the page whose action is LIKE 'decision.%' / 'sunset.decision.%' (when ok). */
  decisions: number[];
  sunsets: number[];
}

/** Rows per page: measured best among 64–1000 (a page is assembled in one buffer, copied to JS). */
export const AUDIT_PAGE_SIZE = 128;

/** Checks the windows [from, to] of seqs, a page at a time; pages in seq order, windows without rows skipped. */
export function scanAuditPages(db: Database, from: number, to: number, pageSize: number, sha256Hex: (bytes: Uint8Array) => string): AuditPage[] {
  const body =
    `prev_hash || '{"action":' || json_quote(action) || ',"actor":' || json_quote(actor) || ',"at":' || json_quote(at) || ` +
    `',"detail":' || detail_json || ',"seq":' || seq || ',"subject":' || json_quote(subject) || '}'`;
  const page = db
    .prepare(
      `SELECT count(*), min(seq), max(seq), CAST(group_concat(${body}, char(30)) AS BLOB), group_concat(hash, ','), group_concat(prev_hash, ','),
         group_concat(CASE WHEN action LIKE 'decision.%' THEN seq END), group_concat(CASE WHEN action LIKE 'sunset.decision.%' THEN seq END),
         sum(typeof(hash) <> 'text' OR typeof(prev_hash) <> 'text')
       FROM audit_log WHERE seq BETWEEN ? AND ?`,
    )
    .raw(true);
  const bounds = db.prepare('SELECT count(*), min(seq), max(seq) FROM audit_log WHERE seq BETWEEN ? AND ?').raw(true);
  const nextSeq = db.prepare('SELECT min(seq) FROM audit_log WHERE seq > ? AND seq <= ?').pluck(true);
  const seqs = (list: unknown) => (typeof list === 'string' && list.length > 0 ? list.split(',').map(Number) : []);
  const pages: AuditPage[] = [];
  let start = from;
  while (start <= to) {
    const end = Math.min(to, start + pageSize - 1);
    let row: unknown[];
    try {
      row = page.get(start, end) as unknown[];
    } catch {
      // A column SQLite cannot quote (a BLOB where text belongs): the exact verifier says what.
      const [n, lo, hi] = bounds.get(start, end) as [number, number, number];
      if (n > 0) pages.push({ lo, hi, n, ok: false, firstPrev: '', lastHash: '', decisions: [], sunsets: [] });
      start = end + 1;
      continue;
    }
    const [n, lo, hi, blob, hashes, prevs, decisions, sunsets, odd] = row as [number, number, number, Uint8Array | null, string | null, string | null, string | null, string | null, number | null];
    if (n === 0) {
      const next = nextSeq.get(end, to) as number | null;
      if (next === null || next === undefined) break;
      start = next;
      continue;
    }
    // Hashes and prev_hashes are joined with commas, which no hex digest holds: equal joins mean
    // equal values row by row. (A BLOB in a quoted column makes the query fail: handled above.)
    let ok = odd === 0 && hi - lo + 1 === n && blob !== null && typeof hashes === 'string' && typeof prevs === 'string';
    if (ok) {
      const bytes = blob!;
      const { buffer, byteOffset } = bytes;
      const digests = new Array<string>(n);
      let off = 0;
      for (let i = 0; i < n; i++) {
        let stop = bytes.indexOf(30, off);
        if (stop < 0) stop = bytes.length;
        digests[i] = sha256Hex(new Uint8Array(buffer, byteOffset + off, stop - off));
        off = stop + 1;
      }
      // Every byte used (no separator inside an entry), each row's bytes hash to its hash, and each
      // prev_hash after the first is the hash of the row before it.
      ok = off === bytes.length + 1 && digests.join(',') === hashes && prevs === (n > 1 ? `${prevs!.slice(0, 64)},${hashes!.slice(0, -65)}` : prevs!.slice(0, 64));
    }
    pages.push({
      lo,
      hi,
      n,
      ok,
      firstPrev: ok ? prevs!.slice(0, 64) : '',
      lastHash: ok ? hashes!.slice(-64) : '',
      decisions: ok ? seqs(decisions) : [],
      sunsets: ok ? seqs(sunsets) : [],
    });
    start = end + 1;
  }
  return pages;
}

type Sha256Hex = (bytes: Uint8Array) => string;

/** node:crypto's one-shot hash where there is one (Node >= 20.12), else createHash. */
export function sha256HexFn(crypto: typeof import('node:crypto')): Sha256Hex {
  const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: 'hex') => string }).hash;
  if (typeof oneShot === 'function') return (bytes) => oneShot('sha256', bytes, 'hex');
  return (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The seq range of the log, or null when it is empty. */
export function auditSeqBounds(db: Database): { min: number; max: number } | null {
  // Two statements: SQLite answers each from the end of the table, but not both in one.
  const min = db.prepare('SELECT min(seq) FROM audit_log').pluck(true).get() as number | null;
  const max = db.prepare('SELECT max(seq) FROM audit_log').pluck(true).get() as number | null;
  return min === null || max === null ? null : { min, max };
}

/**
 * The source run by each worker: opens the database read-only and scans its window. Built from
 * the functions' own text, so nothing here may refer to anything outside them.
 */
const WORKER_SOURCE = `
var __name = function (f) { return f; };
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const scanAuditPages = (${scanAuditPages.toString()});
const sha256HexFn = (${sha256HexFn.toString()});
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('mmap_size = ' + workerData.mmap);
  db.exec('BEGIN');
  const pages = scanAuditPages(db, workerData.from, workerData.to, workerData.pageSize, sha256HexFn(require('node:crypto')));
  db.exec('COMMIT');
  parentPort.postMessage({ pages });
} catch (err) {
  parentPort.postMessage({ error: String(err && err.stack || err) });
} finally {
  if (db) db.close();
}
`;

/** How much of the file a scanning connection may map (SQLite caps it at its compile-time maximum). */
const SCAN_MMAP_BYTES = 0x7fff0000;

function resolveSqlite(): string {
  try {
    // The bundled CLI and tests resolve it beside the code; the worker then loads that very file.
    return createRequire(typeof __filename === 'string' ? __filename : `${process.cwd()}/`).resolve('better-sqlite3');
  } catch {
    return 'better-sqlite3';
  }
}

/**
 * The fast pass over [min, max] split into `threads` windows: this thread scans the first (through
 * `db`), worker threads the others, each with its own read-only connection to the database file.
 * A window whose worker cannot run is scanned here instead: the threads are an optimization, never
 * a requirement, and the pages are the same either way.
 */
export async function scanAuditPagesParallel(db: Database, bounds: { min: number; max: number }, threads: number, pageSize = AUDIT_PAGE_SIZE): Promise<{ pages: AuditPage[]; workers: number }> {
  const span = bounds.max - bounds.min + 1;
  const per = Math.ceil(span / threads / pageSize) * pageSize;
  const windows: { from: number; to: number }[] = [];
  for (let from = bounds.min; from <= bounds.max; from += per) windows.push({ from, to: Math.min(bounds.max, from + per - 1) });
  const sqlite = resolveSqlite();
  const sha256Hex = sha256HexFn(crypto);
  const here = (w: { from: number; to: number }) => {
    // Memory-mapped reads for the scan (a fifth less CPU), then the connection as it was.
    const mmapBefore = db.pragma('mmap_size', { simple: true }) as number;
    db.pragma(`mmap_size = ${SCAN_MMAP_BYTES}`);
    try {
      return db.transaction(() => scanAuditPages(db, w.from, w.to, pageSize, sha256Hex))();
    } finally {
      db.pragma(`mmap_size = ${mmapBefore}`);
    }
  };
  const inWorker = (w: { from: number; to: number }) =>
    new Promise<AuditPage[] | null>((done) => {
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: db.name, sqlite, from: w.from, to: w.to, pageSize, mmap: SCAN_MMAP_BYTES }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      } catch {
        done(null);
        return;
      }
      let settled = false;
      const settle = (value: AuditPage[] | null) => {
        if (settled) return;
        settled = true;
        done(value);
      };
      worker.once('message', (m: { pages?: AuditPage[]; error?: string }) => settle(m.pages ?? null));
      worker.once('error', () => settle(null));
      worker.once('exit', () => settle(null));
    });
  const pending = windows.slice(1).map(inWorker);
  const first = windows.length > 0 ? here(windows[0]!) : [];
  const rest = await Promise.all(pending);
  return { pages: [first, ...rest.map((pages, i) => pages ?? here(windows[i + 1]!))].flat(), workers: rest.filter((r) => r !== null).length };
}
