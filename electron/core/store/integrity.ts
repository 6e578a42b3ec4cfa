import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

/**
 * Damage detection for a workspace database, in three layers of increasing cost:
 * 1. the file header (16-byte magic, page size, the header's page count against the file's size),
 * 2. the write-ahead log's header beside it,
 * 3. `PRAGMA quick_check`, which reads every page (~250 ms for 150 MB with a warm cache). It runs
 *    only when the file is not exactly as Docket's last clean close left it (see the clean stamp).
 */

/** The 16 bytes every SQLite 3 database file starts with. */
export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export type DamageKind = 'not-a-database' | 'truncated' | 'malformed' | 'wal-mismatch';

export interface Damage {
  kind: DamageKind;
  detail: string;
}

const KIND_LABEL: Record<DamageKind, string> = {
  'not-a-database': 'file is not a database',
  truncated: 'truncated',
  malformed: 'malformed page',
  'wal-mismatch': 'write-ahead log does not match',
};

/** "truncated: the header promises 120 pages …": the reason as a person reads it. */
export function describeDamage(damage: Damage): string {
  return `${KIND_LABEL[damage.kind]}: ${damage.detail}`;
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The WAL holds frames not yet copied into the main file (so the main file may legitimately lag). */
export function walHasFrames(dbPath: string): boolean {
  return fileSize(`${dbPath}-wal`) > 32;
}

/**
 * Checks the main file's 100-byte header against its size. An empty file is SQLite's way of saying
 * "new database" and passes. The page-count check is skipped while the WAL holds frames: a crash
 * in the middle of a checkpoint can leave a header ahead of the file, and SQLite repairs that from
 * the WAL on the next open.
 */
export function inspectHeader(path: string): Damage | null {
  const size = fileSize(path);
  if (size === 0) return null;
  if (size < 100) return { kind: 'truncated', detail: `the file is only ${size} bytes, shorter than SQLite's 100-byte header` };
  const head = readHead(path, 100);
  if (!head.subarray(0, 16).equals(SQLITE_MAGIC)) {
    return { kind: 'not-a-database', detail: 'it does not start with the SQLite header "SQLite format 3"' };
  }
  const rawPageSize = head.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { kind: 'malformed', detail: `the header names an impossible page size (${rawPageSize})` };
  }
  if (size % pageSize !== 0) {
    return { kind: 'truncated', detail: `the file (${size} bytes) is not a whole number of ${pageSize}-byte pages` };
  }
  const changeCounter = head.readUInt32BE(24);
  const pages = head.readUInt32BE(28);
  const validFor = head.readUInt32BE(92);
  if (pages > 0 && validFor === changeCounter && size < pages * pageSize && !walHasFrames(path)) {
    return { kind: 'truncated', detail: `the header promises ${pages} pages but the file holds ${size / pageSize}` };
  }
  return inspectWal(path, pageSize);
}

/** A WAL whose (checksummed, hence genuine) header names another page size belongs to another database. */
export function inspectWal(dbPath: string, pageSize: number): Damage | null {
  const wal = `${dbPath}-wal`;
  if (fileSize(wal) < 32) return null;
  const head = readHead(wal, 32);
  const magic = head.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return null; // SQLite ignores (and resets) such a log
  const [s1, s2] = walChecksum(head.subarray(0, 24), magic === 0x377f0683);
  if (s1 !== head.readUInt32BE(24) || s2 !== head.readUInt32BE(28)) return null; // a torn header: ignored by SQLite
  const walPageSize = head.readUInt32BE(8);
  if (walPageSize !== pageSize) {
    return { kind: 'wal-mismatch', detail: `${wal} was written for ${walPageSize}-byte pages, the database uses ${pageSize}` };
  }
  return null;
}

/** SQLite's WAL checksum (https://sqlite.org/fileformat.html#checksum_algorithm). */
function walChecksum(data: Buffer, bigEndian: boolean): [number, number] {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s1 = (s1 + x0 + s2) >>> 0;
    s2 = (s2 + x1 + s1) >>> 0;
  }
  return [s1, s2];
}

/** Maps SQLite's own corruption errors to a damage; anything else (a failing migration…) is not damage. */
export function damageFromError(err: unknown): Damage | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const message = (err as Error).message;
  if (code === 'SQLITE_NOTADB') return { kind: 'not-a-database', detail: `SQLite says "${message}"` };
  if (code.startsWith('SQLITE_CORRUPT')) return { kind: 'malformed', detail: message };
  if (code === 'SQLITE_IOERR_SHORT_READ') return { kind: 'truncated', detail: message };
  return null;
}

/** `PRAGMA quick_check`: every page's structure, without cross-checking index contents. */
export function quickCheck(db: Database): Damage | null {
  return runCheck(db, 'quick_check');
}

/** `PRAGMA integrity_check`: quick_check plus every index against its table (slow: seconds per 100 MB). */
export function integrityCheck(db: Database): Damage | null {
  return runCheck(db, 'integrity_check');
}

function runCheck(db: Database, pragma: 'quick_check' | 'integrity_check'): Damage | null {
  try {
    const rows = (db.pragma(`${pragma}(5)`) as Record<string, string>[]).map((r) => Object.values(r)[0]);
    if (rows.length === 1 && rows[0] === 'ok') return null;
    return { kind: 'malformed', detail: rows.join('; ') };
  } catch (err) {
    const damage = damageFromError(err);
    if (damage) return damage;
    throw err;
  }
}

/**
 * The clean stamp: after the last connection closes cleanly, SQLite has checkpointed and deleted the
 * WAL, and Docket records the main file's size and nanosecond mtime in `<db>-clean`. While the file
 * still matches that stamp it is byte-for-byte what a verified, cleanly closed Docket left behind,
 * so the page-reading quick_check is skipped. Anything that touches the file in between (a crash
 * during a checkpoint, a sync tool, a partial copy, a disk error written back, a person with a hex
 * editor) changes size or mtime, and the next open checks every page. Process crashes themselves
 * cannot corrupt a WAL database; they only leave a WAL that SQLite replays.
 * This is independent of `PRAGMA user_version`, and costs one stat() per open.
 */
export function cleanStampPath(dbPath: string): string {
  return `${dbPath}-clean`;
}

interface CleanStamp {
  size: number;
  mtimeNs: string;
}

function currentStamp(dbPath: string): CleanStamp | null {
  try {
    const st = statSync(dbPath, { bigint: true });
    return { size: Number(st.size), mtimeNs: st.mtimeNs.toString() };
  } catch {
    return null;
  }
}

/** Called after closing: records the stamp only if this was the last connection (the WAL is gone). */
export function writeCleanStamp(dbPath: string): void {
  if (existsSync(`${dbPath}-wal`)) return;
  const stamp = currentStamp(dbPath);
  if (!stamp) return;
  try {
    writeFileSync(cleanStampPath(dbPath), `${JSON.stringify(stamp)}\n`);
  } catch {
    /* a missing stamp only means the next open runs quick_check */
  }
}

export function matchesCleanStamp(dbPath: string): boolean {
  try {
    const saved = JSON.parse(readFileSync(cleanStampPath(dbPath), 'utf8')) as CleanStamp;
    const now = currentStamp(dbPath);
    return now !== null && saved.size === now.size && saved.mtimeNs === now.mtimeNs;
  } catch {
    return false;
  }
}

export function clearCleanStamp(dbPath: string): void {
  rmSync(cleanStampPath(dbPath), { force: true });
}
