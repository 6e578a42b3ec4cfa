/**
 * The tables each kept answer reads (revisionCache keys it by their revisions, so a write to any
 * other table leaves it kept). In one place because answers nest: one that uses another must declare
 * that one's tables too, which revisionCache checks as it runs. test/unit/store/keptReads.test.ts
 * holds each list to the tables SQLite's plans for the answer's statements actually open.
 */

/** The all-model spend figures evidence reads (gatherEvidence): the daily roll-ups, not the line items. */
export const SPEND_BY_MODEL_READS: readonly string[] = ['spend_daily', 'usage_daily'];

/** The fairness status of every version (fairnessStatusByVersion). */
export const FAIRNESS_STATUS_READS: readonly string[] = ['fairness_evaluations'];

/** The inventory (listModels, modelPage); the fairness answer it is given is part of its key. */
export const MODEL_LIST_READS: readonly string[] = ['models', 'model_versions', 'model_cards'];

/** Every budget's status, with the threshold changes and anomalies found on the way (budgets/list). */
export const BUDGET_LIST_READS: readonly string[] = [
  ...['models', 'model_versions', 'alias_history', 'registry_events'],
  ...['budgets', 'budget_threshold_states', 'spend_anomalies', 'spend_daily'],
];

/** Facts a model's evidence is gathered from: its card, registry, lineage, fairness and decisions. */
const EVIDENCE_READS: readonly string[] = [
  ...['models', 'model_versions', 'model_cards', 'model_version_tags', 'model_aliases'],
  ...['lineage_nodes', 'lineage_edges', 'fairness_evaluations', 'decisions', 'evidence_snapshots'],
  ...SPEND_BY_MODEL_READS,
];

/** The verdict of every open review (refreshOpenReviews), under the active policy pack. */
export const OPEN_REVIEW_VERDICT_READS: readonly string[] = [...EVIDENCE_READS, 'reviews', 'policy_packs'];

/** What the sunset judgement reads in bulk (registry, serving cards, spend, traffic): kept between judgements. */
export const JUDGEMENT_INPUT_READS: readonly string[] = [
  ...['models', 'model_versions', 'model_cards', 'model_aliases', 'alias_history', 'stage_history'],
  ...['fairness_evaluations', 'spend_daily', 'usage_daily'],
];

/** The sunset judgement of every model, approved sunsets not yet set aside (judgeEveryModel, the judge workers). */
export const JUDGEMENT_READS: readonly string[] = [...EVIDENCE_READS, 'alias_history', 'stage_history'];

/** The sunset candidates: the judgement without the versions an approved sunset already moved on (sunsetCandidates). */
export const CANDIDATE_READS: readonly string[] = [...JUDGEMENT_READS, 'lifecycle_states'];
