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
 * `auditPageScanner` is self-contained (no reference outside its own body), because it is also run
 * in worker threads from its source text.
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

/**
 * Rows per page (a page is assembled in one buffer, copied to JS): 256 measured best among 128, 256
 * and 512 on the 1,000,000-row benchmark once the pages no longer kept their joined text alive.
 */
export const AUDIT_PAGE_SIZE = 256;

/** Checks seqs from..to, a page of `pageSize` at a time; pages in seq order, windows without rows skipped. */
export type AuditPageScan = (from: number, to: number, pageSize: number) => AuditPage[];

/** Checks seqs from..to of the log, a page at a time (see auditPageScanner). */
export function scanAuditPages(db: Database, from: number, to: number, pageSize: number, sha256Hex: (bytes: Uint8Array) => string): AuditPage[] {
  return auditPageScanner(db, sha256Hex)(from, to, pageSize);
}

/**
 * The page scan over `db`, with its statements prepared once: a thread scans its share of a long
 * log chunk by chunk, and preparing the page query (a long expression) for every chunk cost about
 * 2 % of `docket audit verify` on each thread.
 */
export function auditPageScanner(db: Database, sha256Hex: (bytes: Uint8Array) => string): AuditPageScan {
  // concat() builds each entry in one allocation (a chain of || copies it once per operator). It
  // reads NULL as '' where || gives NULL, so a prev_hash or detail_json that is not text makes the
  // page odd below; json_quote writes NULL as null, as canonicalize does.
  const body =
    `concat(prev_hash, '{"action":', json_quote(action), ',"actor":', json_quote(actor), ',"at":', json_quote(at), ` +
    `',"detail":', detail_json, ',"seq":', seq, ',"subject":', json_quote(subject), '}')`;
  // Each expression here runs once per entry, and SQLite's per-row work is most of the scan's cost,
  // so the query asks for little: no min/max of seq (a full window needs none), and one minimum over
  // the column types ('text' is the largest type name, so the minimum is 'text' only if every value
  // is text). Which entries are decisions is read from the assembled bytes below, not with a LIKE
  // per row in SQL.
  const page = db
    .prepare(
      `SELECT count(*), CAST(group_concat(${body}, '\x1e') AS BLOB), group_concat(hash, ','), group_concat(prev_hash, ','),
         min(min(typeof(hash), typeof(prev_hash), typeof(detail_json)))
       FROM audit_log WHERE seq BETWEEN ? AND ?`,
    )
    .raw(true);
  const bounds = db.prepare('SELECT count(*), min(seq), max(seq) FROM audit_log WHERE seq BETWEEN ? AND ?').raw(true);
  const nextSeq = db.prepare('SELECT min(seq) FROM audit_log WHERE seq > ? AND seq <= ?').pluck(true);
  // In a clean page every entry's bytes are prev_hash (64 characters: the page's prev_hash check
  // pins the first, the chain the others), then '{"action":"', then the action as json_quote wrote
  // it. The prefixes below are plain ASCII, which json_quote copies as they are, so comparing them
  // there with ASCII case folded is what SQLite's LIKE 'decision.%' does on the column.
  const ACTION_AT = 64 + '{"action":"'.length;
  const DECISION = [...'decision.'].map((c) => c.charCodeAt(0));
  const SUNSET = [...'sunset.decision.'].map((c) => c.charCodeAt(0));
  /** Whether `bytes` from `at` (up to `end`) start with the lower-case ASCII `prefix`, case ignored. */
  const startsWithFolded = (bytes: Uint8Array, at: number, end: number, prefix: number[]) => {
    if (at + prefix.length > end) return false;
    for (let j = 0; j < prefix.length; j++) {
      const c = bytes[at + j]!;
      if ((c >= 65 && c <= 90 ? c + 32 : c) !== prefix[j]) return false;
    }
    return true;
  };
  return (from, to, pageSize) => {
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
      const [n, blob, hashes, prevs, types] = row as [number, Uint8Array | null, string | null, string | null, string | null];
      if (n === 0) {
        const next = nextSeq.get(end, to) as number | null;
        if (next === null || next === undefined) break;
        start = next;
        continue;
      }
      // Seq is the rowid: a window holding as many rows as it has seqs holds each of them once.
      let lo = start;
      let hi = end;
      if (n !== end - start + 1) [, lo, hi] = bounds.get(start, end) as [number, number, number];
      // Hashes and prev_hashes are joined with commas, which no hex digest holds: equal joins mean
      // equal values row by row. (A BLOB in a quoted column makes the query fail: handled above.)
      let ok = types === 'text' && hi - lo + 1 === n && blob !== null && typeof hashes === 'string' && typeof prevs === 'string';
      let firstPrev = '';
      let lastHash = '';
      let decisions: number[] = [];
      let sunsets: number[] = [];
      if (ok) {
        const bytes = blob!;
        const { buffer, byteOffset } = bytes;
        const digests = new Array<string>(n);
        let off = 0;
        for (let i = 0; i < n; i++) {
          let stop = bytes.indexOf(30, off);
          if (stop < 0) stop = bytes.length;
          digests[i] = sha256Hex(new Uint8Array(buffer, byteOffset + off, Math.max(0, stop - off)));
          // Read as if the page were clean; dropped below if it is not.
          const at = off + ACTION_AT;
          const first = bytes[at];
          if ((first === 100 || first === 68) && startsWithFolded(bytes, at, stop, DECISION)) decisions.push(lo + i);
          else if ((first === 115 || first === 83) && startsWithFolded(bytes, at, stop, SUNSET)) sunsets.push(lo + i);
          off = stop + 1;
        }
        // Every byte used (no separator inside an entry), each row's bytes hash to its hash, and each
        // prev_hash after the first is the hash of the row before it.
        ok = off === bytes.length + 1 && digests.join(',') === hashes && prevs === (n > 1 ? `${prevs!.slice(0, 64)},${hashes!.slice(0, -65)}` : prevs!.slice(0, 64));
        if (ok) {
          // Fresh strings, not slices: a V8 slice keeps its whole parent (the page's joined hashes)
          // alive, which for a million rows is 130 MB the garbage collector copies around.
          firstPrev = Buffer.from(prevs!.slice(0, 64), 'utf16le').toString('utf16le');
          lastHash = digests[n - 1]!;
        } else {
          decisions = [];
          sunsets = [];
        }
      }
      pages.push({ lo, hi, n, ok, firstPrev, lastHash, decisions, sunsets });
      start = end + 1;
    }
    return pages;
  };
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

