import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { importCards } from '../cards/importCards';
import { importLineage } from '../lineage/importLineage';
import { importFocus } from '../spend/importFocus';
import { importUsage } from '../spend/importUsage';
import { recordRegistrySnapshot } from '../mlflow/syncMlflow';
import type { RegistrySnapshot } from '../../../shared/domain/registry';
import { importFairness } from '../fairness/importFairness';
import { fairnessStatusByVersion } from '../fairness/fairnessQueries';
import { loadDefaultPolicy } from '../policy/loadPolicy';
import { DB_FILE_NAME } from '../dataDir';
import { listModels } from '../models/modelQueries';
import { verifyAuditChain } from '../store/auditLog';
import type { Clock } from '../store/clock';
import { addDemoBudgets } from './demoBudgets';
import { dbInfo } from '../store/dbInfo';
import { openStore } from '../store/openStore';
import { addDemoReviews, type DemoReviews } from './demoReviews';
import type { CardRejection } from '../../../shared/domain/modelCard';

/** Hugging Face READMEs carry no version, so the demo's manifest says which version each one is. */
const ManifestSchema = z.array(z.object({ path: z.string(), version: z.string() }));
/** CSV evaluations carry no model or provenance: the manifest gives them, as a user would on the command line. */
const FairnessManifestSchema = z.array(
  z.object({
    path: z.string(),
    model: z.string().nullable(),
    version: z.string().nullable(),
    dataset: z.string().nullable(),
    datasetDigest: z.string().nullable(),
    producer: z.string().nullable(),
  }),
);

export interface DemoOptions {
  outDir: string;
  resourcesDir: string;
  clock: Clock;
  actor: string;
}

export interface DemoSummary {
  ok: boolean;
  text: string;
  reviews: DemoReviews;
  machine: { dbPath: string; models: number; versions: number; imported: number; fairnessEvaluations: number; failingFairness: string[]; rejected: CardRejection[]; auditEntries: number };
}

/** Builds a fresh demo workspace in outDir from resources/demo and summarizes it. */
export async function buildDemoWorkspace(options: DemoOptions): Promise<DemoSummary> {
  const cardsDir = join(options.resourcesDir, 'demo', 'cards');
  if (!existsSync(cardsDir)) throw new Error(`Demo data not found at ${cardsDir}`);
  mkdirSync(options.outDir, { recursive: true });
  const dbPath = join(options.outDir, DB_FILE_NAME);
  // The demo is rebuilt from scratch each time so its output is predictable.
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  rmSync(join(options.outDir, 'keys'), { recursive: true, force: true });

  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(cardsDir, 'manifest.json'), 'utf8')));
  const store = openStore(dbPath);
  try {
    const rejected: CardRejection[] = [];
    let imported = 0;
    const run = (paths: string[], fallbackVersion?: string) => {
      const result = importCards(store, paths, { fallbackVersion, actor: options.actor, clock: options.clock });
      imported += result.imported;
      rejected.push(...result.rejected);
    };
    const byVersion = new Map<string, string[]>();
    for (const entry of manifest) byVersion.set(entry.version, [...(byVersion.get(entry.version) ?? []), join(cardsDir, entry.path)]);
    for (const [version, paths] of [...byVersion].sort()) run(paths, version);
    const jsonCards = listFiles(cardsDir).filter((f) => f.endsWith('.json') && !f.endsWith('manifest.json'));
    if (jsonCards.length > 0) run(jsonCards);

    const fairnessDir = join(options.resourcesDir, 'demo', 'fairness');
    let evaluations = 0;
    if (existsSync(fairnessDir)) {
      const entries = FairnessManifestSchema.parse(JSON.parse(readFileSync(join(fairnessDir, 'manifest.json'), 'utf8')));
      for (const e of entries) {
        const result = importFairness(store, [join(fairnessDir, e.path)], {
          target: e.model && e.version ? { name: e.model, version: e.version } : undefined,
          dataset: { name: e.dataset, digest: e.datasetDigest },
          producer: e.producer ?? undefined,
          actor: options.actor,
          clock: options.clock,
        });
        evaluations += result.imported;
        rejected.push(...result.rejected);
      }
    }

    // Three registry syncs a month apart: aliases and stages move, so history has something to answer.
    const syncsFile = join(options.resourcesDir, 'demo', 'registry', 'syncs.json');
    let registrySyncs = 0;
    if (existsSync(syncsFile)) {
      for (const { at, snapshot } of JSON.parse(readFileSync(syncsFile, 'utf8')) as { at: string; snapshot: RegistrySnapshot }[]) {
        recordRegistrySnapshot(store, snapshot, { url: snapshot.url, actor: options.actor, at });
        registrySyncs += 1;
      }
    }
    const lineageDir = join(options.resourcesDir, 'demo', 'lineage');
    let lineageEvents = 0;
    if (existsSync(lineageDir)) {
      const result = importLineage(store, [lineageDir], { actor: options.actor, clock: options.clock });
      lineageEvents = result.imported;
      rejected.push(...result.rejected);
    }

    const spendDir = join(options.resourcesDir, 'demo', 'spend');
    let spendRows = 0;
    if (existsSync(spendDir)) {
      const result = await importFocus(store, [spendDir], { actor: options.actor, clock: options.clock });
      for (const f of result.files) {
        spendRows += f.rows;
        for (const r of f.rejected) rejected.push({ file: f.file, location: r.line === null ? 'file' : `line ${r.line}`, reason: r.reason });
      }
    }

    const usageFile = join(options.resourcesDir, 'demo', 'usage', 'halden-usage-2026q1.csv');
    if (existsSync(usageFile)) rejected.push(...importUsage(store, usageFile, { actor: options.actor, clock: options.clock }).rejected);

    const reviews = await addDemoReviews(store, options);
    const budgetLines = addDemoBudgets(store, options);

    const models = listModels(store.db, fairnessStatusByVersion(store.db, loadDefaultPolicy(options.resourcesDir)));
    const failingFairness = models.filter((m) => m.fairnessStatus === 'fail').map((m) => m.name);
    const info = dbInfo(store);
    const chain = verifyAuditChain(store.db);
    const incomplete = models.filter((m) => m.completeness.missing.length + m.completeness.empty.length > 0).length;
    const text = [
      `Demo workspace built in ${options.outDir}`,
      `  database:        ${dbPath}`,
      `  models:          ${models.length} (${info.counts.model_versions ?? 0} versions)`,
      `  cards imported:  ${imported}`,
      `  incomplete cards (latest version): ${incomplete}`,
      `  registry syncs:  ${registrySyncs} (alias and stage history)`,
      `  lineage events:  ${lineageEvents}`,
      `  spend:           ${spendRows} FOCUS line items`,
      `  fairness evaluations: ${evaluations} (failing policy on latest version: ${failingFairness.join(', ') || 'none'})`,
      ...reviews.lines,
      ...budgetLines,
      `  audit chain:     ${chain.ok ? `intact, ${chain.checked} entries` : `BROKEN: ${chain.reason}`}`,
      ...rejected.map((r) => `  rejected: ${relative(options.resourcesDir, r.file)}: ${r.location}: ${r.reason}`),
      '',
      `Open it: docket --db ${dbPath} models list`,
    ].join('\n');
    return {
      ok: rejected.length === 0 && chain.ok,
      text,
      reviews,
      machine: { dbPath, models: models.length, versions: info.counts.model_versions ?? 0, imported, fairnessEvaluations: evaluations, failingFairness, rejected, auditEntries: chain.checked },
    };
  } finally {
    store.close();
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
