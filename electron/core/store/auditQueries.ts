import type { Database } from 'better-sqlite3';
import { DocketError } from '../../../shared/ipc/result';
import { AUDIT_PAGE_MAX, type AuditEntry, type AuditFilter } from '../../../shared/ipc/contract';
import { toAuditEntry, type AuditRow } from './auditLog';

/**
 * Reads of the audit log for the Audit log view and `docket audit list`: filtered, newest first,
 * paged, with the total. Every value is a bound parameter; LIKE patterns escape their wildcards.
 */

export interface AuditPageQuery extends AuditFilter {
  limit?: number;
  offset?: number;
}

const DEFAULT_LIMIT = 200;

/** `text` as a LIKE pattern that matches it literally ('\' is the escape character). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A filter bound as an ISO time: a date alone means the start of that UTC day. */
function boundTime(value: string, field: 'from' | 'to'): string {
  const ms = Date.parse(DAY.test(value) ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(ms)) throw new DocketError('INVALID_INPUT', `"${field}" must be a date (YYYY-MM-DD) or an ISO time, got "${value}"`);
  // "to" is inclusive: a date alone covers that whole day.
  return new Date(field === 'to' && DAY.test(value) ? ms + 86_400_000 - 1 : ms).toISOString();
}

/** The WHERE clause and its parameters for a filter. */
export function auditWhere(filter: AuditFilter): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  // Action prefixes, comma-separated: "decision." is a category, "mlflow.,aws-ce." two, "decision.approve" one action.
  const prefixes = (filter.action ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '').slice(0, 20);
  if (prefixes.length > 0) {
    clauses.push(`(${prefixes.map(() => "action LIKE ? ESCAPE '\\'").join(' OR ')})`);
    params.push(...prefixes.map((p) => `${likeLiteral(p)}%`));
  }
  const actor = filter.actor?.trim();
  if (actor) {
    clauses.push('actor = ?');
    params.push(actor);
  }
  const subject = filter.subject?.trim();
  if (subject) {
    clauses.push('subject = ?');
    params.push(subject);
  }
  const search = filter.search?.trim();
  if (search) {
    const pattern = `%${likeLiteral(search)}%`;
    clauses.push("(detail_json LIKE ? ESCAPE '\\' OR subject LIKE ? ESCAPE '\\' OR actor LIKE ? ESCAPE '\\' OR action LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern, pattern, pattern);
  }
  const from = filter.from?.trim();
  const to = filter.to?.trim();
  const fromIso = from ? boundTime(from, 'from') : undefined;
  const toIso = to ? boundTime(to, 'to') : undefined;
  if (fromIso && toIso && fromIso > toIso) throw new DocketError('INVALID_INPUT', `"from" (${from}) is after "to" (${to})`);
  if (fromIso) {
    clauses.push('at >= ?');
    params.push(fromIso);
  }
  if (toIso) {
    clauses.push('at <= ?');
    params.push(toIso);
  }
  if (filter.fromSeq !== undefined && filter.toSeq !== undefined && filter.fromSeq > filter.toSeq) {
    throw new DocketError('INVALID_INPUT', `the seq range is empty: ${filter.fromSeq} is after ${filter.toSeq}`);
  }
  if (filter.fromSeq !== undefined) {
    clauses.push('seq >= ?');
    params.push(filter.fromSeq);
  }
  if (filter.toSeq !== undefined) {
    clauses.push('seq <= ?');
    params.push(filter.toSeq);
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** One page of matching entries, newest first. `limit` is capped at AUDIT_PAGE_MAX. */
export function queryAudit(db: Database, query: AuditPageQuery): AuditEntry[] {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)), AUDIT_PAGE_MAX);
  const offset = Math.max(0, Math.trunc(query.offset ?? 0));
  const { sql, params } = auditWhere(query);
  const rows = db.prepare(`SELECT * FROM audit_log ${sql} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, limit, offset) as AuditRow[];
  return rows.map(toAuditEntry);
}

export function countAudit(db: Database, filter: AuditFilter): number {
  const { sql, params } = auditWhere(filter);
  return (db.prepare(`SELECT count(*) AS n FROM audit_log ${sql}`).get(...params) as { n: number }).n;
}

/** The page and the total in one call (the CLI's and tests' convenience). */
export function auditPage(db: Database, query: AuditPageQuery): { entries: AuditEntry[]; total: number } {
  return { entries: queryAudit(db, query), total: countAudit(db, query) };
}
