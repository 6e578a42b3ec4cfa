import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { AuditCheck } from '../../../shared/ipc/contract';
import { DocketError } from '../../../shared/ipc/result';
import { signDsse, verifyDsse, type PublicKeyResolver } from '../signing/dsse';
import { getKey, keyStatusAt } from '../signing/keyring';
import type { ReviewerKeyPair } from '../signing/keys';
import { appendAudit, entryHash, type AuditRow } from './auditLog';
import { writeFileAtomic } from './atomicWrite';

/**
 * A signed slice of the audit log for someone who does not have the database: JSON Lines (one RFC
 * 8785 canonical entry per line, hashes included, so the chain inside the range recomputes with
 * auditLog's entryHash) plus a detached DSSE envelope over a statement naming the range, the
 * sha256 of the JSON Lines bytes and the signer. FILE.jsonl and FILE.jsonl.dsse.json.
 */

export const AUDIT_EXPORT_PAYLOAD_TYPE = 'application/vnd.docket.audit-export+json';
export const AUDIT_EXPORT_TYPE = 'https://docket.dev/audit-export/v1';
export const ENVELOPE_SUFFIX = '.dsse.json';
/** Generous: a line is a few hundred bytes; this is millions of entries. */
const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
export const AuditExportStatementSchema = z.strictObject({
  _type: z.literal(AUDIT_EXPORT_TYPE),
  range: z.strictObject({ fromSeq: z.number().int().min(1), toSeq: z.number().int().min(1), from: z.string().nullable(), to: z.string().nullable() }),
  count: z.number().int().min(1),
  firstSeq: z.number().int().min(1),
  lastSeq: z.number().int().min(1),
  /** The hash of the last exported entry: the head of the exported range. */
  headHash: sha256Hex,
  /** The prev_hash of the first exported entry: where the range attaches to the chain before it. */
  prevHash: sha256Hex,
  /** The workspace's log head when exported (the range may stop earlier). */
  logHead: z.strictObject({ seq: z.number().int().min(0), hash: sha256Hex }),
  sha256: sha256Hex,
  exportedAt: z.iso.datetime(),
  exportedBy: z.strictObject({ keyId: sha256Hex, name: z.string(), role: z.string(), actor: z.string() }),
});
export type AuditExportStatement = z.infer<typeof AuditExportStatementSchema>;

export interface AuditExportRange {
  fromSeq?: number;
  toSeq?: number;
  /** ISO date (whole UTC day) or time; converted to the seqs of the first and last entry inside. */
  from?: string;
  to?: string;
}

