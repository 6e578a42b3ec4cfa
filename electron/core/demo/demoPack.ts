import { join } from 'node:path';
import { exportAuditPack } from '../pack/exportAuditPack';
import { verifyAuditPack } from '../pack/verifyAuditPack';
import { verifyPath } from '../pack/verifyPath';
import { exportBudgetReport } from '../budgets/exportBudgetReport';
import { loadOrCreateWorkspaceCertificate } from '../pack/workspaceCertificate';
import { defaultKeysDir } from '../reviews/reviewHandlers';
import { getKey, listKeys } from '../signing/keyring';
import { unlockLocalKey } from '../signing/localKeys';
import type { Clock } from '../store/clock';
import { openStore } from '../store/openStore';
import { DEMO_KEY_PASSPHRASE } from './demoReviews';

/**
 * The demo's last step: the signed audit pack of its approved release, exported the way a reviewer
 * would (manifest signed by the approver's key, PDF by the workspace certificate), then verified.
 */
export async function exportDemoPack(options: { dbPath: string; resourcesDir: string; clock: Clock; subject: { model: string; version: string }; signer: string }): Promise<{ ok: boolean; lines: string[]; folder: string; zip: string | null }> {
  const store = openStore(options.dbPath);
  try {
    const key = listKeys(store.db).find((k) => k.name === options.signer && getKey(store.db, k.keyId)?.trusted);
    if (!key) throw new Error(`the demo has no trusted key for ${options.signer}`);
    const reviewerKey = unlockLocalKey(defaultKeysDir(store), key.keyId, DEMO_KEY_PASSPHRASE);
    const pdfIdentity = loadOrCreateWorkspaceCertificate(join(options.dbPath, '..', 'pki'), options.clock);
    const result = await exportAuditPack(store, {
      resourcesDir: options.resourcesDir,
      model: options.subject.model,
      version: options.subject.version,
      outDir: join(options.dbPath, '..', 'packs'),
      clock: options.clock,
      reviewerKey,
      pdfIdentity,
      zip: true,
      force: true,
      actor: 'docket-demo',
    });
    const verdict = verifyAuditPack(result.folder, { db: store.db });
    // And the FinOps side: the signed budget report, as finance would receive it.
    const report = await exportBudgetReport(store, { format: 'pdf', outPath: join(options.dbPath, '..', 'reports', 'budget-report.pdf'), resourcesDir: options.resourcesDir, clock: options.clock, actor: 'docket-demo', reviewerKey, pdfIdentity, force: true });
    const reportVerdict = verifyPath(report.path, { db: store.db });
    return {
      ok: verdict.ok && reportVerdict.ok,
      folder: result.folder,
      zip: result.zip,
      lines: [
        `  audit pack:      ${result.folder}${result.zip ? ` (+ ${result.zip})` : ''}`,
        `  pack verified:   ${verdict.ok ? 'yes' : 'NO'}, ${verdict.checks.filter((c) => c.ok).length} of ${verdict.checks.length} checks passed (docket verify ${result.folder})`,
        ...verdict.checks.filter((c) => !c.ok).map((c) => `    ✗ ${c.name}: ${c.detail}`),
        `  budget report:   ${report.path} (signed manifest ${report.envelopePath})`,
        `  report verified: ${reportVerdict.ok ? 'yes' : 'NO'}, ${reportVerdict.checks.filter((c) => c.ok).length} of ${reportVerdict.checks.length} checks passed (docket verify ${report.path})`,
        ...reportVerdict.checks.filter((c) => !c.ok).map((c) => `    ✗ ${c.name}: ${c.detail}`),
      ],
    };
  } finally {
    store.close();
  }
}
