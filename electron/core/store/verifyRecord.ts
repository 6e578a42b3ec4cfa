import type { Database } from 'better-sqlite3';
import type { AuditCheck, AuditDecisionStatus, AuditWorkspaceVerification } from '../../../shared/ipc/contract';
import type { StoredDecisionRow } from '../reviews/reviewQueries';
import { availableParallelism } from 'node:os';
import { formatCount } from '../../../shared/format/count';
import { auditRowsBetween, entryHash, GENESIS_HASH, scanAuditLog } from './auditLog';
import { auditSeqBounds, scanAuditPagesParallel, type AuditPage } from './auditPages';

/**
 * `docket audit verify` and the Audit log view's verify panel: the whole record, not only the chain.
 *
 * 1. chain     every entry's hash recomputes and links to the entry before it (all bad entries named,
 *              not only the first, so the view can mark each one);
 * 2. sequence  no seq is missing: a deleted row is named ("entry 41 is missing: the log was cut");
 * 3. signatures  every stored decision verifies afresh (signature, matches its row, key trusted then);
 * 4. cross-reference  every decision has its audit entry (by digest) and every decision entry its decision;
 * 5. signed heads  each local decision signed the log's head {seq, hash}; that entry must still exist
 *              with that hash, so a log cut short or rewritten after a decision is detected.
 *
 * Limits, stated plainly: entries appended after the last decision are witnessed by nothing signed,
 * so deleting them from the end is only detectable against an export or a backup.
 *
 * The checks live here with the decision verifiers passed in, and verifyWorkspaceParallel (the CLI)
 * loads those verifiers only when there are decisions; verifyWorkspace.ts is the synchronous form
 * the app calls, with them imported.
 */

/**
 * What checks a signed decision, passed in rather than imported: it brings the schemas and policy
 * code (zod, yaml) that a workspace without decisions never needs, so `docket audit verify` loads it
 * only when there are decisions (see verifyWorkspaceParallel) and the app passes it in at once
 * (verifyWorkspace.ts).
 */
export interface DecisionVerifiers {
  verifyStoredDecision: (db: Database, row: DecisionRow) => { verified: boolean; verification: string };
  verifySunsetDecision: (db: Database, row: SunsetDecisionRow) => { verified: boolean; verification: string };
  decodeBase64Strict: (text: string) => Buffer | null;
}

/** How many bad entries are listed one by one; the count is always exact. */
const MAX_BAD_LISTED = 1000;

export type DecisionRow = Pick<StoredDecisionRow, 'id' | 'digest' | 'kind' | 'key_id' | 'signer' | 'role' | 'signed_at' | 'evidence_hash' | 'envelope_json' | 'origin'>;

