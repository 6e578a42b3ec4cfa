import { GOVERNANCE_SECTIONS } from '../domain/sections';
import { checkCost } from './costCheck';
import { modelRef, REVIEWS_REF, type ChecklistResult, type EvidenceItem, type EvidenceSnapshot, type RuleResult, type Waiver } from './evidence';
import { checkFairness, checkFreshness, type CheckOutcome } from './fairnessCheck';
import type { LineageCheck, PolicyPack, PolicyRule, RuleOfKind } from './policyPack';

/**
 * Judges one evidence snapshot against a policy pack. Pure: the same pack and snapshot give the
 * same checklist, which is what lets a signed decision be re-checked later from its snapshot.
 *
 * 'missing' means there is no evidence to judge; 'fail' means the evidence contradicts the rule.
 */

export class PolicyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}

const SECTION_TITLES = Object.fromEntries(GOVERNANCE_SECTIONS.map((s) => [s.key, s.title])) as Record<string, string>;

const LINEAGE_LABELS: Record<LineageCheck, string> = {
  trainingData: 'training data',
  evaluationData: 'evaluation data',
  producingRun: 'the run that produced the version',
  codeLocation: 'where the training code lives',
};

function checkCardSections(snapshot: EvidenceSnapshot, rule: RuleOfKind<'card-sections'>): CheckOutcome {
  const { card } = snapshot;
  if (!card) return { status: 'missing', reason: 'No model card has been imported for this version.', evidence: [] };
  const evidence: EvidenceItem[] = [
    {
      kind: 'card',
      ref: modelRef(snapshot.model, 'card'),
      label: `Model card (${card.format})`,
      detail: `${card.sourceFile}, sha256 ${card.sha256.slice(0, 12)}, imported ${card.importedAt}`,
    },
  ];
  const lacking = rule.sections.filter((key) => card.sections[key] !== 'present');
  if (lacking.length === 0) return { status: 'pass', reason: `The card has all ${rule.sections.length} required section(s).`, evidence };
  const described = lacking.map((key) => `${SECTION_TITLES[key] ?? key} (${card.sections[key] === 'empty' ? 'heading without text' : 'absent'})`);
  return { status: 'fail', reason: `The card lacks: ${described.join(', ')}.`, evidence };
}

function checkLineage(snapshot: EvidenceSnapshot, rule: RuleOfKind<'lineage'>): CheckOutcome {
  const ref = modelRef(snapshot.model, 'lineage');
  const evidence: EvidenceItem[] = rule.required
    .filter((check) => snapshot.lineage[check].ok)
    .map((check) => ({ kind: 'lineage' as const, ref, label: `Lineage: ${LINEAGE_LABELS[check]}`, detail: snapshot.lineage[check].nodes.join(', ') || 'recorded' }));
  const absent = rule.required.filter((check) => !snapshot.lineage[check].ok);
  if (absent.length === 0) return { status: 'pass', reason: `Lineage shows ${rule.required.map((c) => LINEAGE_LABELS[c]).join(', ')}.`, evidence };
  return { status: 'missing', reason: `No lineage records ${absent.map((c) => LINEAGE_LABELS[c]).join(', ')}.`, evidence };
}

function checkApprovals(snapshot: EvidenceSnapshot, rule: RuleOfKind<'approvals'>): CheckOutcome {
  const notes: string[] = [];
  const counted = new Map<string, { role: string; name: string }>();
  for (const a of snapshot.approvals) {
    const name = a.signerName ?? `key ${a.signerKeyId.slice(0, 12)}`;
    if (rule.authorMayNotApprove && a.signerIsAuthor) {
      notes.push(`${name} authored this version, so their approval does not count`);
      continue;
    }
    // One key, one approval: signing twice (or under two roles) does not make two approvers.
    if (!counted.has(a.signerKeyId)) counted.set(a.signerKeyId, { role: a.role, name });
  }
  const evidence: EvidenceItem[] = snapshot.approvals.map((a) => ({
    kind: 'approval',
    ref: REVIEWS_REF,
    label: `Approval by ${a.signerName ?? a.signerKeyId.slice(0, 12)} (${a.role})`,
    detail: `signed ${a.signedAt} with key ${a.signerKeyId.slice(0, 12)}${a.signerIsAuthor ? '; signer is the author' : ''}`,
  }));
  const gaps: string[] = [];
  if (counted.size < rule.minApprovers) gaps.push(`${counted.size} of ${rule.minApprovers} required approver(s) have signed`);
  if (rule.requiredRoles) {
    const roles = new Set([...counted.values()].map((c) => c.role));
    const { mode, roles: wanted } = rule.requiredRoles;
    if (mode === 'all-of') {
      const lacking = wanted.filter((r) => !roles.has(r));
      if (lacking.length > 0) gaps.push(`still needed: an approval from each of ${lacking.join(', ')}`);
    } else if (!wanted.some((r) => roles.has(r))) {
      gaps.push(`still needed: an approval from one of ${wanted.join(', ')}`);
    }
  }
  const suffix = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  if (gaps.length === 0) return { status: 'pass', reason: `Approved by ${[...counted.values()].map((c) => `${c.name} (${c.role})`).join(', ')}${suffix}.`, evidence };
  // Never 'fail': too few approvals is work not yet done, not evidence against the release.
  return { status: 'missing', reason: `Awaiting approvals: ${gaps.join('; ')}${suffix}.`, evidence };
}

