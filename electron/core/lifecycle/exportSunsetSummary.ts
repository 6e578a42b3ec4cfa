import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DocketError } from '../../../shared/ipc/result';
import { packClock, packTimestamp } from '../pack/packClock';
import { WORKSPACE_PKI_DIR } from '../pack/packHandlers';
import { reportExportsDir } from '../pack/packPaths';
import { signPdf } from '../pack/signPdf';
import { certificateFingerprintSha256 } from '../pack/signingIdentity';
import { loadOrCreateWorkspaceCertificate } from '../pack/workspaceCertificate';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { sunsetDependents } from './dependents';
import { sunsetView } from './lifecycleQueries';
import { renderSunsetSummary } from './renderSunsetSummary';

/**
 * Exports the one-page summary of a sunset as a PDF signed with the workspace certificate (an
 * embedded PDF signature, as audit packs carry), written atomically, and records the export in the
 * audit log ("sunset.summary.exported", with the file's sha256). Same store state and same clock
 * (or SOURCE_DATE_EPOCH) give the same bytes.
 */

export interface ExportSunsetSummaryOptions {
  sunsetId: number;
  resourcesDir: string;
  clock: Clock;
  actor: string;
  /** Default: exports/reports beside the database, "sunset-<model>-<version>-<id>.pdf". */
  outPath?: string;
  /** Only for tests: where SOURCE_DATE_EPOCH is read from (default process.env). */
  env?: Record<string, string | undefined>;
}

/** The summary's default file name, safe on every file system: "sunset-<model>-<version>-<id>.pdf". */
export function sunsetSummaryFileName(model: string, version: string, id: number): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._@+-]+/g, '_').replace(/^\.+/, '_').slice(0, 100);
  return `sunset-${safe(model)}-${safe(version)}-${id}.pdf`;
}

export async function exportSunsetSummary(store: Store, options: ExportSunsetSummaryOptions): Promise<{ path: string; sha256: string }> {
  const { db } = store;
  const view = sunsetView(db, options.sunsetId);
  if (!view) throw new DocketError('NOT_FOUND', `no sunset review #${options.sunsetId}`);
  const dependents = sunsetDependents(db, view.model, view.version);
  const date = packClock(options.clock, options.env);
  const generatedAt = packTimestamp(date);

  const unsigned = await renderSunsetSummary(view, dependents, { fontsDir: join(options.resourcesDir, 'fonts'), generatedAt });
  const identity = loadOrCreateWorkspaceCertificate(join(dirname(store.path), WORKSPACE_PKI_DIR), options.clock);
  const bytes = await signPdf(unsigned, identity, {
    reason: `Docket sunset summary for ${view.model} ${view.version} (sunset #${view.id}); plan sha256 ${view.planSha256}`,
    name: identity.subject,
    location: 'Docket',
    contactInfo: options.actor,
    signingTime: date,
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  // Written beside the target and renamed into place: no half-written summary is ever left.
  const path = options.outPath ?? join(reportExportsDir(store.path), sunsetSummaryFileName(view.model, view.version, view.id));
  mkdirSync(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }

  const pdfCertificateSha256 = certificateFingerprintSha256(new X509Certificate(identity.certificatePem).raw);
  db.transaction(() =>
    appendAudit(
      db,
      {
        actor: options.actor,
        action: 'sunset.summary.exported',
        subject: `${view.model}@${view.version}`,
        detail: { sunsetId: view.id, path, sha256, bytes: bytes.length, state: view.state, planSha256: view.planSha256, generatedAt, pdfCertificateSha256 },
      },
      isoNow(options.clock),
    ),
  ).immediate();
  return { path, sha256 };
}
