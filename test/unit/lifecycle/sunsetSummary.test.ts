// The one-page sunset summary PDF and the audit pack's lifecycle block and section, on a seeded
// workspace (fraud-score-card-txn@3 approved for release, then sunset by a signed approval).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { SunsetDependents, SunsetView } from '../../../shared/lifecycle/lifecycleViews';
import { SUNSET_PAYLOAD_TYPE } from '../../../shared/lifecycle/sunsetPlan';
import { PACK_FILES, type AuditEvidenceBundle } from '../../../shared/pack/evidenceBundle';
import { formatMoney } from '../../../shared/format/money';
import { shortKeyId } from '../../../shared/signing/keyId';
import { sunsetDependents } from '../../../electron/core/lifecycle/dependents';
import { exportSunsetSummary, sunsetSummaryFileName } from '../../../electron/core/lifecycle/exportSunsetSummary';
import { sunsetView } from '../../../electron/core/lifecycle/lifecycleQueries';
import { renderSunsetSummary } from '../../../electron/core/lifecycle/renderSunsetSummary';
import { decideSunset, proposeSunset, type SunsetDeps } from '../../../electron/core/lifecycle/sunsets';
import { exportAuditPack, type ExportAuditPackResult } from '../../../electron/core/pack/exportAuditPack';
import { PACK_SECTIONS } from '../../../electron/core/pack/packHandlers';
import { reportExportsDir } from '../../../electron/core/pack/packPaths';
import { verifyAuditPack } from '../../../electron/core/pack/verifyAuditPack';
import { loadOrCreateWorkspaceCertificate, type WorkspaceCertificate } from '../../../electron/core/pack/workspaceCertificate';
import { listAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { MODEL, PACK_TIME, RESOURCES, seedWorkspace, VERSION, type SeededWorkspace } from '../pack/auditPackFixtures';

/** Where the PDFs and page images are kept to look at. The tests work in WORK and copy there, so a
 *  concurrent run that clears test-results/ cannot pull files from under them. */
const OUT = resolve('test-results/sunset');
const WORK = mkdtempSync(join(tmpdir(), 'docket-sunset-'));
function keep(file: string): void {
  mkdirSync(OUT, { recursive: true });
  copyFileSync(file, join(OUT, basename(file)));
}
const FONTS = join(RESOURCES, 'fonts');
const PLAN = {
  replacement: null,
  drainDate: '2026-12-01',
  retirementDate: '2026-12-31',
  dataRetention: 'Scores and feature snapshots kept 7 years in the governed archive (s3://halden-archive/fraud), then deleted; endpoint logs kept 90 days.',
  rollback: 'Redeploy the v3 container from the registry (image digest pinned in the deploy job) and re-enable the card-txn route; about 30 minutes.',
  owner: 'Priya Raman (fraud ML platform)',
  sharedMonthly: 12.5,
  commitments: [{ label: 'Reserved endpoint capacity (1 year)', monthly: 40, until: '2027-03-31' }],
};
const REASONS = [
  { code: 'low-traffic-for-cost', detail: '$0.58 per 1,000 predictions, 5.3× the peer median of $0.11 over the last 30 days of usage.' },
  { code: 'superseded', detail: 'Version 4 has served since 2026-10-01; version 3 took 0.4% of the traffic since.' },
];

function tool(command: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(tool('pdfinfo', [file]).out)?.[1]);
const text = (file: string) => tool('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).out;
const flat = (file: string) => text(file).replace(/\s+/g, ' ');
/** Page images to look at: test-results/sunset/<prefix>-<n>.png (with the PDF itself). */
function pngs(file: string, prefix: string, range: { first?: number; last?: number } = {}): string[] {
  const dir = mkdtempSync(join(WORK, 'png-'));
  const args = ['-r', '60', '-png', ...(range.first ? ['-f', String(range.first)] : []), ...(range.last ? ['-l', String(range.last)] : []), file, join(dir, prefix)];
  expect(tool('pdftoppm', args).status).toBe(0);
  const made = readdirSync(dir).filter((f) => f.endsWith('.png'));
  for (const f of made) keep(join(dir, f));
  keep(file);
  return made;
}

let w: SeededWorkspace;
let sunsetId: number;
let deps: SunsetDeps;

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  w = await seedWorkspace();
  deps = { store: w.t.store, actor: 'reviewer', clock: () => new Date('2026-11-20T10:00:00.000Z') };
  sunsetId = proposeSunset(deps, { model: MODEL, version: VERSION, plan: PLAN, reasons: REASONS }).id;
  decideSunset({ ...deps, clock: () => new Date('2026-11-24T15:30:00.000Z') }, { sunsetId, kind: 'approve', rationale: 'Traffic has moved to v4; the plan keeps the data for the regulator and can be rolled back in half an hour.', key: w.ada });
}, 120_000);
afterAll(() => {
  w.t.cleanup();
  rmSync(WORK, { recursive: true, force: true });
});

