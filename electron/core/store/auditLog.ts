import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditVerification } from '../../../shared/ipc/contract';

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
 * Appends to the hash chain. Must be called inside the caller's write transaction, so the entry
 * lands with the change it records or not at all (and two writers cannot fork the chain:
 * SQLite serializes write transactions, and the head is read inside this one).
 */
export function appendAudit(db: Database, event: AuditEvent, at: string): { seq: number; hash: string } {
  if (!db.inTransaction) throw new Error('appendAudit must run inside a write transaction');
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  // Round-trip through JSON so what is hashed is exactly what is stored and later re-read.
  const detailJson = JSON.stringify(event.detail ?? null);
  const detail = JSON.parse(detailJson) as unknown;
  const hash = entryHash(prevHash, { seq, at, actor: event.actor, action: event.action, subject: event.subject, detail });
  db.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, subject, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(seq, at, event.actor, event.action, event.subject, detailJson, prevHash, hash);
  return { seq, hash };
}

/** Recomputes the whole chain; names the first entry that does not match and why. */
export function verifyAuditChain(db: Database): AuditVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const fail = (seq: number, reason: string): AuditVerification => ({ ok: false, checked, head: null, firstBadSeq: seq, reason });
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
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
  return { ok: true, checked, head: checked > 0 ? prevHash : null, firstBadSeq: null, reason: null };
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
