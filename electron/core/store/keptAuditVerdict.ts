import type { Database } from 'better-sqlite3';
import * as crypto from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { AuditWorkspaceVerification } from '../../../shared/ipc/contract';
import { decodeBase64Strict } from '../signing/dsse';
import { verifyStoredDecision } from '../reviews/reviewQueries';
import { verifySunsetDecision } from '../lifecycle/sunsets';
import { AUDIT_PAGE_SIZE, auditSeqBounds, scanAuditPages, scanAuditPagesParallel, sha256HexFn, type AuditPage } from './auditPages';
import { verifyFromPages, type DecisionVerifiers } from './verifyRecord';

/**
 * The audit verdict the app's views show (the Overview's badge, the Audit log's panel). Views ask for
 * it every time they open, and a full verification reads every entry (seconds at a million entries),
 * so the fast pass's pages are kept for the connection, with the PRAGMA data_version they were read at.
 *
 * Why reusing them is sound: data_version moves whenever another connection commits (the CLI, a
 * sqlite3 shell), and this connection never changes or deletes an audit entry (appendAudit only
 * appends, and triggers refuse UPDATE and DELETE on audit_log; dropping them is a commit of another
 * connection too). A restore replaces the file and the engine opens it afresh. While it has not moved, every entry already checked is as it was, so a later request
 * scans only the entries appended since and then runs every check (chain links across the seam, each
 * signed decision, signed heads, cross-references) over the whole page list. When it has moved, the
 * kept pages are dropped and everything is read again, so an edit made behind the app's back is found.
 * `full: true` (the Audit log's "Verify again") always reads everything.
 *
 * A full pass runs in worker threads, each with its own read-only connection (scanAuditPagesParallel
 * without this thread), so the engine keeps answering the other views while it runs. Requests that
 * arrive meanwhile share the pass in flight.
 */

const VERIFIERS: DecisionVerifiers = { verifyStoredDecision, verifySunsetDecision, decodeBase64Strict };

/** Below this many entries a full pass is quicker on this thread than starting workers. */
const WORKER_MIN_ROWS = 50_000;

interface Kept {
  dataVersion: number;
  pages: AuditPage[];
  /** When the last full pass read the pages reused, and the last seq it read. */
  fullPassAt: string;
  fullPassSeq: number;
}

export interface KeptAuditVerdict {
  verify(now: Date, options?: { full?: boolean }): Promise<AuditWorkspaceVerification & { fullPassAt?: string; fullPassSeq?: number }>;
}

export function keptAuditVerdict(db: Database, options: { workers?: number; workerMinRows?: number } = {}): KeptAuditVerdict {
  let kept: Kept | null = null;
  let fullPass: Promise<Kept> | null = null;
  const sha256Hex = sha256HexFn(crypto);
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number;

  const readAll = async (now: Date): Promise<Kept> => {
    // Read before the scan: a commit by another connection during the scan leaves the kept pages
    // stamped with the older version, so the next request reads everything again.
    const version = dataVersion();
    const bounds = auditSeqBounds(db);
    // This thread does not scan (claimHere: false), so every core gets a worker; `threads` counts this one too.
    const workers = Math.max(1, options.workers ?? Math.min(availableParallelism(), 4));
    const threads = workers + 1;
    let pages: AuditPage[];
    if (!bounds) pages = [];
    else if (db.memory || bounds.max - bounds.min + 1 < (options.workerMinRows ?? WORKER_MIN_ROWS)) pages = scanAuditPages(db, bounds.min, bounds.max, AUDIT_PAGE_SIZE, sha256Hex);
    else pages = (await scanAuditPagesParallel(db, bounds, threads, { claimHere: false })).pages;
    return { dataVersion: version, pages, fullPassAt: now.toISOString(), fullPassSeq: pages.at(-1)?.hi ?? 0 };
  };

  /** The kept pages brought up to the end of the log: the last kept page may have been partial, so it is read again. */
  const extend = (from: Kept): Kept => {
    const bounds = auditSeqBounds(db);
    if (!bounds || from.pages.length === 0) return from;
    const reused = from.pages.slice(0, -1);
    const start = reused.length > 0 ? reused[reused.length - 1]!.hi + 1 : bounds.min;
    const fresh = start <= bounds.max ? scanAuditPages(db, start, bounds.max, AUDIT_PAGE_SIZE, sha256Hex) : [];
    return { ...from, pages: [...reused, ...fresh] };
  };

  return {
    async verify(now, { full = false } = {}) {
      let current = kept;
      if (full || !current || current.dataVersion !== dataVersion()) {
        fullPass ??= readAll(now).finally(() => (fullPass = null));
        current = await fullPass;
      }
      // One read transaction from the last pages to the last check, so the checks see those very rows.
      const result = db.transaction(() => {
        const up = extend(current);
        kept = up;
        return verifyFromPages(db, up.pages, now, VERIFIERS);
      })();
      return { ...result, fullPassAt: current.fullPassAt, fullPassSeq: current.fullPassSeq };
    },
  };
}
