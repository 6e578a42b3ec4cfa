import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
export { checkShowItemPath, packExportsDir } from './packPaths';
import { DISPARITY_LABELS } from '../../../shared/domain/fairness';
import type { EventName, EventPayload, PackPreview } from '../../../shared/ipc/contract';
import type { Handlers } from '../../../shared/ipc/dispatch';
import { DocketError } from '../../../shared/ipc/result';
import type { AuditEvidenceBundle } from '../../../shared/pack/evidenceBundle';
import { defaultKeysDir } from '../reviews/reviewHandlers';
import { unlockLocalKey } from '../signing/localKeys';
import type { Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { buildEvidenceBundle } from './buildEvidenceBundle';
import { packFolderName } from './exportAuditPack';
import { costTrends, openRisks, outcome, signers, trendSentence } from './pdf/derive';
import { verifyPath } from './verifyPath';
import { packExportsDir } from './packPaths';
import { loadOrCreateWorkspaceCertificate } from './workspaceCertificate';

type PackChannel = 'pack/preview' | 'pack/export' | 'pack/verify';

export interface PackHandlerContext {
  store: Store;
  resourcesDir: string;
  actor: string;
  clock: Clock;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  keysDir?: string;
}

/** Folder of the workspace's own PDF signing certificate, beside the database (as `docket export audit-pack` uses). */
export const WORKSPACE_PKI_DIR = 'pki';

/** The PDF's top-level sections, in the order renderAuditPdf draws them. */
export const PACK_SECTIONS = ['Cover', 'Executive summary', 'Model card', 'Lineage', 'Fairness', 'Spend', 'Policy checklist', 'Reviews and decisions', 'Lifecycle', 'Appendix: hashes and verification'] as const;

/** pdfkit writes each page as an uncompressed "/Type /Page" dictionary; "/Type /Pages" is the tree. */
export function countPdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** The cover and executive summary facts, from the same bundle the PDF is drawn from. */
export function previewFacts(bundle: AuditEvidenceBundle, evidenceSha256: string, pageCount: number): PackPreview {
  const out = outcome(bundle);
  const counts = { pass: 0, fail: 0, missing: 0, waived: 0 };
  for (const r of bundle.policy.checklist.rules) counts[r.status]++;
  return {
    model: bundle.model.name,
    version: bundle.model.version,
    generatedAt: bundle.generatedAt,
    evidenceSha256,
    pageCount,
    sections: [...PACK_SECTIONS],
    decision: {
      kind: out.decision?.kind ?? null,
      text: out.text,
      symbol: out.symbol,
      signer: out.decision?.signer ?? null,
      role: out.decision?.role ?? null,
      signedAt: out.decision?.signedAt ?? null,
      rationale: out.decision?.rationale ?? null,
      decisions: bundle.decisions.length,
      allVerified: bundle.decisions.every((d) => d.verified),
    },
    signers: signers(bundle),
    policy: {
      name: bundle.policy.pack.name,
      version: bundle.policy.pack.version,
      tier: bundle.policy.checklist.tier.id,
      result: bundle.policy.checklist.result,
      ...counts,
      awaitingApprovals: Boolean(bundle.policy.checklist.awaitingApprovals),
    },
    fairness: {
      status: bundle.fairness.status,
      evaluations: bundle.fairness.evaluations.map((ev) => ({
        name: ev.dataset.name ?? ev.sourceFile,
        status: ev.status,
        failing: ev.verdicts
          .filter((v) => v.status !== 'pass')
          .map((v) => ({ measure: DISPARITY_LABELS[v.measure] ?? v.measure, status: v.status, value: v.value, bound: v.bound, comparison: v.comparison })),
        passing: ev.verdicts.filter((v) => v.status === 'pass').length,
        total: ev.verdicts.length,
      })),
    },
    cost: costTrends(bundle).map((t) => ({
      currency: t.currency,
      thirtyDay: t.thirtyDay,
      trend: trendSentence(t),
      costPer1kPredictions: bundle.spend.unitCosts.find((u) => u.currency === t.currency)?.costPer1kPredictions ?? null,
    })),
    risks: openRisks(bundle),
  };
}

/** The audit pack channels: preview (nothing written), export under exports/packs, verify. */
export function createPackHandlers(ctx: PackHandlerContext): Pick<Handlers, PackChannel> {
  const { store } = ctx;
  const keysDir = ctx.keysDir ?? defaultKeysDir(store);
  const fontsDir = join(ctx.resourcesDir, 'fonts');
  return {
    'pack/preview': async ({ model, version }) => {
      const { bundle, sha256 } = buildEvidenceBundle(store, { resourcesDir: ctx.resourcesDir, model, version, clock: ctx.clock });
      // Loaded on use: pdfkit is only needed when a pack is previewed or exported.
      const { renderAuditPdf } = await import('./renderAuditPdf');
      const pdf = await renderAuditPdf(bundle, { fontsDir, evidenceSha256: sha256 });
      return previewFacts(bundle, sha256, countPdfPages(pdf));
    },
    'pack/export': async ({ model, version, keyId, passphrase, zip }) => {
      const outDir = packExportsDir(store.path);
      const name = packFolderName(model, version);
      for (const target of [join(outDir, name), ...(zip ? [join(outDir, `${name}.zip`)] : [])]) {
        if (existsSync(target)) {
          throw new DocketError('REJECTED', `An audit pack already exists at ${target}. Docket never overwrites a pack: move or rename it, then export again.`);
        }
      }
      const reviewerKey = unlockLocalKey(keysDir, keyId, passphrase);
      const pdfIdentity = loadOrCreateWorkspaceCertificate(join(dirname(store.path), WORKSPACE_PKI_DIR), ctx.clock);
      const { exportAuditPack } = await import('./exportAuditPack');
      const result = await exportAuditPack(store, {
        resourcesDir: ctx.resourcesDir,
        model,
        version,
        outDir,
        clock: ctx.clock,
        reviewerKey,
        pdfIdentity,
        zip,
        force: false,
        actor: ctx.actor,
        onProgress: (p) => ctx.emit('pack/exportProgress', { step: p.step, done: p.done, total: p.total }),
      });
      return { folder: result.folder, zip: result.zip, evidenceSha256: result.evidenceSha256, manifestSha256: result.manifestSha256, files: result.files };
    },
    'pack/verify': ({ path }) => {
      if (!isAbsolute(path)) throw new DocketError('REJECTED', `Give the pack's full path, not "${path}"`);
      if (!existsSync(path)) throw new DocketError('NOT_FOUND', `Nothing at ${path}: pick the pack folder, its .zip, or audit-pack.pdf`);
      const result = verifyPath(path, { db: store.db });
      return { ok: result.ok, kind: result.kind, subject: result.subject, trust: result.trust, checks: result.checks.map((c) => ({ name: c.name, ok: c.ok, detail: c.detail })) };
    },
  };
}