export interface SunsetDecisionRow {
  id: number;
  digest: string;
  kind: string;
  key_id: string;
  signer: string;
  signed_at: string;
  plan_sha256: string;
  envelope_json: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

function seqRange(a: number, b: number): string {
  return a === b ? `entry ${a} is missing` : `entries ${a}–${b} are missing`;
}

interface ChainScan {
  checked: number;
  lastSeq: number;
  lastHash: string | null;
  /** Bad entries (and missing seqs) in seq order. */
  bad: { seq: number; reason: string }[];
  badTotal: number;
  gaps: { from: number; to: number }[];
  brokenEntries: number;
  /** Seqs of entries whose action is LIKE 'decision.%' / 'sunset.decision.%', in seq order. */
  decisionSeqs: number[];
  sunsetSeqs: number[];
}

/**
 * The chain and sequence checks over the fast pass's pages: a clean page that continues the page
 * before it is taken whole; every other page is checked row by row with the exact rules (which name
 * each bad entry), carrying on from the row before it.
 */
function scanChain(db: Database, pages: readonly AuditPage[]): ChainScan {
  const scan: ChainScan = { checked: 0, lastSeq: 0, lastHash: null, bad: [], badTotal: 0, gaps: [], brokenEntries: 0, decisionSeqs: [], sunsetSeqs: [] };
  const flag = (seq: number, reason: string) => {
    scan.badTotal += 1;
    if (scan.bad.length < MAX_BAD_LISTED) scan.bad.push({ seq, reason });
  };
  const decisionsIn = db.prepare("SELECT seq FROM audit_log WHERE seq BETWEEN ? AND ? AND action LIKE 'decision.%' ORDER BY seq").pluck(true);
  const sunsetsIn = db.prepare("SELECT seq FROM audit_log WHERE seq BETWEEN ? AND ? AND action LIKE 'sunset.decision.%' ORDER BY seq").pluck(true);
  let prevHash = GENESIS_HASH;
  let expected = 1;
  for (const page of pages) {
    if (page.ok && page.lo === expected && page.firstPrev === prevHash) {
      scan.checked += page.n;
      for (const seq of page.decisions) scan.decisionSeqs.push(seq);
      for (const seq of page.sunsets) scan.sunsetSeqs.push(seq);
      prevHash = page.lastHash;
      expected = page.hi + 1;
      scan.lastSeq = page.hi;
      scan.lastHash = page.lastHash;
      continue;
    }
    for (const seq of decisionsIn.all(page.lo, page.hi) as number[]) scan.decisionSeqs.push(seq);
    for (const seq of sunsetsIn.all(page.lo, page.hi) as number[]) scan.sunsetSeqs.push(seq);
    for (const row of auditRowsBetween(db, page.lo, page.hi)) {
      scan.checked += 1;
      let afterGap = false;
      if (row.seq !== expected) {
        scan.gaps.push({ from: expected, to: row.seq - 1 });
        flag(expected, `${seqRange(expected, row.seq - 1)}: the log was cut`);
        afterGap = true;
      }
      let bad = false;
      let detail: unknown;
      let readable = true;
      try {
        detail = JSON.parse(row.detail_json);
      } catch {
        readable = false;
      }
      if (!readable) {
        flag(row.seq, `entry ${row.seq} has unreadable detail: it was edited outside Docket`);
        bad = true;
      } else if (entryHash(row.prev_hash, { seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail }) !== row.hash) {
        flag(row.seq, `entry ${row.seq} was changed after it was written (hash mismatch)`);
        bad = true;
      } else if (row.prev_hash !== prevHash) {
        flag(row.seq, afterGap ? `entry ${row.seq} links to entry ${row.seq - 1}, which is missing` : `entry ${row.seq} does not link to the entry before it`);
        bad = true;
      }
      if (bad) scan.brokenEntries += 1;
      prevHash = row.hash;
      expected = row.seq + 1;
      scan.lastSeq = row.seq;
      scan.lastHash = row.hash;
    }
  }
  return scan;
}

/** The stored hash of an entry, or undefined when there is no such entry (read on demand, kept). */
function hashLookup(db: Database): (seq: number) => string | undefined {
  const byseq = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck(true);
  const seen = new Map<number, string | undefined>();
  return (seq) => {
    if (!seen.has(seq)) seen.set(seq, byseq.get(seq) as string | undefined);
    return seen.get(seq);
  };
}

function decisionLabel(d: DecisionRow): string {
  return `decision #${d.id} (${d.kind} by ${d.signer}, signed ${d.signed_at})`;
}

/** The signed statement's auditHead, read from an envelope whose signature has already been verified. */
function signedAuditHead(envelopeJson: string, decodeBase64Strict: DecisionVerifiers['decodeBase64Strict']): { seq: number; hash: string } | null {
  try {
    const envelope = JSON.parse(envelopeJson) as { payload?: unknown };
    const bytes = typeof envelope.payload === 'string' ? decodeBase64Strict(envelope.payload) : null;
    if (!bytes) return null;
    const head = (JSON.parse(bytes.toString('utf8')) as { auditHead?: { seq?: unknown; hash?: unknown } }).auditHead;
    return head && typeof head.seq === 'number' && typeof head.hash === 'string' ? { seq: head.seq, hash: head.hash } : null;
  } catch {
    return null;
  }
}

function summarize(problems: string[], okText: string): { ok: boolean; detail: string } {
  if (problems.length === 0) return { ok: true, detail: okText };
  const shown = problems.slice(0, 5).join('; ');
  return { ok: false, detail: problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown };
}

/** Logs shorter than this are scanned in one thread: starting workers would cost more. */
const PARALLEL_MIN_ROWS = 50_000;

/**
 * verifyWorkspace with the fast pass split across threads, this one and workers (`docket audit
 * verify`): the same checks and the same result. One thread for an in-memory database, a short
 * log or one core. The decision verifiers are loaded only when the workspace has signed decisions.
 */
export async function verifyWorkspaceParallel(db: Database, now: Date = new Date(), options: { threads?: number; minRows?: number } = {}): Promise<AuditWorkspaceVerification> {
  const threads = Math.max(1, options.threads ?? Math.min(availableParallelism(), 4));
  const bounds = auditSeqBounds(db);
  const parallel = bounds !== null && !db.memory && threads >= 2 && bounds.max - bounds.min + 1 >= (options.minRows ?? PARALLEL_MIN_ROWS);
  const pages = parallel ? (await scanAuditPagesParallel(db, bounds, threads)).pages : null;
  // One read transaction from the look at the decision tables to the last check, held across the
  // loading of the verifiers, so a decision signed meanwhile cannot arrive without them.
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    const verifiers = hasSignedDecisions(db) ? await loadDecisionVerifiers() : NO_DECISIONS;
    return verifyFromPages(db, pages ?? scanAuditLog(db), now, verifiers);
  } finally {
    if (own) db.exec('COMMIT');
  }
}

