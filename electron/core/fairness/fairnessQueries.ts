import type { Database } from 'better-sqlite3';
import type {
  DisparityChange,
  FairnessEvaluationInput,
  FairnessEvaluationView,
  FairnessStatus,
  FairnessVersionView,
} from '../../../shared/domain/fairness';
import { computeDisparities } from '../../../shared/fairness/disparities';
import { compareDisparities, evaluateThresholds, policySummary, statusOf, worstStatus, type FairnessPolicy } from '../../../shared/fairness/policy';
import { DocketError } from '../../../shared/ipc/result';
import { compareVersions } from '../models/versionOrder';
import { prepared } from '../policy/statementCache';
import { FAIRNESS_STATUS_READS } from '../policy/keptReads';
import { cachedByRevision } from '../policy/revisionCache';


interface EvaluationRow {
  id: number;
  model_version_id: number;
  evaluation_json: string;
  source_path: string;
  source_sha256: string;
  imported_at: string;
}

/** Judges one stored evaluation under the policy: disparities, verdicts, status. */
function judge(row: EvaluationRow, policy: FairnessPolicy): FairnessEvaluationView {
  const evaluation = JSON.parse(row.evaluation_json) as FairnessEvaluationInput;
  const report = computeDisparities(evaluation.groups, { minGroupCount: policy.fairness.minGroupCount, minGroupShare: policy.fairness.minGroupShare });
  const verdicts = evaluateThresholds(report, policy);
  const counts = evaluation.groups.map((g) => g.count);
  return {
    id: row.id,
    format: evaluation.format,
    dataset: evaluation.dataset,
    producer: evaluation.producer,
    evaluatedAt: evaluation.evaluatedAt,
    importedAt: row.imported_at,
    sourceFile: row.source_path,
    sha256: row.source_sha256,
    sensitiveFeatures: evaluation.sensitiveFeatures,
    controlFeatures: evaluation.controlFeatures,
    overall: evaluation.overall,
    groups: evaluation.groups,
    totalCount: counts.every((c): c is number => c !== null) ? counts.reduce((a, b) => a + b, 0) : null,
    report,
    verdicts,
    status: statusOf(verdicts),
  };
}

function evaluationsOf(db: Database, modelVersionId: number, policy: FairnessPolicy): FairnessEvaluationView[] {
  const rows = prepared(db, 'SELECT id, model_version_id, evaluation_json, source_path, source_sha256, imported_at FROM fairness_evaluations WHERE model_version_id = ? ORDER BY id')
    .all(modelVersionId) as EvaluationRow[];
  return rows.map((r) => judge(r, policy));
}

/** The fairness tab of one model version, compared with the latest earlier version that has evidence. */
export function fairnessVersionView(db: Database, name: string, version: string | undefined, policy: FairnessPolicy): FairnessVersionView {
  const versions = (
    prepared(db, 'SELECT v.id, v.version FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ?').all(name) as { id: number; version: string }[]
  ).sort((a, b) => compareVersions(a.version, b.version));
  if (versions.length === 0) throw new DocketError('NOT_FOUND', `No model named "${name}"`);
  const index = version === undefined ? versions.length - 1 : versions.findIndex((v) => v.version === version);
  const chosen = versions[index];
  if (!chosen) throw new DocketError('NOT_FOUND', `Model "${name}" has no version "${version ?? ''}"`);
  const evaluations = evaluationsOf(db, chosen.id, policy);

  let comparison: FairnessVersionView['comparison'] = null;
  for (let i = index - 1; i >= 0 && comparison === null; i--) {
    const earlier = versions[i]!;
    const previous = evaluationsOf(db, earlier.id, policy);
    if (previous.length === 0) continue;
    const changes: DisparityChange[] = [];
    for (const current of evaluations) {
      const match = previous.find((p) => sameFeatures(p.sensitiveFeatures, current.sensitiveFeatures));
      if (match) changes.push(...compareDisparities(match.report, current.report, current.sensitiveFeatures));
    }
    comparison = { previousVersion: earlier.version, changes };
  }
  return {
    model: name,
    version: chosen.version,
    policy: policySummary(policy),
    evaluations,
    status: evaluations.length === 0 ? 'none' : worstStatus(evaluations.map((e) => e.status)),
    comparison,
  };
}

/** Fairness status of every model version that has evaluations, for the inventory list. */
export function fairnessStatusByVersion(db: Database, policy: FairnessPolicy): ReadonlyMap<number, FairnessStatus> {
  // Judging every evaluation on every Models view: kept until the store or the policy changes. The
  // same Map comes back while nothing changed, so listModels can keep its answer too.
  return cachedByRevision(db, `fairnessStatusByVersion\u0000${JSON.stringify(policy)}`, FAIRNESS_STATUS_READS, () => judgeEveryVersion(db, policy));
}

function judgeEveryVersion(db: Database, policy: FairnessPolicy): Map<number, FairnessStatus> {
  const rows = prepared(db, 'SELECT id, model_version_id, evaluation_json, source_path, source_sha256, imported_at FROM fairness_evaluations').all() as EvaluationRow[];
  const byVersion = new Map<number, FairnessStatus[]>();
  for (const row of rows) {
    const statuses = byVersion.get(row.model_version_id) ?? [];
    statuses.push(judge(row, policy).status);
    byVersion.set(row.model_version_id, statuses);
  }
  return new Map([...byVersion].map(([id, statuses]) => [id, worstStatus(statuses)]));
}

function sameFeatures(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}
