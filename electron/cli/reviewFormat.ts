import type { ChecklistResult, RuleStatus } from '../../shared/policy/evidence';
import { label } from '../../shared/reviews/reviewState';
import type { ReviewDetail, ReviewSummary } from '../../shared/reviews/reviewViews';
import { shortKeyId } from '../../shared/signing/keyId';
import { formatTable } from './output';

/** Text for people: checklists, the review inbox, one review. Machines get the engine's objects. */

const MARK: Record<RuleStatus, string> = { pass: '✓', fail: '✗', missing: '–', waived: '≈' };

/** What `docket policy check --json` prints (documented in its --help). */
export interface PolicyCheckJson {
  policy: string;
  result: 'pass' | 'fail';
  rules: { id: string; controls: string[]; status: RuleStatus; evidence: ChecklistResult['rules'][number]['evidence']; title: string; kind: string; reason: string }[];
  tier: string;
  evidenceHash: string;
  model: { name: string; version: string };
  awaitingApprovals: boolean;
  asOf: string;
}

/**
 * `result` is the evidence verdict: a policy check runs outside any review, where no approval can
 * count yet, so the approvals rules are listed (– awaiting) but do not fail the check. Whether a
 * release is approved is `docket review show`.
 */
export function policyCheckJson(checklist: ChecklistResult, evidenceHash: string): PolicyCheckJson {
  return {
    policy: `${checklist.policy.name}@${checklist.policy.version}`,
    result: checklist.evidenceResult,
    rules: checklist.rules.map((r) => ({ id: r.id, controls: r.controls, status: r.status, evidence: r.evidence, title: r.title, kind: r.kind, reason: r.reason })),
    tier: checklist.tier.id,
    evidenceHash,
    model: checklist.model,
    awaitingApprovals: checklist.awaitingApprovals,
    asOf: checklist.asOf,
  };
}

export function formatChecklist(checklist: ChecklistResult, indent = ''): string[] {
  return checklist.rules.flatMap((r) => {
    const lines = [`${indent}${MARK[r.status]} ${r.id}  ${r.title}  [${r.controls.join(', ')}]`, `${indent}    ${r.status === 'pass' ? '' : `${r.status}: `}${r.reason}`];
    for (const e of r.evidence.slice(0, 5)) lines.push(`${indent}    · ${e.label}: ${e.detail}`);
    if (r.evidence.length > 5) lines.push(`${indent}    · … and ${r.evidence.length - 5} more (see --json)`);
    return lines;
  });
}

export function formatPolicyCheck(checklist: ChecklistResult, evidenceHash: string): string {
  const { model, policy, tier } = checklist;
  const verdict = checklist.evidenceResult === 'pass' ? (checklist.awaitingApprovals ? 'PASS (evidence); approvals are given in a review' : 'PASS') : 'FAIL';
  return [
    `${model.name}@${model.version} under ${policy.name} ${policy.version}, tier ${tier.id} (${tier.tag ?? tier.source})${tier.note ? ` — ${tier.note}` : ''}`,
    ...formatChecklist(checklist, '  '),
    `Result: ${verdict}   (✓ pass  ✗ fail  – missing  ≈ waived)`,
    `Evidence sha256 ${evidenceHash}`,
  ].join('\n');
}

export function formatReviewList(reviews: ReviewSummary[]): string {
  if (reviews.length === 0) return 'No reviews here. Open one with: docket review open <model>@<version>';
  return formatTable(
    ['ID', 'MODEL', 'STATE', 'DUE', 'ASSIGNEES', 'CHECKLIST', 'APPROVALS'],
    reviews.map((r) => [
      `#${r.id}`,
      `${r.model}@${r.version}`,
      r.state,
      r.dueAt ? `${r.dueAt.slice(0, 10)}${r.overdue ? ' OVERDUE' : r.dueSoon ? ' soon' : ''}` : '—',
      r.assignees.join(', ') || '—',
      r.checklistResult ?? '—',
      `${r.approvals}/${r.approvalsNeeded ?? '—'}`,
    ]),
  );
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

export function formatReviewDetail(d: ReviewDetail): string {
  const lines = [
    `Review #${d.id}: ${d.model}@${d.version} is ${label(d.state)} (${d.state})`,
    `Opened ${d.openedAt} by ${d.openedBy} (${d.trigger}); due ${d.dueAt ?? '—'}${d.overdue ? ' OVERDUE' : ''}; assignees ${d.assignees.join(', ') || '—'}`,
    `Authors: ${d.authors.join(', ') || '—'}   Approvals: ${d.approvals}/${d.approvalsNeeded ?? '—'}`,
    '',
    `Checklist (${d.checklist.policy.name} ${d.checklist.policy.version}, tier ${d.checklist.tier.id}): ${d.checklist.result.toUpperCase()}`,
    ...formatChecklist(d.checklist, '  '),
    `A decision now signs evidence sha256 ${d.evidenceHash}`,
  ];
  if (d.diff) {
    lines.push('', `What changed ${d.diff.baseline}:`);
    if (d.diff.changes.length === 0) lines.push('  nothing');
    for (const c of d.diff.changes) lines.push(`  ${c.kind === 'added' ? '+' : c.kind === 'removed' ? '-' : '~'} ${c.path}: ${c.kind === 'added' ? show(c.after) : c.kind === 'removed' ? show(c.before) : `${show(c.before)} -> ${show(c.after)}`}`);
    if (d.diff.truncated) lines.push('  … more changes (see --json)');
  }
  lines.push('', d.decisions.length === 0 ? 'Decisions: none yet' : 'Decisions:');
  for (const x of d.decisions) {
    const waiver = x.waiver ? ` ${x.waiver.ruleId} until ${x.waiver.expiresAt}` : '';
    const stale = x.kind === 'approve' && !x.current ? ' (given on earlier evidence: no longer counts)' : '';
    lines.push(`  ${x.verified ? '✓' : '✗'} ${x.signedAt} ${x.kind}${waiver} by ${x.signer} (${x.role}), key ${shortKeyId(x.keyId)}, ${x.origin}${stale}`);
    lines.push(`      "${x.rationale}"`, `      ${x.verification}; digest ${x.digest}`);
  }
  if (d.comments.length > 0) {
    lines.push('', 'Comments:');
    for (const c of d.comments) lines.push(`  ${c.at} ${c.author}: ${c.body}`);
  }
  if (d.writeBack) lines.push('', `MLflow write-back: ${d.writeBack.ok ? 'written' : `FAILED (${d.writeBack.error})`} to ${d.writeBack.url} at ${d.writeBack.at}`);
  lines.push('', `Next: ${d.allowedActions.join(', ') || 'nothing (closed)'}`);
  return lines.join('\n');
}