describe('exportSunsetSummary', () => {
  let a: { path: string; sha256: string };
  let b: { path: string; sha256: string };
  let view: SunsetView;

  beforeAll(async () => {
    const options = { sunsetId, resourcesDir: RESOURCES, clock: () => PACK_TIME, actor: 'reviewer', env: {} };
    a = await exportSunsetSummary(w.t.store, { ...options, outPath: join(WORK, 'summary-a.pdf') });
    b = await exportSunsetSummary(w.t.store, { ...options, outPath: join(WORK, 'summary-b.pdf') });
    view = sunsetView(w.t.store.db, sunsetId)!;
  }, 60_000);

  it('is one A4 page stating the model, the saving, the plan, the reasons, the dependents and the signer', () => {
    expect(pages(a.path)).toBe(1);
    expect(tool('pdfinfo', [a.path]).out).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const t = flat(a.path);
    expect(t).toContain(`Sunset summary: ${MODEL}@${VERSION}`);
    expect(t).toContain('APPROVED');
    expect(t).toContain('DEPRECATED');
    expect(t).toContain(formatMoney(view.saving.net, view.saving.currency));
    // The calculator's figures: gross less shared costs less the commitment still running.
    expect(view.saving.net).toBeCloseTo(view.saving.gross - 12.5 - 40, 2);
    expect(t).toContain(formatMoney(view.saving.gross, view.saving.currency));
    expect(t).toContain('−$12.50');
    expect(t).toContain('−$40.00');
    expect(t).toContain('Reserved endpoint capacity');
    expect(t).toContain(`Basis: ${view.saving.basis.slice(0, 20)}`);
    expect(t).toContain('saving by month, 2027-01 to 2027-12'); // counted from the month after the 2026-12-31 retirement
    expect(t).toContain('2026-12-31');
    expect(t).toContain('2026-12-01');
    expect(t).toContain(PLAN.owner);
    expect(t).toContain('Ada Lovelace');
    expect(t).toContain('ml-lead');
    expect(t).toContain(shortKeyId(w.ada.keyId));
    expect(t).toContain('✓ verified');
    expect(t).toContain('Low traffic for its cost');
    expect(t).toContain('Superseded by a newer version');
    expect(t).toContain('Dependents');
    expect(t).toContain(view.planSha256.slice(0, 8));
    expect(t).toContain('page 1 of 1');
    // A dependents line names the deployments the lineage graph shows (or says there are none).
    const dependents = sunsetDependents(w.t.store.db, MODEL, VERSION);
    if (dependents.deployments.length > 0) expect(t).toContain(dependents.deployments[0]!.label);
    else expect(t).toMatch(/Deployments \(0\)|No deployments/);
  });

  it('carries a valid embedded signature from the workspace certificate', () => {
    const sig = tool('pdfsig', [a.path]).out;
    writeFileSync(join(WORK, 'summary-a.pdfsig.txt'), sig);
    keep(join(WORK, 'summary-a.pdfsig.txt'));
    expect(sig).toContain('Signature is Valid');
    expect(sig).toContain('Total document signed');
    expect(existsSync(join(w.t.dir, 'pki'))).toBe(true);
  });

  it('gives the same bytes for the same state and clock, and records each export in the audit log', () => {
    expect(readFileSync(a.path).equals(readFileSync(b.path))).toBe(true);
    expect(a.sha256).toBe(b.sha256);
    const entries = listAudit(w.t.store.db, 200).filter((e) => e.action === 'sunset.summary.exported');
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.detail)).toEqual(expect.arrayContaining([expect.objectContaining({ sunsetId, path: a.path, sha256: a.sha256 }), expect.objectContaining({ path: b.path, sha256: b.sha256 })]));
    expect(entries[0]!.subject).toBe(`${MODEL}@${VERSION}`);
    expect(verifyAuditChain(w.t.store.db).ok).toBe(true);
  });

  it('follows SOURCE_DATE_EPOCH, writes to exports/reports by default with a safe name, and leaves no partial file', async () => {
    const epoch = String(Date.parse('2026-11-25T00:00:00Z') / 1000);
    const c = await exportSunsetSummary(w.t.store, { sunsetId, resourcesDir: RESOURCES, clock: () => new Date(), actor: 'reviewer', env: { SOURCE_DATE_EPOCH: epoch } });
    const d = await exportSunsetSummary(w.t.store, { sunsetId, resourcesDir: RESOURCES, clock: () => new Date(Date.now() + 5000), actor: 'reviewer', env: { SOURCE_DATE_EPOCH: epoch }, outPath: join(WORK, 'summary-epoch.pdf') });
    expect(c.path).toBe(join(reportExportsDir(w.t.store.path), `sunset-${MODEL}-${VERSION}-${sunsetId}.pdf`));
    expect(c.sha256).toBe(d.sha256);
    expect(c.sha256).not.toBe(a.sha256);
    expect(flat(c.path)).toContain('generated 2026-11-25 00:00 UTC');
    expect(readdirSync(reportExportsDir(w.t.store.path)).filter((f) => f.includes('.partial-'))).toEqual([]);
    expect(sunsetSummaryFileName('team/fraud scorer', '../3', 7)).toBe('sunset-team_fraud_scorer-__3-7.pdf');
  });

  it('refuses an unknown sunset', async () => {
    await expect(exportSunsetSummary(w.t.store, { sunsetId: 999, resourcesDir: RESOURCES, clock: () => PACK_TIME, actor: 'reviewer', env: {} })).rejects.toThrow(/no sunset review #999/);
  });

  it('stays on one page with long text, many reasons, commitments, dependents and decisions', async () => {
    const long = (s: string, n: number) => Array.from({ length: n }, (_, i) => `${s} ${i + 1}.`).join(' ');
    const huge: SunsetView = {
      ...view,
      model: `${MODEL}-with-an-exceptionally-long-model-name-for-the-title-line`,
      version: '2026.11.26-rc.1+build.4711',
      state: 'approved',
      plan: {
        ...view.plan,
        replacement: { model: 'fraud-score-card-txn-next-generation-ensemble', version: '12' },
        owner: long('Owner team with a very long name', 8),
        dataRetention: long('Keep the scored transactions and the features in the governed archive for seven years then delete them', 30),
        rollback: long('Redeploy the pinned image, restore the route, re-run the smoke tests and tell the on-call', 30),
        notes: long('A note that goes on', 200),
        commitments: Array.from({ length: 50 }, (_, i) => ({ label: `Reserved capacity block ${i + 1}`, monthly: 10, until: '2027-06-30' })),
      },
      saving: {
        ...view.saving,
        shared: 0,
        committed: 500,
        net: 0,
        basis: long('spend tagged with a very long explanation of which spend counted', 20),
        lines: [view.saving.lines[0]!, ...Array.from({ length: 50 }, (_, i) => ({ label: `Less commitment still running: Reserved capacity block ${i + 1} (paid until 2027-06-30)`, amount: -10 }))],
      },
      reasons: Array.from({ length: 8 }, (_, i) => ({ code: i % 2 ? 'stale' : 'no-owner', detail: long('A long reason sentence with numbers 1,234.56', 12) })),
      decisions: Array.from({ length: 5 }, (_, i) => ({ ...view.decisions[0]!, id: i + 1, signer: `${long('Signer with a long name', 3)}`, rationale: long('A rationale that goes on and on', 80), verified: i % 2 === 1, verification: 'the record differs from what was signed' })),
    };
    const manyDependents: SunsetDependents = {
      deployments: Array.from({ length: 40 }, (_, i) => ({ key: `deployment:endpoint-${i}`, label: `card-txn-endpoint-eu-west-${i}` })),
      downstream: Array.from({ length: 120 }, (_, i) => ({ kind: i % 3 ? 'run' : 'dataset', key: `run:${i}`, label: `downstream-consumer-${i}` })),
      truncated: true,
    };
    const pdf = await renderSunsetSummary(huge, manyDependents, { fontsDir: FONTS, generatedAt: '2026-11-26T09:00:00Z' });
    const file = join(WORK, 'summary-long.pdf');
    writeFileSync(file, pdf);
    keep(file);
    expect(pages(file)).toBe(1);
    const t = flat(file);
    expect(t).toContain('…');
    expect(t).toMatch(/and \d+ more reasons/);
    expect(t).toContain('and 47 more commitments');
    expect(t).toContain('Not below zero');
    expect(t).toMatch(/Deployments \(40\) card-txn-endpoint-eu-west-0, .* and 3\d more Downstream \(120\+\)/);
    expect(t).toMatch(/and 11\d more \(the walk stopped at its cap: there are more\)/);
    expect(t).toMatch(/and [1-4] more decisions?/);
    expect(t).toContain('DOES NOT VERIFY');
    expect(t).toContain('page 1 of 1');
    // A proposed sunset with nothing recorded reads as such.
    const bare: SunsetView = { ...view, state: 'proposed', closedAt: null, lifecycle: { state: 'active', since: null }, reasons: [], decisions: [] };
    const barePdf = await renderSunsetSummary(bare, { deployments: [], downstream: [], truncated: false }, { fontsDir: FONTS, generatedAt: '2026-11-26T09:00:00Z' });
    const bareFile = join(WORK, 'summary-proposed.pdf');
    writeFileSync(bareFile, barePdf);
    expect(pages(bareFile)).toBe(1);
    const bt = flat(bareFile);
    expect(bt).toContain('PROPOSED');
    expect(bt).toContain('ACTIVE');
    expect(bt).toContain('No signed decision yet');
    expect(bt).toContain('No candidate reasons were recorded');
    // Page images, to look at.
    for (const [f, prefix] of [[a.path, 'summary'], [file, 'summary-long'], [bareFile, 'summary-proposed']] as const) expect(pngs(f, prefix).length).toBe(1);
  }, 60_000);
});

