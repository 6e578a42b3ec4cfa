import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BUDGET_REPORT_MANIFEST_TYPE, BUDGET_REPORT_PAYLOAD_TYPE, REPORT_ENVELOPE_SUFFIX, type BudgetReportManifest } from '../../../shared/budgets/reportManifest';
import type { BudgetReport } from '../../../shared/budgets/types';
import { DocketError } from '../../../shared/ipc/result';
import { packClock, packTimestamp } from '../pack/packClock';
import { signPdf } from '../pack/signPdf';
import { certificateFingerprintSha256, type SigningIdentity } from '../pack/signingIdentity';
import { signDsse } from '../signing/dsse';
import { getKey, keyStatusAt } from '../signing/keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from '../signing/keys';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { buildBudgetReport } from './buildBudgetReport';
import { refreshBudgetStates } from './budgetStatus';
import { budgetReportCsv } from './report/reportCsv';
import { budgetReportXlsx } from './report/reportXlsx';

/**
 * Exports the budget report as CSV, XLSX or PDF, signed the way audit packs are: the PDF carries an
 * embedded CMS signature (workspace certificate or organisation PKCS#12), and every format gets a
 * detached manifest (the file's sha256, the headline figures, the signer) signed with the
 * exporting reviewer's Ed25519 key, written as "<file>.dsse.json". `docket verify <file>` checks both.
 */

export type ReportFormat = 'csv' | 'xlsx' | 'pdf';

export interface ExportBudgetReportOptions {
  format: ReportFormat;
  outPath: string;
  resourcesDir: string;
  clock: Clock;
  actor: string;
  reviewerKey: ReviewerKeyPair;
  /** Signs the PDF (required for format pdf). */
  pdfIdentity?: SigningIdentity;
  force?: boolean;
  /** Only for tests: where SOURCE_DATE_EPOCH is read from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ExportBudgetReportResult {
  path: string;
  envelopePath: string;
  sha256: string;
  bytes: number;
  manifest: BudgetReportManifest;
  report: BudgetReport;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function exportBudgetReport(store: Store, options: ExportBudgetReportOptions): Promise<ExportBudgetReportResult> {
  const { db } = store;
  const envelopePath = `${options.outPath}${REPORT_ENVELOPE_SUFFIX}`;
  if (!options.force) {
    for (const target of [options.outPath, envelopePath]) {
      if (existsSync(target)) throw new DocketError('REJECTED', `${target} already exists: choose another --out file or pass --force to replace it`);
    }
  }
  const signerKey = getKey(db, options.reviewerKey.keyId);
  if (!signerKey) throw new DocketError('REJECTED', `key ${options.reviewerKey.keyId.slice(0, 16)} is not in this workspace's keyring: add it (docket keys) before signing a report with it`);
  const status = keyStatusAt(db, signerKey.keyId, isoNow(options.clock));
  if (status.status !== 'trusted') throw new DocketError('REJECTED', `cannot sign the report: ${status.reason}`);
  if (options.format === 'pdf' && !options.pdfIdentity) throw new Error('a PDF report needs a signing identity');

  // The report states the alert states as recorded: judge (and record) them first.
  refreshBudgetStates(store, { clock: options.clock, actor: options.actor });
  const date = packClock(options.clock, options.env);
  const generatedAt = packTimestamp(date);
  const report = buildBudgetReport(db, { generatedAt, asOf: generatedAt.slice(0, 10) });
  if (report.budgets.length === 0) throw new DocketError('REJECTED', 'there are no budgets to report: create one first (docket budget set)');

  let bytes: Buffer;
  let pdfCertificateSha256: string | null = null;
  if (options.format === 'csv') bytes = Buffer.from(budgetReportCsv(report), 'utf8');
  else if (options.format === 'xlsx') bytes = budgetReportXlsx(report);
  else {
    // Loaded on use: pdfkit is only needed for the PDF.
    const { renderBudgetPdf } = await import('./report/renderBudgetPdf');
    const identity = options.pdfIdentity!;
    const unsigned = await renderBudgetPdf(report, { fontsDir: join(options.resourcesDir, 'fonts') });
    bytes = await signPdf(unsigned, identity, {
      reason: `Docket budget report as of ${report.asOf}`,
      name: identity.subject,
      location: 'Docket',
      contactInfo: `${signerKey.name} (${signerKey.role})`,
      signingTime: date,
    });
    pdfCertificateSha256 = certificateFingerprintSha256(new X509Certificate(identity.certificatePem).raw);
  }

  const manifest: BudgetReportManifest = {
    _type: BUDGET_REPORT_MANIFEST_TYPE,
    generatedAt,
    asOf: report.asOf,
    format: options.format,
    file: { name: basename(options.outPath), sha256: sha256(bytes), bytes: bytes.length },
    budgets: report.budgets.map((b) => ({ name: b.name, period: b.periodLabel, currency: b.currency, amount: b.amount, actual: b.actual, forecast: b.forecast, state: b.state })),
    signer: { keyId: signerKey.keyId, name: signerKey.name, role: signerKey.role, publicKeyPem: exportPublicKeyPem(options.reviewerKey.publicKey) },
    pdfCertificateSha256,
  };
  const envelope = signDsse(manifest, BUDGET_REPORT_PAYLOAD_TYPE, options.reviewerKey.privateKey, signerKey.keyId);

  // Both files are written beside their targets and renamed into place: no half export is left.
  mkdirSync(dirname(options.outPath), { recursive: true });
  const partial = (path: string) => join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    writeFileSync(partial(options.outPath), bytes);
    writeFileSync(partial(envelopePath), `${JSON.stringify(envelope, null, 2)}\n`);
    renameSync(partial(options.outPath), options.outPath);
    renameSync(partial(envelopePath), envelopePath);
  } catch (error) {
    for (const path of [options.outPath, envelopePath]) rmSync(partial(path), { force: true });
    throw error;
  }

  db.transaction(() =>
    appendAudit(
      db,
      {
        actor: options.actor,
        action: 'budget.report.exported',
        subject: basename(options.outPath),
        detail: { path: options.outPath, envelopePath, format: options.format, sha256: manifest.file.sha256, bytes: bytes.length, asOf: report.asOf, budgets: report.budgets.length, signer: signerKey.keyId, pdfCertificateSha256 },
      },
      isoNow(options.clock),
    ),
  ).immediate();
  return { path: options.outPath, envelopePath, sha256: manifest.file.sha256, bytes: bytes.length, manifest, report };
}
