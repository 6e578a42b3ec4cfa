import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { CanonicalCard, CardRejection } from '../../../shared/domain/modelCard';
import { cardCompleteness } from '../../../shared/domain/completeness';
import type { ImportResult } from '../../../shared/ipc/contract';
import type { Store } from '../store/openStore';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import { finishRun, recordRejectedRun, startRun } from '../store/syncRuns';
import { collectInputFiles, type CollectedFile } from '../collectInputFiles';
import { parseCardFile, MAX_CARD_BYTES } from './parseCardFile';
import { InputFileError } from '../inputFileError';

export interface ImportCardsOptions {
  /** Version for cards that do not state one (the CLI's --version). */
  fallbackVersion?: string;
  actor: string;
  clock: Clock;
  onProgress?: (progress: { done: number; total: number; file: string }) => void;
}

/** Markdown files that are model cards when found in a folder (any .md named by the user counts). */
export function looksLikeMarkdownCard(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return lower === 'readme.md' || lower.endsWith('_readme.md') || lower === 'modelcard.md' || lower === 'model_card.md' || lower.endsWith('.model_card.md');
}

const CARD_FILES = {
  accept: (name: string) => (extname(name).toLowerCase() === '.md' && looksLikeMarkdownCard(name)) || extname(name).toLowerCase() === '.json',
  nothingFound: 'no model card found (README.md, *_README.md or *.json)',
};

interface ParsedCard {
  file: string;
  card: CanonicalCard;
  raw: Buffer;
  sha256: string;
}

/** What the inventory list needs from a card, stored beside it. */
export interface CardSummary {
  license: string | null;
  owners: string[];
  tags: string[];
  completeness: ReturnType<typeof cardCompleteness>;
}

/**
 * Imports model cards from files and folders, all or nothing: every file is parsed and checked
 * first; if any is rejected, no card is written (the failed run itself is recorded for the audit).
 * Re-importing an identical file (same sha256) changes nothing.
 */
export function importCards(store: Store, paths: readonly string[], options: ImportCardsOptions): ImportResult {
  const { files, rejections } = collectInputFiles(paths, CARD_FILES);
  const parsed = parseAll(files, options, rejections);
  rejectDuplicates(parsed, rejections);
  const db = store.db;
  const at = isoNow(options.clock);

  if (rejections.length > 0) {
    const syncRunId = recordRejectedRun(db, 'cards', paths, rejections, options.actor, at);
    return { imported: 0, unchanged: 0, rejected: rejections, syncRunId };
  }

  return db.transaction((): ImportResult => {
    const syncRunId = startRun(db, 'cards', at, paths);
    let imported = 0;
    let unchanged = 0;
    for (const item of parsed) {
      if (writeCard(db, item, syncRunId, at, options.actor)) imported += 1;
      else unchanged += 1;
    }
    finishRun(db, syncRunId, 'ok', { imported, unchanged, rejected: 0 }, {}, at);
    appendAudit(db, { actor: options.actor, action: 'cards.import', subject: `sync_run:${syncRunId}`, detail: { paths, imported, unchanged } }, at);
    return { imported, unchanged, rejected: [], syncRunId };
  }).immediate();
}

function parseAll(files: CollectedFile[], options: ImportCardsOptions, rejections: CardRejection[]): ParsedCard[] {
  const parsed: ParsedCard[] = [];
  files.forEach((f, index) => {
    options.onProgress?.({ done: index, total: files.length, file: f.path });
    if (f.size > MAX_CARD_BYTES) {
      rejections.push({ file: f.path, location: 'file', reason: `file is ${formatMb(f.size)}; model cards are limited to ${formatMb(MAX_CARD_BYTES)}` });
      return;
    }
    let raw: Buffer;
    try {
      raw = readFileSync(f.path);
    } catch (err) {
      rejections.push({ file: f.path, location: 'file', reason: `cannot read: ${(err as Error).message}` });
      return;
    }
    // Inside a walked folder, JSON that is valid but not a card (config.json, tokenizer.json) is not ours to judge.
    if (!f.explicit && extname(f.path).toLowerCase() === '.json' && isForeignJson(raw)) return;
    try {
      const sha256 = createHash('sha256').update(raw).digest('hex');
      const cards = parseCardFile({ path: f.path, bytes: raw }, { fallbackVersion: options.fallbackVersion });
      for (const card of cards) parsed.push({ file: f.path, card, raw, sha256 });
    } catch (err) {
      if (err instanceof InputFileError) rejections.push({ file: f.path, location: err.location, reason: err.reason });
      else rejections.push({ file: f.path, location: 'file', reason: (err as Error).message });
    }
  });
  options.onProgress?.({ done: files.length, total: files.length, file: '' });
  return parsed;
}