/** A thread's share of the fast pass: the chunks it claimed, each with its pages. */
export interface ScannedChunk {
  chunk: number;
  pages: AuditPage[];
}

/** How the seq range is cut into chunks that threads claim one at a time. */
export interface ChunkPlan {
  min: number;
  max: number;
  chunkRows: number;
  pageSize: number;
}

/**
 * Claims chunks until none is left and scans each: chunk k is seqs min + k·chunkRows onwards.
 * Every thread runs this loop against one shared counter, so the work is split by how fast each
 * thread really goes (a worker starts late, a core is shared) rather than fixed up front. Self-
 * contained (the scan is passed in) because workers run it from its source text.
 */
export function scanClaimedChunks(plan: ChunkPlan, claim: () => number, scan: AuditPageScan): ScannedChunk[] {
  const chunks = Math.ceil((plan.max - plan.min + 1) / plan.chunkRows);
  const done: ScannedChunk[] = [];
  for (let k = claim(); k < chunks; k = claim()) {
    const from = plan.min + k * plan.chunkRows;
    done.push({ chunk: k, pages: scan(from, Math.min(plan.max, from + plan.chunkRows - 1), plan.pageSize) });
  }
  return done;
}

/**
 * The source run by each worker: opens the database read-only and claims chunks like the calling
 * thread. Built from the functions' own text, so nothing here may refer to anything outside them.
 */
const WORKER_SOURCE = `
var __name = function (f) { return f; };
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const auditPageScanner = (${auditPageScanner.toString()});
const scanClaimedChunks = (${scanClaimedChunks.toString()});
const sha256HexFn = (${sha256HexFn.toString()});
const counter = new Int32Array(workerData.counter);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.exec('BEGIN');
  const chunks = scanClaimedChunks(workerData.plan, () => Atomics.add(counter, 0, 1), auditPageScanner(db, sha256HexFn(require('node:crypto'))));
  db.exec('COMMIT');
  parentPort.postMessage({ chunks });
} catch (err) {
  parentPort.postMessage({ error: String(err && err.stack || err) });
} finally {
  if (db) db.close();
}
`;