/** One exported line: the stored entry, detail parsed, in canonical JSON. */
function exportLine(row: AuditRow): string {
  const text = canonicalize({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail: JSON.parse(row.detail_json) as unknown, prev_hash: row.prev_hash, hash: row.hash });
  if (text === undefined) throw new Error(`entry ${row.seq} cannot be canonicalized`);
  return text;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
function isoBound(value: string, end: boolean): string {
  const ms = Date.parse(DAY.test(value) ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(ms)) throw new DocketError('INVALID_INPUT', `"${value}" is not a date (YYYY-MM-DD) or an ISO time`);
  return new Date(end && DAY.test(value) ? ms + 86_400_000 - 1 : ms).toISOString();
}

/** The seq range a request covers: seqs as given (clipped to the log), or the entries inside a time range. */
export function resolveExportRange(db: Database, range: AuditExportRange): { fromSeq: number; toSeq: number } {
  const bounds = db.prepare('SELECT min(seq) AS lo, max(seq) AS hi FROM audit_log').get() as { lo: number | null; hi: number | null };
  if (bounds.lo === null || bounds.hi === null) throw new DocketError('REJECTED', 'the audit log is empty: nothing to export');
  let fromSeq = range.fromSeq ?? bounds.lo;
  let toSeq = range.toSeq ?? bounds.hi;
  if (range.from !== undefined) {
    const row = db.prepare('SELECT min(seq) AS s FROM audit_log WHERE at >= ?').get(isoBound(range.from, false)) as { s: number | null };
    fromSeq = Math.max(fromSeq, row.s ?? Number.MAX_SAFE_INTEGER);
  }
  if (range.to !== undefined) {
    const row = db.prepare('SELECT max(seq) AS s FROM audit_log WHERE at <= ?').get(isoBound(range.to, true)) as { s: number | null };
    toSeq = Math.min(toSeq, row.s ?? 0);
  }
  fromSeq = Math.max(fromSeq, bounds.lo);
  toSeq = Math.min(toSeq, bounds.hi);
  if (fromSeq > toSeq) throw new DocketError('REJECTED', 'no audit entries in that range');
  return { fromSeq, toSeq };
}

export interface ExportAuditOptions {
  /** Where to write: FILE.jsonl; the envelope goes to FILE.jsonl.dsse.json. Existing files are never overwritten. */
  outPath: string;
  key: ReviewerKeyPair;
  actor: string;
  at: string;
}

export interface AuditExportResult {
  jsonlPath: string;
  envelopePath: string;
  count: number;
  firstSeq: number;
  lastSeq: number;
  sha256: string;
  headHash: string;
  statement: AuditExportStatement;
}

/**
 * Writes the range as signed JSON Lines and records 'audit.exported'. Refuses to sign a range that
 * does not verify (a changed entry, a gap): a signature would vouch for a broken record.
 */
export function exportAuditRange(db: Database, range: AuditExportRange, options: ExportAuditOptions): AuditExportResult {
  const jsonlPath = options.outPath.endsWith('.jsonl') ? options.outPath : `${options.outPath}.jsonl`;
  const envelopePath = `${jsonlPath}${ENVELOPE_SUFFIX}`;
  const key = getKey(db, options.key.keyId);
  if (!key) throw new DocketError('REJECTED', `key ${options.key.keyId.slice(0, 16)} is not in this workspace's keyring: add and trust it before signing an export`);
  const status = keyStatusAt(db, key.keyId, options.at);
  if (status.status !== 'trusted') throw new DocketError('REJECTED', `key ${key.keyId.slice(0, 16)} (${key.name}) cannot sign: ${status.reason}`);

  return db
    .transaction(() => {
      const { fromSeq, toSeq } = resolveExportRange(db, range);
      const rows = db.prepare('SELECT * FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq').all(fromSeq, toSeq) as AuditRow[];
      const lines: string[] = [];
      let expected = fromSeq;
      let prev: string | null = null;
      for (const row of rows) {
        if (row.seq !== expected) throw new DocketError('REJECTED', `entry ${expected} is missing from the log: run "docket audit verify"; an export would sign a cut record`);
        let detail: unknown;
        try {
          detail = JSON.parse(row.detail_json);
        } catch {
          throw new DocketError('REJECTED', `entry ${row.seq} has unreadable detail: run "docket audit verify"`);
        }
        if (entryHash(row.prev_hash, { ...row, detail }) !== row.hash) throw new DocketError('REJECTED', `entry ${row.seq} was changed after it was written: run "docket audit verify"`);
        if (prev !== null && row.prev_hash !== prev) throw new DocketError('REJECTED', `entry ${row.seq} does not link to the entry before it: run "docket audit verify"`);
        lines.push(exportLine(row));
        prev = row.hash;
        expected += 1;
      }
      if (expected !== toSeq + 1) throw new DocketError('REJECTED', `entry ${expected} is missing from the log: run "docket audit verify"`);
      const first = rows[0]!;
      const last = rows[rows.length - 1]!;
      const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      const statement: AuditExportStatement = {
        _type: AUDIT_EXPORT_TYPE,
        range: { fromSeq, toSeq, from: range.from ?? null, to: range.to ?? null },
        count: rows.length,
        firstSeq: first.seq,
        lastSeq: last.seq,
        headHash: last.hash,
        prevHash: first.prev_hash,
        logHead: { seq: head.seq, hash: head.hash },
        sha256,
        exportedAt: options.at,
        exportedBy: { keyId: key.keyId, name: key.name, role: key.role, actor: options.actor },
      };
      const envelope = signDsse(statement, AUDIT_EXPORT_PAYLOAD_TYPE, options.key.privateKey, options.key.keyId);
      mkdirSync(dirname(jsonlPath), { recursive: true });
      writeNew(jsonlPath, bytes);
      writeNew(envelopePath, `${JSON.stringify(envelope, null, 2)}\n`);
      appendAudit(
        db,
        {
          actor: options.actor,
          action: 'audit.exported',
          subject: `audit:${first.seq}-${last.seq}`,
          detail: { fromSeq: first.seq, toSeq: last.seq, count: rows.length, sha256, headHash: last.hash, file: basename(jsonlPath), keyId: key.keyId, signer: key.name },
        },
        options.at,
      );
      return { jsonlPath, envelopePath, count: rows.length, firstSeq: first.seq, lastSeq: last.seq, sha256, headHash: last.hash, statement };
    })
    .immediate();
}

/** Writes a file that must not exist yet, whole or not at all (a crash never leaves part of it under its name). */
function writeNew(path: string, data: string | Buffer): void {
  try {
    writeFileAtomic(path, data, { exclusive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DocketError('REJECTED', `${path} already exists; choose another name (an export is never overwritten)`);
    throw err;
  }
}

export interface AuditExportVerification {
  ok: boolean;
  checks: AuditCheck[];
  statement: AuditExportStatement | null;
  keyId: string | null;
}

/**
 * Checks an export without the database: the envelope is signed by a key `resolvePublicKey` knows
 * (and `isTrusted` accepts at the export time), the JSON Lines bytes have the signed sha256, and the
 * chain inside the range recomputes, links and ends at the signed head.
 */
export function verifyAuditExport(
  jsonlPath: string,
  envelopePath: string = `${jsonlPath}${ENVELOPE_SUFFIX}`,
  trust: { resolvePublicKey: PublicKeyResolver; isTrusted?: (keyId: string, at: string) => { ok: boolean; reason: string } },
): AuditExportVerification {
  const checks: AuditCheck[] = [];
  const done = (statement: AuditExportStatement | null, keyId: string | null): AuditExportVerification => ({ ok: checks.every((c) => c.ok), checks, statement, keyId });

  let envelopeJson: unknown;
  try {
    envelopeJson = JSON.parse(readFileSync(envelopePath, 'utf8'));
  } catch (err) {
    checks.push({ name: 'Signature', ok: false, detail: `cannot read ${envelopePath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return done(null, null);
  }
  const signed = verifyDsse(envelopeJson, trust.resolvePublicKey, { expectedPayloadType: AUDIT_EXPORT_PAYLOAD_TYPE, singleSignature: true });
  if (!signed.ok) {
    checks.push({ name: 'Signature', ok: false, detail: `${envelopePath}: ${signed.message}` });
    return done(null, signed.keyId ?? null);
  }
  const parsed = AuditExportStatementSchema.safeParse(signed.payload);
  if (!parsed.success) {
    checks.push({ name: 'Signature', ok: false, detail: `${envelopePath}: the signed payload is not a Docket audit export (${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message})` });
    return done(null, signed.keyId);
  }
  const statement = parsed.data;
  if (statement.exportedBy.keyId !== signed.keyId) {
    checks.push({ name: 'Signature', ok: false, detail: `signed by ${signed.keyId.slice(0, 16)} but the statement names ${statement.exportedBy.keyId.slice(0, 16)}` });
    return done(statement, signed.keyId);
  }
  const trusted = trust.isTrusted?.(signed.keyId, statement.exportedAt) ?? { ok: true, reason: '' };
  checks.push({
    name: 'Signature',
    ok: trusted.ok,
    detail: trusted.ok ? `signed by ${statement.exportedBy.name} (${statement.exportedBy.role}, key ${signed.keyId.slice(0, 16)}) at ${statement.exportedAt}` : trusted.reason,
  });

  let bytes: Buffer;
  try {
    if (statSync(jsonlPath).size > MAX_EXPORT_BYTES) throw new Error(`larger than ${MAX_EXPORT_BYTES} bytes`);
    bytes = readFileSync(jsonlPath);
  } catch (err) {
    checks.push({ name: 'File digest', ok: false, detail: `cannot read ${jsonlPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    return done(statement, signed.keyId);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  checks.push(
    sha256 === statement.sha256
      ? { name: 'File digest', ok: true, detail: `sha256 ${sha256.slice(0, 16)}… as signed` }
      : { name: 'File digest', ok: false, detail: `${basename(jsonlPath)} has sha256 ${sha256.slice(0, 16)}…, the signature covers ${statement.sha256.slice(0, 16)}…: the file was changed` },
  );
  checks.push({ name: 'Chain in range', ...verifyLines(bytes.toString('utf8'), statement, basename(jsonlPath)) });
  return done(statement, signed.keyId);
}

const LineSchema = z.strictObject({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  detail: z.unknown(),
  prev_hash: sha256Hex,
  hash: sha256Hex,
});

/** The chain inside the file: contiguous seqs from firstSeq, each hash recomputed, each linked, ending at headHash. */
function verifyLines(text: string, statement: AuditExportStatement, file: string): { ok: boolean; detail: string } {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  let prev: string | null = null;
  let expected = statement.firstSeq;
  for (const [index, line] of lines.entries()) {
    const where = `${file} line ${index + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return { ok: false, detail: `${where} is not JSON` };
    }
    const entry = LineSchema.safeParse(json);
    if (!entry.success) return { ok: false, detail: `${where}: field "${entry.error.issues[0]!.path.join('.')}" ${entry.error.issues[0]!.message}` };
    const e = entry.data;
    if (canonicalize(json) !== line) return { ok: false, detail: `${where} (entry ${e.seq}) is not canonical JSON` };
    if (e.seq !== expected) return { ok: false, detail: `${where}: expected entry ${expected}, found ${e.seq}: ${e.seq > expected ? `entry ${expected} is missing` : 'entries are out of order'}` };
    if (index === 0 && e.prev_hash !== statement.prevHash) return { ok: false, detail: `${where} (entry ${e.seq}) does not attach where the signed statement says` };
    if (prev !== null && e.prev_hash !== prev) return { ok: false, detail: `${where}: entry ${e.seq} does not link to the entry before it` };
    if (entryHash(e.prev_hash, e) !== e.hash) return { ok: false, detail: `${where}: entry ${e.seq} was changed after it was written (hash mismatch)` };
    prev = e.hash;
    expected += 1;
  }
  const count = expected - statement.firstSeq;
  if (count !== statement.count || expected - 1 !== statement.lastSeq) return { ok: false, detail: `${file} holds ${count} entries (to ${expected - 1}); the signature covers ${statement.count} (${statement.firstSeq} to ${statement.lastSeq})` };
  if (prev !== statement.headHash) return { ok: false, detail: `${file} ends at a different head than the signed one` };
  return { ok: true, detail: `entries ${statement.firstSeq} to ${statement.lastSeq} (${count}) recompute and link to head ${statement.headHash.slice(0, 16)}…` };
}
