import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditVerification } from '../../../shared/ipc/contract';
import { AUDIT_PAGE_SIZE, auditSeqBounds, scanAuditPages, sha256HexFn, type AuditPage } from './auditPages';

/** The hash that precedes the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  actor: string;
  action: string;
  subject: string;
  detail: unknown;
}

/** An audit_log row as stored. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

/** The bytes an entry's hash covers: every field except the hashes, in RFC 8785 canonical JSON. */
export function entryHash(prevHash: string, entry: { seq: number; at: string; actor: string; action: string; subject: string; detail: unknown }): string {
  const body = canonicalize({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    detail: entry.detail,
  });
  if (body === undefined) throw new Error('audit entry cannot be canonicalized');
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * The same bytes as entryHash hashes, built around a detail that is already RFC 8785 canonical JSON
 * text: canonicalize sorts the six keys (action < actor < at < detail < seq < subject) and writes
 * strings and numbers with JSON.stringify, so for string fields and an integer seq this is, byte for
 * byte, canonicalize({ seq, at, actor, action, subject, detail: JSON.parse(canonicalDetail) }).
 */
export function entryBody(entry: { seq: number; at: string; actor: string; action: string; subject: string }, canonicalDetail: string): string {
  return `{"action":${JSON.stringify(entry.action)},"actor":${JSON.stringify(entry.actor)},"at":${JSON.stringify(entry.at)},"detail":${canonicalDetail},"seq":${entry.seq},"subject":${JSON.stringify(entry.subject)}}`;
}

/** sha256(prevHash || body) in hex, one shot. */
export function hashBody(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash + body).digest('hex');
}

/**
 * The row appendAudit writes after `head` (null: the first entry). The detail is stored as its
 * RFC 8785 canonical JSON, i.e. exactly the bytes that were hashed, so the verifier can hash the
 * stored text as it is; it is round-tripped through JSON first, so what is hashed is what is
 * stored and later re-read.
 */
export function auditRowAfter(head: { seq: number; hash: string } | null | undefined, event: AuditEvent, at: string): AuditRow {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const detailJson = canonicalize(JSON.parse(JSON.stringify(event.detail ?? null)) as unknown);
  if (detailJson === undefined) throw new Error('audit entry cannot be canonicalized');
  const hash = hashBody(prevHash, entryBody({ seq, at, actor: event.actor, action: event.action, subject: event.subject }, detailJson));
  return { seq, at, actor: event.actor, action: event.action, subject: event.subject, detail_json: detailJson, prev_hash: prevHash, hash };
}

const INSERT_AUDIT = 'INSERT INTO audit_log (seq, at, actor, action, subject, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * Appends to the hash chain. Must be called inside the caller's write transaction, so the entry
 * lands with the change it records or not at all (and two writers cannot fork the chain:
 * SQLite serializes write transactions, and the head is read inside this one).
 */
export function appendAudit(db: Database, event: AuditEvent, at: string): { seq: number; hash: string } {
  if (!db.inTransaction) throw new Error('appendAudit must run inside a write transaction');
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const row = auditRowAfter(head, event, at);
  db.prepare(INSERT_AUDIT).run(row.seq, row.at, row.actor, row.action, row.subject, row.detail_json, row.prev_hash, row.hash);
  return { seq: row.seq, hash: row.hash };
}

/**
 * Appends many events in order, as that many appendAudit calls would (same rows, byte for byte),
 * with the head kept in memory and one prepared statement: for seeding and bulk writers. Must run
 * inside the caller's write transaction, like appendAudit.
 */
export function appendAuditMany(db: Database, events: Iterable<{ event: AuditEvent; at: string }>): { seq: number; hash: string } | null {
  if (!db.inTransaction) throw new Error('appendAuditMany must run inside a write transaction');
  let head = (db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
  const insert = db.prepare(INSERT_AUDIT);
  for (const { event, at } of events) {
    const row = auditRowAfter(head, event, at);
    insert.run(row.seq, row.at, row.actor, row.action, row.subject, row.detail_json, row.prev_hash, row.hash);
    head = { seq: row.seq, hash: row.hash };
  }
  return head;
}

const sha256Hex = sha256HexFn(crypto);

/** The fast pass over the whole log in this thread (see auditPages.ts). */
export function scanAuditLog(db: Database): AuditPage[] {
  const bounds = auditSeqBounds(db);
  return bounds ? scanAuditPages(db, bounds.min, bounds.max, AUDIT_PAGE_SIZE, sha256Hex) : [];
}

/** The rows of seqs lo..hi, for the exact row-by-row checks of a page the fast pass did not clear. */
export function auditRowsBetween(db: Database, lo: number, hi: number): IterableIterator<AuditRow> {
  return db.prepare('SELECT * FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq').iterate(lo, hi) as IterableIterator<AuditRow>;
}

/**
 * Recomputes the whole chain; names the first entry that does not match and why. Pages the fast
 * pass clears are taken whole; any other page is checked row by row exactly as before.
 */
export function verifyAuditChain(db: Database): AuditVerification {
  return db.transaction((): AuditVerification => {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    const fail = (seq: number, reason: string): AuditVerification => ({ ok: false, checked, head: null, firstBadSeq: seq, reason });
    for (const page of scanAuditLog(db)) {
      if (page.ok && page.lo === expectedSeq && page.firstPrev === prevHash) {
        checked += page.n;
        prevHash = page.lastHash;
        expectedSeq = page.hi + 1;
        continue;
      }
      for (const row of auditRowsBetween(db, page.lo, page.hi)) {
        if (row.seq !== expectedSeq) return fail(expectedSeq, `entry ${expectedSeq} is missing (next entry is ${row.seq})`);
        if (row.prev_hash !== prevHash) return fail(row.seq, `entry ${row.seq} does not link to the entry before it`);
        let detail: unknown;
        try {
          detail = JSON.parse(row.detail_json);
        } catch {
          return fail(row.seq, `entry ${row.seq} has unreadable detail`);
        }
        const recomputed = entryHash(prevHash, { seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail });
        if (recomputed !== row.hash) return fail(row.seq, `entry ${row.seq} was changed after it was written (hash mismatch)`);
        prevHash = row.hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
    return { ok: true, checked, head: checked > 0 ? prevHash : null, firstBadSeq: null, reason: null };
  })();
}

export function listAudit(db: Database, limit: number): AuditEntry[] {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?').all(limit) as AuditRow[];
  return rows.map(toAuditEntry);
}

/** A stored row as the contract's entry; unreadable detail (a tampered row) is shown as its raw text. */
export function toAuditEntry(r: AuditRow): AuditEntry {
  let detail: unknown;
  try {
    detail = JSON.parse(r.detail_json) as unknown;
  } catch {
    detail = r.detail_json;
  }
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail, hash: r.hash };
}