// The scans read through SQLite's page cache, not a memory map: with the file mapped, page faults
// while scanning and the unmapping after it cost more than the copies they save (measured on the
// 1,000,000-row benchmark, 2 cores: 1.66 s against 1.81 s for the whole `docket audit verify`).

/** Pages per claimed chunk: ~2,000 rows, a few milliseconds, so no thread waits long for the last. */
const CHUNK_PAGES = 8;

/** At most this many chunks, however far apart the first and last seq are. */
const MAX_CHUNKS = 4096;

function resolveSqlite(): string {
  try {
    // The bundled CLI and tests resolve it beside the code; the worker then loads that very file.
    return createRequire(typeof __filename === 'string' ? __filename : `${process.cwd()}/`).resolve('better-sqlite3');
  } catch {
    return 'better-sqlite3';
  }
}

export interface ParallelScanOptions {
  pageSize?: number;
  /** Pages per claimed chunk (default CHUNK_PAGES). */
  chunkPages?: number;
  /** false: only the workers claim chunks (tests of the worker path); this thread still scans what they leave. */
  claimHere?: boolean;
}

/**
 * The fast pass over [min, max] by this thread (through `db`) and `threads - 1` worker threads, each
 * worker with its own read-only connection to the database file. All of them claim chunks from one
 * shared counter, this thread while the workers are still starting. A chunk a worker claimed but did
 * not return (it could not start, or failed) is scanned here afterwards: the threads are an
 * optimization, never a requirement, and the pages are the same either way.
 */
export async function scanAuditPagesParallel(db: Database, bounds: { min: number; max: number }, threads: number, options: ParallelScanOptions = {}): Promise<{ pages: AuditPage[]; workers: number }> {
  const pageSize = options.pageSize ?? AUDIT_PAGE_SIZE;
  // Seqs are dense in a real log; for a sparse one (a row far beyond the end) the chunks grow, so
  // that the empty stretches between rows do not become millions of empty chunks.
  const span = bounds.max - bounds.min + 1;
  const chunkRows = pageSize * Math.max(options.chunkPages ?? CHUNK_PAGES, Math.ceil(span / MAX_CHUNKS / pageSize));
  const plan: ChunkPlan = { min: bounds.min, max: bounds.max, chunkRows, pageSize };
  const chunkCount = Math.ceil(span / chunkRows);
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const claim = () => Atomics.add(counter, 0, 1);
  const sqlite = resolveSqlite();
  const sha256Hex = sha256HexFn(crypto);
  const here = (claimNext: () => number) => db.transaction(() => scanClaimedChunks(plan, claimNext, auditPageScanner(db, sha256Hex)))();
  const inWorker = () =>
    new Promise<ScannedChunk[] | null>((done) => {
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { path: db.name, sqlite, plan, counter: counter.buffer },
          resourceLimits: { maxYoungGenerationSizeMb: 64 },
        });
      } catch {
        done(null);
        return;
      }
      let settled = false;
      const settle = (value: ScannedChunk[] | null) => {
        if (settled) return;
        settled = true;
        done(value);
      };
      worker.once('message', (m: { chunks?: ScannedChunk[]; error?: string }) => settle(m.chunks ?? null));
      worker.once('error', () => settle(null));
      worker.once('exit', () => settle(null));
    });
  // Workers first, so they boot while this thread is already scanning.
  const pending = Array.from({ length: Math.max(0, threads - 1) }, inWorker);
  const mine = options.claimHere === false ? [] : here(claim);
  const theirs = await Promise.all(pending);
  const byChunk = new Array<AuditPage[] | undefined>(chunkCount);
  for (const c of [...mine, ...theirs.flatMap((t) => t ?? [])]) byChunk[c.chunk] = c.pages;
  const missing = [...byChunk.keys()].filter((k) => byChunk[k] === undefined);
  if (missing.length > 0) {
    let next = 0;
    for (const c of here(() => (next < missing.length ? missing[next++]! : chunkCount))) byChunk[c.chunk] = c.pages;
  }
  return { pages: byChunk.flatMap((pages) => pages!), workers: theirs.filter((t) => t !== null).length };
}