describe('the audit pack after an approved sunset', () => {
  let cert: WorkspaceCertificate;
  let first: ExportAuditPackResult;
  let second: ExportAuditPackResult;
  let evidence: AuditEvidenceBundle;

  beforeAll(async () => {
    cert = loadOrCreateWorkspaceCertificate(join(w.t.dir, 'pki-pack'), () => new Date('2026-01-01T00:00:00Z'), { keyBits: 2048 });
    const exportTo = (dir: string) => exportAuditPack(w.t.store, { resourcesDir: RESOURCES, model: MODEL, version: VERSION, outDir: join(WORK, dir), clock: () => PACK_TIME, reviewerKey: w.ada, pdfIdentity: cert, env: {}, actor: 'reviewer' });
    first = await exportTo('pack-a');
    // Exporting a summary in between changes nothing the pack states.
    await exportSunsetSummary(w.t.store, { sunsetId, resourcesDir: RESOURCES, clock: () => PACK_TIME, actor: 'reviewer', env: {}, outPath: join(WORK, 'summary-between.pdf') });
    second = await exportTo('pack-b');
    evidence = JSON.parse(readFileSync(join(first.folder, PACK_FILES.evidence), 'utf8')) as AuditEvidenceBundle;
  }, 120_000);

  it('states the lifecycle in evidence.json: deprecated, with the sunset and its signed decision', () => {
    const life = evidence.lifecycle!;
    expect(life).toMatchObject({ state: 'deprecated', since: '2026-11-24T15:30:00.000Z', sunsetId });
    expect(life.sunsets).toHaveLength(1);
    const s = life.sunsets[0]!;
    expect(s).toMatchObject({ id: sunsetId, state: 'approved', plan: expect.objectContaining({ retirementDate: '2026-12-31', owner: PLAN.owner, replacement: null }), saving: expect.objectContaining({ currency: expect.any(String), basis: expect.any(String) }) });
    expect(s.planSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.decisions).toHaveLength(1);
    expect(s.decisions[0]).toMatchObject({ kind: 'approve', signer: 'Ada Lovelace', role: 'ml-lead', keyId: w.ada.keyId, verified: true });
    expect(s.decisions[0]!.envelope.payloadType).toBe(SUNSET_PAYLOAD_TYPE);
    // The sunset's signer is among the pack's keys; decisions.json keeps only the release decisions.
    expect(evidence.keys.map((k) => k.keyId)).toContain(w.ada.keyId);
    const decisions = JSON.parse(readFileSync(join(first.folder, PACK_FILES.decisions), 'utf8'));
    expect(decisions.decisions).toHaveLength(2);
    expect(JSON.stringify(decisions)).not.toContain(SUNSET_PAYLOAD_TYPE);
  });

  it('has a Lifecycle section (bookmarked, before the appendix) and says "deprecated" on the cover', () => {
    const pdf = join(first.folder, PACK_FILES.pdf);
    const t = flat(pdf);
    expect(t).toContain('⚠ Deprecated: retires 2026-12-31 (sunset #1)');
    const section = t.slice(t.lastIndexOf('Lifecycle A version is deprecated'));
    expect(section).toContain('DEPRECATED');
    expect(section).toContain('Sunset #1');
    expect(section).toContain('2026-12-31');
    expect(section).toContain('Ada Lovelace');
    expect(section).toContain('VERIFIED');
    expect(t.indexOf('Lifecycle A version is deprecated')).toBeGreaterThan(t.lastIndexOf('Reviews and decisions'));
    expect(t.indexOf('Lifecycle A version is deprecated')).toBeLessThan(t.lastIndexOf('Appendix: hashes and verification'));
    expect(PACK_SECTIONS.indexOf('Lifecycle')).toBe(PACK_SECTIONS.indexOf('Reviews and decisions') + 1);
    const total = pages(pdf);
    const lifecyclePage = Array.from({ length: total }, (_, i) => i + 1).find((p) => tool('pdftotext', ['-f', String(p), '-l', String(p), '-enc', 'UTF-8', pdf, '-']).out.includes('A version is deprecated when'))!;
    expect(lifecyclePage).toBeGreaterThan(1);
    pngs(pdf, 'pack-cover', { first: 1, last: 1 });
    pngs(pdf, 'pack-lifecycle', { first: lifecyclePage, last: lifecyclePage });
  }, 60_000);

  it('still verifies, and re-exports byte for byte (a summary export in between changes nothing)', () => {
    const result = verifyAuditPack(first.folder, { db: w.t.store.db });
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(second.evidenceSha256).toBe(first.evidenceSha256);
    for (const file of Object.values(PACK_FILES)) expect(readFileSync(join(second.folder, file)).equals(readFileSync(join(first.folder, file))), file).toBe(true);
  });
});
