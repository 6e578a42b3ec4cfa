// Facts the cover and the summary state, derived from the bundle alone (no clock, no store).
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { DISPARITY_LABELS } from '../../../../shared/domain/fairness';
import { GOVERNANCE_SECTIONS } from '../../../../shared/domain/sections';
import { formatDay, formatMoney, formatNumber, formatPercent, formatSignedMoney, formatTime, STATUS_COLORS, statusStyle } from './format';

export type Decision = AuditEvidenceBundle['decisions'][number];

export interface Outcome {
  text: string;
  symbol: string;
  color: string;
  decision: Decision | null;
}

const DECISION_WORDS: Record<string, { text: string; symbol: string; color: string }> = {
  approve: { text: 'APPROVED', symbol: '✓', color: STATUS_COLORS.pass },
  reject: { text: 'REJECTED', symbol: '✗', color: STATUS_COLORS.fail },
  'request-changes': { text: 'CHANGES REQUESTED', symbol: '⚠', color: STATUS_COLORS.missing },
  withdraw: { text: 'WITHDRAWN', symbol: '–', color: STATUS_COLORS.neutral },
  waive: { text: 'WAIVER', symbol: '≈', color: STATUS_COLORS.waived },
};

export function decisionWord(kind: string): { text: string; symbol: string; color: string } {
  return DECISION_WORDS[kind] ?? { text: kind.toUpperCase(), symbol: '•', color: STATUS_COLORS.neutral };
}

/** Decisions oldest first (time, then digest, so ties order the same way every time). */
export function sortedDecisions(bundle: AuditEvidenceBundle): Decision[] {
  return [...bundle.decisions].sort((a, b) => (a.signedAt < b.signedAt ? -1 : a.signedAt > b.signedAt ? 1 : a.digest < b.digest ? -1 : 1));
}

/** The release decision: the latest signed decision that is not a waiver. */
export function outcome(bundle: AuditEvidenceBundle): Outcome {
  const last = sortedDecisions(bundle).filter((d) => d.kind !== 'waive').pop() ?? null;
  if (!last) {
    const open = bundle.reviews.find((r) => r.closedAt === null);
    return { text: 'NO DECISION YET', symbol: '–', color: STATUS_COLORS.neutral, decision: null, ...(open ? { text: `NO DECISION YET (review ${open.state.replace(/_/g, ' ')})` } : {}) };
  }
  const w = decisionWord(last.kind);
  return { ...w, decision: last };
}

