import { statSync } from 'node:fs';
import { hasDetachedManifest, verifyBudgetReport } from '../budgets/verifyBudgetReport';
import { verifyAuditPack, type PackVerification, type VerifyAuditPackOptions } from './verifyAuditPack';

/**
 * What `docket verify` and File › Verify check: a file with a signed manifest beside it
 * ("<file>.dsse.json": a budget report export) is checked against that manifest; anything else as an
 * audit pack (its folder, its zip, or its PDF alone).
 */
export function verifyPath(path: string, options: VerifyAuditPackOptions = {}): PackVerification {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    /* verifyAuditPack names the problem */
  }
  if (isFile && hasDetachedManifest(path)) return verifyBudgetReport(path, options);
  return verifyAuditPack(path, options);
}
