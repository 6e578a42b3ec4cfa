import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { importCards } from '../cards/importCards';
import { DB_FILE_NAME } from '../dataDir';
import { listModels } from '../models/modelQueries';
import { verifyAuditChain } from '../store/auditLog';
import type { Clock } from '../store/clock';
import { dbInfo } from '../store/dbInfo';
import { openStore } from '../store/openStore';
import type { CardRejection } from '../../../shared/domain/modelCard';

/** Hugging Face READMEs carry no version, so the demo's manifest says which version each one is. */
const ManifestSchema = z.array(z.object({ path: z.string(), version: z.string() }));

export interface DemoOptions {
  outDir: string;
  resourcesDir: string;
  clock: Clock;
  actor: string;
}

export interface DemoSummary {
  ok: boolean;
  text: string;
  machine: { dbPath: string; models: number; versions: number; imported: number; rejected: CardRejection[]; auditEntries: number };
}

/** Builds a fresh demo workspace in outDir from resources/demo and summarizes it. */
export async function buildDemoWorkspace(options: DemoOptions): Promise<DemoSummary> {
  const cardsDir = join(options.resourcesDir, 'demo', 'cards');
  if (!existsSync(cardsDir)) throw new Error(`Demo data not found at ${cardsDir}`);
  mkdirSync(options.outDir, { recursive: true });
  const dbPath = join(options.outDir, DB_FILE_NAME);
  // The demo is rebuilt from scratch each time so its output is predictable.
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });

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

    const models = listModels(store.db);
    const info = dbInfo(store);
    const chain = verifyAuditChain(store.db);
    const incomplete = models.filter((m) => m.completeness.missing.length + m.completeness.empty.length > 0).length;
    const text = [
      `Demo workspace built in ${options.outDir}`,
      `  database:        ${dbPath}`,
      `  models:          ${models.length} (${info.counts.model_versions ?? 0} versions)`,
      `  cards imported:  ${imported}`,
      `  incomplete cards (latest version): ${incomplete}`,
      `  audit chain:     ${chain.ok ? `intact, ${chain.checked} entries` : `BROKEN: ${chain.reason}`}`,
      ...rejected.map((r) => `  rejected: ${relative(options.resourcesDir, r.file)}: ${r.location}: ${r.reason}`),
      '',
      `Open it: docket --db ${dbPath} models list`,
    ].join('\n');
    return {
      ok: rejected.length === 0 && chain.ok,
      text,
      machine: { dbPath, models: models.length, versions: info.counts.model_versions ?? 0, imported, rejected, auditEntries: chain.checked },
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