function check(snapshot: EvidenceSnapshot, rule: PolicyRule, freshness: RuleOfKind<'evidence-freshness'> | undefined): CheckOutcome {
  switch (rule.kind) {
    case 'card-sections':
      return checkCardSections(snapshot, rule);
    case 'lineage':
      return checkLineage(snapshot, rule);
    case 'fairness':
      return checkFairness(snapshot, rule, freshness?.appliesTo.includes('fairness') ? freshness : undefined);
    case 'cost':
      return checkCost(snapshot, rule);
    case 'evidence-freshness':
      return checkFreshness(snapshot, rule);
    case 'approvals':
      return checkApprovals(snapshot, rule);
  }
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** A waiver turns a non-passing rule into 'waived' until it expires; approvals cannot be waived. */
function applyWaivers(rule: PolicyRule, outcome: CheckOutcome, waivers: readonly Waiver[], asOf: string): Omit<RuleResult, 'id' | 'title' | 'kind' | 'controls'> {
  const mine = waivers.filter((w) => w.ruleId === rule.id);
  if (mine.length === 0 || outcome.status === 'pass') return outcome;
  if (rule.kind === 'approvals') {
    return { ...outcome, reason: `${outcome.reason} A waiver was recorded for this rule, but approvals cannot be waived.` };
  }
  const now = Date.parse(asOf);
  const valid = mine.filter((w) => Date.parse(w.expiresAt) > now).sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt))[0];
  if (valid) {
    const evidence: EvidenceItem[] = [
      { kind: 'waiver', ref: REVIEWS_REF, label: `Waiver by ${valid.decidedBy}`, detail: `until ${valid.expiresAt}: ${valid.reason}` },
      ...outcome.evidence,
    ];
    return { status: 'waived', reason: `Waived by ${valid.decidedBy} until ${day(valid.expiresAt)}: ${valid.reason}. Without the waiver: ${outcome.status}. ${outcome.reason}`, evidence };
  }
  const last = [...mine].sort((a, b) => (Date.parse(b.expiresAt) || 0) - (Date.parse(a.expiresAt) || 0))[0]!;
  const when = Number.isNaN(Date.parse(last.expiresAt)) ? `has an unreadable expiry "${last.expiresAt}"` : `expired on ${day(last.expiresAt)}`;
  return { ...outcome, reason: `${outcome.reason} (The waiver by ${last.decidedBy} ${when}, so it no longer applies.)` };
}

export function evaluatePolicy(pack: PolicyPack, snapshot: EvidenceSnapshot): ChecklistResult {
  const tier = pack.riskTiers[snapshot.tier.id];
  if (!tier) {
    throw new PolicyEvaluationError(
      `The evidence places ${snapshot.model.name}@${snapshot.model.version} in tier "${snapshot.tier.id}", which ${pack.name} ${pack.version} does not define; gather the evidence again under this pack.`,
    );
  }
  if (Number.isNaN(Date.parse(snapshot.asOf))) throw new PolicyEvaluationError(`asOf "${snapshot.asOf}" is not a date`);
  const freshness = tier.rules.find((r): r is RuleOfKind<'evidence-freshness'> => r.kind === 'evidence-freshness');
  const rules: RuleResult[] = tier.rules.map((rule) => ({
    id: rule.id,
    title: rule.title,
    kind: rule.kind,
    controls: [...rule.controls],
    ...applyWaivers(rule, check(snapshot, rule, freshness), snapshot.waivers, snapshot.asOf),
  }));
  const settled = (r: RuleResult) => r.status === 'pass' || r.status === 'waived';
  const evidenceRules = rules.filter((r) => r.kind !== 'approvals');
  const approvalRules = rules.filter((r) => r.kind === 'approvals');
  const evidenceResult = evidenceRules.every(settled) ? 'pass' : 'fail';
  const approved = approvalRules.every(settled);
  return {
    policy: { name: pack.name, version: pack.version },
    model: { ...snapshot.model },
    tier: { ...snapshot.tier },
    asOf: snapshot.asOf,
    result: evidenceResult === 'pass' && approved ? 'pass' : 'fail',
    evidenceResult,
    awaitingApprovals: evidenceResult === 'pass' && !approved,
    rules,
  };
}