function hasSignedDecisions(db: Database): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM decisions) OR EXISTS (SELECT 1 FROM sunset_decisions)').pluck(true).get() === 1;
}

async function loadDecisionVerifiers(): Promise<DecisionVerifiers> {
  const [reviews, sunsets, dsse] = await Promise.all([import('../reviews/reviewQueries'), import('../lifecycle/sunsets'), import('../signing/dsse')]);
  return { verifyStoredDecision: reviews.verifyStoredDecision, verifySunsetDecision: sunsets.verifySunsetDecision, decodeBase64Strict: dsse.decodeBase64Strict };
}

/** For a workspace without signed decisions: nothing calls these (the tables were seen empty in the same transaction). */
const NO_DECISIONS: DecisionVerifiers = {
  verifyStoredDecision: () => ({ verified: false, verification: 'decision verifier not loaded' }),
  verifySunsetDecision: () => ({ verified: false, verification: 'decision verifier not loaded' }),
  decodeBase64Strict: () => null,
};

/** Every check of `audit verify` over the fast pass's pages; call inside one read transaction. */
export function verifyFromPages(db: Database, pages: readonly AuditPage[], now: Date, verifiers: DecisionVerifiers): AuditWorkspaceVerification {
  const scan = scanChain(db, pages);
  const hashAt = hashLookup(db);
  const checks: AuditCheck[] = [];

  const chainProblems = scan.bad.filter((b) => !/ (is|are) missing: /.test(b.reason)).map((b) => b.reason);
  checks.push({
    name: 'Hash chain',
    ...summarize(
      chainProblems,
      scan.checked === 0 ? 'the log is empty' : `${plural(scan.checked, 'entry', 'entries')} recomputed and linked; head ${scan.lastHash!.slice(0, 16)}…`,
    ),
  });
  checks.push({
    name: 'No entries missing',
    ...summarize(
      scan.gaps.map((g) => `${seqRange(g.from, g.to)}: the log was cut`),
      scan.checked === 0 ? 'the log is empty' : `seq 1 to ${scan.lastSeq} without a gap`,
    ),
  });

  // Decision entries in the log, by digest.
  const entryByDigest = new Map<string, number>();
  const orphanEntries: string[] = [];
  const detailOf = db.prepare('SELECT detail_json FROM audit_log WHERE seq = ?').pluck(true);
  const decisionEntries = scan.decisionSeqs.map((seq) => ({ seq, detail_json: detailOf.get(seq) as string }));
  const rows = db.prepare('SELECT id, digest, kind, key_id, signer, role, signed_at, evidence_hash, envelope_json, origin FROM decisions ORDER BY id').all() as DecisionRow[];
  const digests = new Set(rows.map((r) => r.digest));
  for (const e of decisionEntries) {
    let digest: unknown;
    try {
      digest = (JSON.parse(e.detail_json) as { digest?: unknown } | null)?.digest;
    } catch {
      continue; // the chain check has named it
    }
    if (typeof digest !== 'string') continue;
    if (!entryByDigest.has(digest)) entryByDigest.set(digest, e.seq);
    if (!digests.has(digest)) orphanEntries.push(`audit entry ${e.seq} records decision ${digest.slice(0, 16)}…, which is not in the decisions table`);
  }

  const decisions: AuditDecisionStatus[] = [];
  const signatureProblems: string[] = [];
  const missingEntries: string[] = [];
  const headProblems: string[] = [];
  let headsChecked = 0;
  const cutHeads: { seq: number; decisionId: number }[] = [];
  for (const d of rows) {
    const seq = entryByDigest.get(d.digest) ?? null;
    const check = verifiers.verifyStoredDecision(db, d);
    const problems: string[] = [];
    if (!check.verified) {
      signatureProblems.push(`${decisionLabel(d)}: ${check.verification}`);
      problems.push(check.verification);
    }
    if (seq === null) {
      missingEntries.push(`${decisionLabel(d)} has no audit entry: it was deleted from the log, or the decision was inserted outside Docket`);
      problems.push('its audit entry is missing');
    }
    // A bundle's auditHead is the signer's log on another machine: only local decisions witnessed this log.
    const head = check.verified && d.origin === 'local' ? signedAuditHead(d.envelope_json, verifiers.decodeBase64Strict) : null;
    if (head) {
      headsChecked += 1;
      const stored = head.seq === 0 ? GENESIS_HASH : hashAt(head.seq);
      if (stored === undefined) {
        const problem = `${decisionLabel(d)} was signed when the log ended at entry ${head.seq}, which is no longer in the log: the log was cut or that entry deleted`;
        headProblems.push(problem);
        cutHeads.push({ seq: head.seq, decisionId: d.id });
        problems.push(`signed log head (entry ${head.seq}) is missing`);
      } else if (stored !== head.hash) {
        headProblems.push(`${decisionLabel(d)} was signed when entry ${head.seq} had hash ${head.hash.slice(0, 16)}…, but it now has ${stored.slice(0, 16)}…: the log was rewritten`);
        problems.push(`signed log head (entry ${head.seq}) was rewritten`);
      }
    }
    decisions.push({
      decisionId: d.id,
      digest: d.digest,
      seq,
      kind: d.kind,
      signer: d.signer,
      verified: problems.length === 0,
      detail: problems.length === 0 ? `signed by ${d.signer} (${d.role}), verified: ${check.verification}` : problems.join('; '),
    });
  }

  checks.push({ name: 'Decision signatures', ...summarize(signatureProblems, rows.length === 0 ? 'no signed decisions yet' : `${plural(rows.length, 'decision')} verified, each by a key trusted when it signed`) });
  checks.push({
    name: 'Decisions match the log',
    ...summarize([...missingEntries, ...orphanEntries], rows.length === 0 ? 'no decision entries, no decisions' : `each of ${plural(rows.length, 'decision')} has its audit entry, and each decision entry its decision`),
  });
  checks.push({
    name: 'Signed log heads',
    ...summarize(headProblems, headsChecked === 0 ? 'no local decision has signed a log head yet' : `${plural(headsChecked, 'log head')} signed by decisions still in the chain with the same hash`),
  });

  checks.push({ name: 'Sunset decisions', ...sunsetDecisionCheck(db, scan.sunsetSeqs, hashAt, verifiers) });

  // Decision problems point at the decision's entry, so the view can mark the row.
  const bad = [...scan.bad];
  let badTotal = scan.badTotal;
  // A signed head that is gone is a missing entry too, even when the chain itself still links (a clean cut).
  for (const head of cutHeads) {
    if (!bad.some((b) => b.seq === head.seq)) {
      badTotal += 1;
      if (bad.length < MAX_BAD_LISTED) bad.push({ seq: head.seq, reason: `entry ${head.seq} is missing: decision #${head.decisionId} signed the log when it ended there` });
    }
  }
  for (const d of decisions) {
    if (!d.verified && d.seq !== null && !bad.some((b) => b.seq === d.seq)) {
      badTotal += 1;
      if (bad.length < MAX_BAD_LISTED) bad.push({ seq: d.seq, reason: `decision #${d.decisionId}: ${d.detail}` });
    }
  }
  bad.sort((a, b) => a.seq - b.seq);

  const ok = checks.every((c) => c.ok);
  const firstFailing = checks.find((c) => !c.ok);
  const firstChain = scan.bad[0] ?? null;
  return {
    ok,
    checked: scan.checked,
    head: scan.badTotal === 0 ? scan.lastHash : null,
    firstBadSeq: firstChain?.seq ?? bad[0]?.seq ?? null,
    reason: ok ? null : (firstChain?.reason ?? `${firstFailing!.name}: ${firstFailing!.detail}`),
    checks,
    bad,
    badTotal,
    decisions,
    verifiedAt: now.toISOString(),
    lastSeq: scan.lastSeq,
  };
}