function isForeignJson(raw: Buffer): boolean {
  try {
    const value = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
    return !('bomFormat' in value) && !('model_details' in value);
  } catch {
    return false; // broken JSON: let the parser reject it with a line number
  }
}

function rejectDuplicates(parsed: ParsedCard[], rejections: CardRejection[]): void {
  const firstFileFor = new Map<string, string>();
  for (const item of parsed) {
    const key = `${item.card.modelName}\u0000${item.card.version}`;
    const first = firstFileFor.get(key);
    if (first === undefined) firstFileFor.set(key, item.file);
    else
      rejections.push({
        file: item.file,
        location: 'file',
        reason: `${item.card.modelName} version ${item.card.version} is also described by ${first}; import one card per model version`,
      });
  }
}

/** Upserts model, version and card; returns false when the stored card already has these exact bytes. */
function writeCard(db: Database, item: ParsedCard, syncRunId: number, at: string, actor: string): boolean {
  const { card } = item;
  db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING').run(card.modelName, at, at);
  const model = db.prepare('SELECT id FROM models WHERE name = ?').get(card.modelName) as { id: number };
  db.prepare('INSERT INTO model_versions (model_id, version, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(model_id, version) DO NOTHING').run(
    model.id,
    card.version,
    at,
    at,
  );
  const version = db.prepare('SELECT id FROM model_versions WHERE model_id = ? AND version = ?').get(model.id, card.version) as { id: number };
  const existing = db.prepare('SELECT source_sha256 FROM model_cards WHERE model_version_id = ?').get(version.id) as { source_sha256: string } | undefined;
  if (existing?.source_sha256 === item.sha256) return false;

  const summary: CardSummary = {
    license: card.license,
    owners: card.owners.map((o) => o.name),
    tags: card.tags,
    completeness: cardCompleteness(card),
  };
  db.prepare(
    `INSERT INTO model_cards (model_version_id, format, canonical_json, summary_json, source_path, source_sha256, raw, imported_at, sync_run_id)
     VALUES (@id, @format, @canonical, @summary, @path, @sha, @raw, @at, @run)
     ON CONFLICT(model_version_id) DO UPDATE SET format = excluded.format, canonical_json = excluded.canonical_json,
       summary_json = excluded.summary_json, source_path = excluded.source_path, source_sha256 = excluded.source_sha256,
       raw = excluded.raw, imported_at = excluded.imported_at, sync_run_id = excluded.sync_run_id`,
  ).run({
    id: version.id,
    format: card.format,
    canonical: JSON.stringify(card),
    summary: JSON.stringify(summary),
    path: item.file,
    sha: item.sha256,
    raw: item.raw,
    at,
    run: syncRunId,
  });
  db.prepare('DELETE FROM model_version_tags WHERE model_version_id = ?').run(version.id);
  const insertTag = db.prepare("INSERT OR IGNORE INTO model_version_tags (model_version_id, key, value) VALUES (?, ?, '')");
  for (const tag of card.tags) insertTag.run(version.id, tag);
  db.prepare('UPDATE model_versions SET updated_at = ? WHERE id = ?').run(at, version.id);
  db.prepare('UPDATE models SET updated_at = ? WHERE id = ?').run(at, model.id);
  appendAudit(
    db,
    {
      actor,
      action: existing ? 'card.updated' : 'card.imported',
      subject: `${card.modelName}@${card.version}`,
      detail: { file: item.file, format: card.format, sha256: item.sha256, previousSha256: existing?.source_sha256 ?? null, syncRunId },
    },
    at,
  );
  return true;
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
