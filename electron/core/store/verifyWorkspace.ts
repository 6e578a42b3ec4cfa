import type { Database } from 'better-sqlite3';
import type { AuditWorkspaceVerification } from '../../../shared/ipc/contract';
import { decodeBase64Strict } from '../signing/dsse';
import { verifyStoredDecision } from '../reviews/reviewQueries';
import { verifySunsetDecision } from '../lifecycle/sunsets';
import { scanAuditLog } from './auditLog';
import { verifyFromPages, type DecisionVerifiers } from './verifyRecord';

/**
 * `docket audit verify` and the Audit log view's verify panel: the whole record, not only the chain
 * (the checks are in verifyRecord.ts). This is the synchronous form the app's handler calls, with
 * the decision verifiers imported here; the CLI uses verifyWorkspaceParallel.
 */

export { verifyWorkspaceParallel } from './verifyRecord';

const VERIFIERS: DecisionVerifiers = { verifyStoredDecision, verifySunsetDecision, decodeBase64Strict };

export function verifyWorkspace(db: Database, now: Date = new Date()): AuditWorkspaceVerification {
  return db.transaction(() => verifyFromPages(db, scanAuditLog(db), now, VERIFIERS))();
}