/**
 * Signed sunset decisions get the same three checks as release decisions: the signature verifies
 * against the record, the decision has its audit entry, and the log head it signed is still there.
 */
function sunsetDecisionCheck(db: Database, sunsetSeqs: readonly number[], hashAt: (seq: number) => string | undefined, verifiers: DecisionVerifiers): { ok: boolean; detail: string } {
  const rows = db.prepare('SELECT id, digest, kind, key_id, signer, signed_at, plan_sha256, envelope_json FROM sunset_decisions ORDER BY id').all() as SunsetDecisionRow[];
  if (rows.length === 0) return { ok: true, detail: 'no signed sunset decisions yet' };
  const logged = new Set(
    sunsetSeqs.map((seq) => {
      const detailJson = db.prepare('SELECT detail_json FROM audit_log WHERE seq = ?').pluck(true).get(seq) as string;
      try {
        return (JSON.parse(detailJson) as { digest?: unknown }).digest;
      } catch {
        return null;
      }
    }),
  );
  const problems: string[] = [];
  for (const d of rows) {
    const label = `sunset decision #${d.id} (${d.kind} by ${d.signer}, signed ${d.signed_at})`;
    const check = verifiers.verifySunsetDecision(db, d);
    if (!check.verified) problems.push(`${label}: ${check.verification}`);
    if (!logged.has(d.digest)) problems.push(`${label} has no audit entry`);
    const head = check.verified ? signedAuditHead(d.envelope_json, verifiers.decodeBase64Strict) : null;
    if (head && head.seq > 0 && hashAt(head.seq) !== head.hash) problems.push(`${label} signed log entry ${head.seq}, which is ${hashAt(head.seq) !== undefined ? 'rewritten' : 'missing'}`);
  }
  return summarize(problems, `${plural(rows.length, 'sunset decision')} verified, each with its audit entry and signed log head`);
}
