import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Database } from 'better-sqlite3';

import type { FairnessEvaluationInput } from '../../../shared/domain/fairness';
import type { ImportResult } from '../../../shared/ipc/contract';
import { collectInputFiles } from '../collectInputFiles';
import { InputFileError } from '../inputFileError';
import { appendAudit } from '../store/auditLog';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { finishRun, recordRejectedRun, startRun } from '../store/syncRuns';
import { parseFairnessFile } from './parseFairnessFile';

export interface ImportFairnessOptions {
  /** The model version the evaluations belong to, unless a file names its own. */
  target?: { name: string; version: string };
  /** Filled in for CSV files, which carry no provenance of their own. */
  dataset?: { name: string | null; digest: string | null };
  producer?: string;
  actor: string;
  clock: Clock;
}

const FAIRNESS_FILES = {
  accept: (name: string) => ['.json', '.csv'].includes(extname(name).toLowerCase()),
  nothingFound: 'no fairness evaluation (*.json, *.csv) found',
};

interface ParsedEvaluation {
  file: string;
  evaluation: FairnessEvaluationInput;
  modelVersionId: number;
  subject: string;
  raw: Buffer;
  sha256: string;
}

/**
 * Imports fairness evaluations, all or nothing, into the model versions they belong to.
 * The version must already be in the inventory (import its card first): evidence about a model
 * Docket does not know would have nowhere to be reviewed.
 */
export function importFairness(store: Store, paths: readonly string[], options: ImportFairnessOptions): ImportResult {
  const db = store.db;
  const at = isoNow(options.clock);
  const { files, rejections } = collectInputFiles(paths, FAIRNESS_FILES);
  const parsed: ParsedEvaluation[] = [];
  for (const file of files) {
    try {
      const raw = readFileSync(file.path);
      const evaluation = withProvenance(parseFairnessFile({ path: file.path, bytes: raw }), options);
      const target = evaluation.model?.version ? { name: evaluation.model.name, version: evaluation.model.version } : options.target;
      if (!target) throw new InputFileError('file', 'the file does not name its model version; give one with --model <name>@<version>');
      const modelVersionId = findModelVersion(db, target.name, target.version);
      const sha256 = createHash('sha256').update(raw).digest('hex');
      parsed.push({ file: file.path, evaluation, modelVersionId, subject: `${target.name}@${target.version}`, raw, sha256 });
    } catch (err) {
      if (err instanceof InputFileError) rejections.push({ file: file.path, location: err.location, reason: err.reason });
      else rejections.push({ file: file.path, location: 'file', reason: (err as Error).message });
    }
  }
  if (rejections.length > 0) {
    const syncRunId = recordRejectedRun(db, 'fairness', paths, rejections, options.actor, at);
    return { imported: 0, unchanged: 0, rejected: rejections, syncRunId };
  }
  return db
    .transaction((): ImportResult => {
      const syncRunId = startRun(db, 'fairness', at, paths);
      let imported = 0;
      let unchanged = 0;
      for (const item of parsed) {
        if (writeEvaluation(db, item, syncRunId, at, options.actor)) imported += 1;
        else unchanged += 1;
      }
      finishRun(db, syncRunId, 'ok', { imported, unchanged, rejected: 0 }, {}, at);
      appendAudit(db, { actor: options.actor, action: 'fairness.import', subject: `sync_run:${syncRunId}`, detail: { paths, imported, unchanged } }, at);
      return { imported, unchanged, rejected: [], syncRunId };
    })
    .immediate();
}

/** CSV files carry no dataset or producer: the importer's options supply them. */
function withProvenance(evaluation: FairnessEvaluationInput, options: ImportFairnessOptions): FairnessEvaluationInput {
  return {
    ...evaluation,
    dataset: {
      name: evaluation.dataset.name ?? options.dataset?.name ?? null,
      digest: evaluation.dataset.digest ?? options.dataset?.digest ?? null,
    },
    producer: evaluation.producer ?? options.producer ?? null,
  };
}

function findModelVersion(db: Database, name: string, version: string): number {
  const row = db
    .prepare('SELECT v.id FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?')
    .get(name, version) as { id: number } | undefined;
  if (!row) throw new InputFileError('file', `${name}@${version} is not in the inventory; import its model card first`);
  return row.id;
}

function writeEvaluation(db: Database, item: ParsedEvaluation, syncRunId: number, at: string, actor: string): boolean {
  const { evaluation } = item;
  const result = db
    .prepare(
      `INSERT INTO fairness_evaluations (model_version_id, format, dataset_name, dataset_digest, producer, evaluated_at, sensitive_features,
         evaluation_json, source_path, source_sha256, raw, imported_at, sync_run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model_version_id, source_sha256) DO NOTHING`,
    )
    .run(
      item.modelVersionId,
      evaluation.format,
      evaluation.dataset.name,
      evaluation.dataset.digest,
      evaluation.producer,
      evaluation.evaluatedAt,
      JSON.stringify(evaluation.sensitiveFeatures),
      JSON.stringify(evaluation),
      item.file,
      item.sha256,
      item.raw,
      at,
      syncRunId,
    );
  if (result.changes === 0) return false;
  appendAudit(
    db,
    {
      actor,
      action: 'fairness.imported',
      subject: item.subject,
      detail: { file: item.file, format: evaluation.format, sha256: item.sha256, sensitiveFeatures: evaluation.sensitiveFeatures, syncRunId },
    },
    at,
  );
  return true;
}