/** Distinct signers in signing order: "Name (role)". */
export function signers(bundle: AuditEvidenceBundle): { name: string; role: string; keyId: string }[] {
  const seen = new Set<string>();
  const out: { name: string; role: string; keyId: string }[] = [];
  for (const d of sortedDecisions(bundle)) {
    const key = `${d.signer}\u0000${d.keyId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name: d.signer, role: d.role, keyId: d.keyId });
  }
  return out;
}

export function currencies(bundle: AuditEvidenceBundle): string[] {
  return [...new Set([...bundle.spend.monthly.map((m) => m.currency), ...bundle.spend.daily.map((d) => d.currency)])].sort();
}

export function monthsOf(bundle: AuditEvidenceBundle, currency: string): AuditEvidenceBundle['spend']['monthly'] {
  return bundle.spend.monthly.filter((m) => m.currency === currency).sort((a, b) => (a.month < b.month ? -1 : 1));
}

export function estimatedDays(bundle: AuditEvidenceBundle): Set<string> {
  return new Set(bundle.spend.provenance.flatMap((p) => p.estimatedDays));
}

/** Whether the month is still running at the last day with spend (so it is not compared as a full month). */
export function lastSpendDay(bundle: AuditEvidenceBundle, currency: string): string | null {
  const days = bundle.spend.daily.filter((d) => d.currency === currency).map((d) => d.day).sort();
  return days[days.length - 1] ?? null;
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, m ?? 1, 0)).getUTCDate();
}

export interface CostTrend {
  currency: string;
  window: { from: string; to: string } | null;
  /** Effective spend over the policy's 30-day window (what the checklist judged). */
  thirtyDay: number | null;
  /** Latest complete month vs the one before. */
  lastFull: { month: string; effective: number } | null;
  previous: { month: string; effective: number } | null;
  delta: number | null;
  ratio: number | null;
  /** Effective cost per month, oldest first, for a sparkline. */
  series: number[];
  partialMonth: string | null;
}

export function costTrends(bundle: AuditEvidenceBundle): CostTrend[] {
  return currencies(bundle).map((currency) => {
    const months = monthsOf(bundle, currency);
    const lastDay = lastSpendDay(bundle, currency);
    const lastMonth = months[months.length - 1];
    const partial = lastMonth && lastDay && lastDay.slice(0, 7) === lastMonth.month && Number(lastDay.slice(8, 10)) < daysInMonth(lastMonth.month) ? lastMonth.month : null;
    const full = partial ? months.slice(0, -1) : months;
    const lf = full[full.length - 1];
    const pv = full[full.length - 2];
    const thirty = bundle.policy.evidence.cost.monthlySpend.find((m) => m.currency === currency);
    const delta = lf && pv ? lf.effectiveCost - pv.effectiveCost : null;
    return {
      currency,
      window: bundle.policy.evidence.cost.window,
      thirtyDay: thirty ? thirty.effectiveCost : null,
      lastFull: lf ? { month: lf.month, effective: lf.effectiveCost } : null,
      previous: pv ? { month: pv.month, effective: pv.effectiveCost } : null,
      delta,
      ratio: delta !== null && pv && pv.effectiveCost !== 0 ? delta / pv.effectiveCost : null,
      series: months.slice(-12).map((m) => m.effectiveCost),
      partialMonth: partial,
    };
  });
}

export function trendSentence(t: CostTrend): string {
  if (!t.lastFull) return 'No complete month of spend yet.';
  const base = `${t.lastFull.month}: ${formatMoney(t.lastFull.effective, t.currency)}`;
  if (!t.previous || t.delta === null) return `${base} (first complete month).`;
  const pct = t.ratio === null ? '' : `, ${formatPercent(t.ratio, true)}`;
  const arrow = t.delta > 0 ? '▲' : t.delta < 0 ? '▼' : '=';
  return `${base}, ${arrow} ${formatSignedMoney(t.delta, t.currency)}${pct} vs ${t.previous.month} (${formatMoney(t.previous.effective, t.currency)}).`;
}

export interface Risk {
  severity: 'fail' | 'missing' | 'warn' | 'waived';
  text: string;
}

/** What a reviewer should look at before signing, worst first. */
export function openRisks(bundle: AuditEvidenceBundle): Risk[] {
  const risks: Risk[] = [];
  for (const rule of bundle.policy.checklist.rules) {
    if (rule.status === 'fail') risks.push({ severity: 'fail', text: `Rule ${rule.id} fails: ${rule.reason}` });
  }
  for (const ev of bundle.fairness.evaluations) {
    for (const v of ev.verdicts) {
      if (v.status === 'fail') risks.push({ severity: 'fail', text: `Fairness (${ev.dataset.name ?? ev.sourceFile}): ${DISPARITY_LABELS[v.measure]} ${v.reason ?? 'fails its threshold'}` });
    }
  }
  for (const rule of bundle.policy.checklist.rules) {
    if (rule.status === 'missing') risks.push({ severity: 'missing', text: `Rule ${rule.id} has no evidence: ${rule.reason}` });
  }
  for (const ev of bundle.fairness.evaluations) {
    for (const v of ev.verdicts) {
      if (v.status === 'not-evaluable') risks.push({ severity: 'missing', text: `Fairness (${ev.dataset.name ?? ev.sourceFile}): ${DISPARITY_LABELS[v.measure]} could not be evaluated${v.reason ? `: ${v.reason}` : ''}` });
    }
  }
  if (bundle.card) {
    const missing = bundle.card.completeness.missing.concat(bundle.card.completeness.empty);
    if (missing.length > 0) {
      const titles = GOVERNANCE_SECTIONS.filter((s) => missing.includes(s.key)).map((s) => s.title);
      risks.push({ severity: 'missing', text: `Model card lacks: ${titles.join(', ')}.` });
    }
  } else risks.push({ severity: 'missing', text: 'No model card was imported for this version.' });
  const worse = (bundle.fairness.comparison?.changes ?? []).filter((c) => c.worsened && c.delta !== null);
  const byFeatures = new Map<string, typeof worse>();
  for (const c of worse) byFeatures.set(c.sensitiveFeatures.join(' × '), [...(byFeatures.get(c.sensitiveFeatures.join(' × ')) ?? []), c]);
  for (const [features, changes] of byFeatures) {
    const list = changes.map((c) => `${DISPARITY_LABELS[c.measure].replace(/ \(.*\)$/, '')} ${c.delta! > 0 ? '+' : '−'}${formatNumber(Math.abs(c.delta!))}`).join(', ');
    risks.push({ severity: 'warn', text: `Gaps by ${features || 'group'} widened since version ${bundle.fairness.comparison?.previousVersion}: ${list}.` });
  }
  for (const d of bundle.decisions) if (!d.verified) risks.push({ severity: 'warn', text: `Decision by ${d.signer} (${formatTime(d.signedAt)}) does not verify: ${d.verification}` });
  if (!bundle.audit.chainVerified) risks.push({ severity: 'fail', text: 'The audit log chain did not verify when this pack was built.' });
  for (const w of bundle.policy.evidence.waivers) {
    const days = (Date.parse(w.expiresAt) - Date.parse(bundle.generatedAt)) / 86_400_000;
    if (days >= 0 && days <= 30) risks.push({ severity: 'waived', text: `Waiver for ${w.ruleId} expires ${formatDay(w.expiresAt)} (in ${Math.ceil(days)} days).` });
  }
  const estimated = estimatedDays(bundle).size;
  if (estimated > 0) risks.push({ severity: 'warn', text: `${estimated} day${estimated === 1 ? '' : 's'} of spend are ≈ Estimated (not yet final in the billing source).` });
  return risks;
}

export function riskStyle(severity: Risk['severity']): { symbol: string; color: string } {
  if (severity === 'warn') return { symbol: '⚠', color: STATUS_COLORS.missing };
  const s = statusStyle(severity);
  return { symbol: s.symbol, color: s.color };
}
