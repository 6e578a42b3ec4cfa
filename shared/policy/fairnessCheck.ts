import type { DisparityReport } from '../domain/fairness';
import { evaluateThresholds, type FairnessPolicy } from '../fairness/policy';
import { modelRef, type EvidenceItem, type EvidenceSnapshot, type FairnessEvaluationEvidence, type RuleStatus } from './evidence';
import type { RuleOfKind } from './policyPack';

/** What a rule check returns before waivers are applied. */
export interface CheckOutcome {
  status: Exclude<RuleStatus, 'waived'>;
  reason: string;
  evidence: EvidenceItem[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

type Freshness = RuleOfKind<'evidence-freshness'> | undefined;

interface Dated {
  evaluation: FairnessEvaluationEvidence;
  /** The time its age is measured from; null when it cannot be dated under the rule. */
  date: string | null;
  ageDays: number | null;
  counts: boolean;
  why: string;
}

function describe(e: FairnessEvaluationEvidence): string {
  const on = e.dataset ? ` on ${e.dataset}` : '';
  const by = e.sensitiveFeatures.length > 0 ? ` by ${e.sensitiveFeatures.join(' x ')}` : '';
  return `Fairness evaluation #${e.id}${on}${by}`;
}

/** Which evaluations count under the tier's freshness rule, and why the others do not. */
export function dateEvaluations(snapshot: EvidenceSnapshot, freshness: Freshness): Dated[] {
  const asOf = Date.parse(snapshot.asOf);
  return snapshot.fairness.evaluations.map((evaluation) => {
    if (!freshness) return { evaluation, date: evaluation.evaluatedAt, ageDays: null, counts: true, why: 'no freshness limit in this tier' };
    const useImport = evaluation.evaluatedAt === null && freshness.undated === 'import-time';
    const date = evaluation.evaluatedAt ?? (useImport ? evaluation.importedAt : null);
    if (date === null || Number.isNaN(Date.parse(date))) {
      return { evaluation, date: null, ageDays: null, counts: false, why: `states no evaluation date, so it cannot show it is within ${freshness.maxAgeDays} days` };
    }
    const ageDays = Math.floor((asOf - Date.parse(date)) / DAY_MS);
    const dated = useImport ? `imported ${date.slice(0, 10)} (the file states no evaluation date)` : `evaluated ${date.slice(0, 10)}`;
    if (ageDays > freshness.maxAgeDays) {
      return { evaluation, date, ageDays, counts: false, why: `${dated}, ${ageDays} days before ${snapshot.asOf.slice(0, 10)}: older than the ${freshness.maxAgeDays}-day limit` };
    }
    return { evaluation, date, ageDays, counts: true, why: `${dated}, ${ageDays} days old (limit ${freshness.maxAgeDays})` };
  });
}

export function checkFreshness(snapshot: EvidenceSnapshot, rule: RuleOfKind<'evidence-freshness'>): CheckOutcome {
  const ref = modelRef(snapshot.model, 'fairness');
  const dated = dateEvaluations(snapshot, rule);
  const evidence = dated.map((d) => ({ kind: 'fairness' as const, ref, label: describe(d.evaluation), detail: `${d.counts ? 'current' : 'stale'}: ${d.why}` }));
  if (dated.length === 0) return { status: 'missing', reason: 'No fairness evaluation has been imported for this version.', evidence };
  const current = dated.filter((d) => d.counts);
  if (current.length === 0) {
    return { status: 'missing', reason: `No fairness evaluation is recent enough: ${dated.map((d) => `#${d.evaluation.id} ${d.why}`).join('; ')}.`, evidence };
  }
  return { status: 'pass', reason: `${current.length} of ${dated.length} fairness evaluation(s) are within ${rule.maxAgeDays} days.`, evidence };
}

/** The most recent counting evaluation per set of sensitive features: older runs are superseded. */
function latestPerFeatureSet(dated: Dated[]): Dated[] {
  const latest = new Map<string, Dated>();
  for (const d of dated.filter((x) => x.counts)) {
    const key = JSON.stringify([...d.evaluation.sensitiveFeatures].sort());
    const held = latest.get(key);
    const newer = !held || (d.date ?? '') > (held.date ?? '') || ((d.date ?? '') === (held.date ?? '') && d.evaluation.id > held.evaluation.id);
    if (newer) latest.set(key, d);
  }
  return [...latest.values()].sort((a, b) => a.evaluation.id - b.evaluation.id);
}

export function checkFairness(snapshot: EvidenceSnapshot, rule: RuleOfKind<'fairness'>, freshness: Freshness): CheckOutcome {
  const ref = modelRef(snapshot.model, 'fairness');
  const { evaluations, groupLimits } = snapshot.fairness;
  if (evaluations.length === 0) return { status: 'missing', reason: 'No fairness evaluation has been imported for this version.', evidence: [] };
  if (groupLimits.minGroupCount !== rule.minGroupCount || groupLimits.minGroupShare !== rule.minGroupShare) {
    return {
      status: 'missing',
      reason:
        `The evidence was computed with groups of at least ${groupLimits.minGroupCount} and ${groupLimits.minGroupShare * 100}%, ` +
        `but this rule sets ${rule.minGroupCount} and ${rule.minGroupShare * 100}%: gather the evidence again under this pack.`,
      evidence: [],
    };
  }
  const dated = dateEvaluations(snapshot, freshness);
  const counted = latestPerFeatureSet(dated);
  const evidence: EvidenceItem[] = dated
    .filter((d) => !counted.includes(d))
    .map((d) => ({ kind: 'fairness' as const, ref, label: describe(d.evaluation), detail: d.counts ? 'not counted: a later evaluation of the same features supersedes it' : `not counted: ${d.why}` }));
  if (counted.length === 0) {
    return { status: 'missing', reason: `No fairness evaluation counts: ${dated.map((d) => `#${d.evaluation.id} ${d.why}`).join('; ')}.`, evidence };
  }

  const policy: FairnessPolicy = { name: '', version: '', fairness: { minGroupCount: rule.minGroupCount, minGroupShare: rule.minGroupShare, thresholds: rule.thresholds } };
  const failures: string[] = [];
  const unknowns: string[] = [];
  for (const d of counted) {
    const report: DisparityReport = { includedGroups: d.evaluation.includedGroups, excludedGroups: [], impactRatios: {}, measures: d.evaluation.measures };
    const verdicts = evaluateThresholds(report, policy);
    const summary = verdicts.map((v) => `${v.measure} ${v.value === null ? 'n/a' : v.value.toFixed(3)} ${v.comparison} ${v.bound}: ${v.status}`).join('; ');
    const excluded = d.evaluation.excludedGroups.length > 0 ? ` Excluded as too small: ${d.evaluation.excludedGroups.join(', ')}.` : '';
    evidence.unshift({ kind: 'fairness', ref, label: describe(d.evaluation), detail: `${summary}.${excluded}` });
    for (const v of verdicts) {
      if (v.status === 'fail') failures.push(`#${d.evaluation.id} ${v.measure}: ${v.reason}`);
      if (v.status === 'not-evaluable') unknowns.push(`#${d.evaluation.id} ${v.measure}: ${v.reason}`);
    }
  }
  if (failures.length > 0) return { status: 'fail', reason: `Outside the threshold: ${failures.join('; ')}.`, evidence };
  if (unknowns.length > 0) return { status: 'missing', reason: `Could not be evaluated: ${unknowns.join('; ')}.`, evidence };
  return { status: 'pass', reason: `${counted.length} evaluation(s) meet all ${rule.thresholds.length} threshold(s).`, evidence };
}
