import { SPEND_REF, type EvidenceItem, type EvidenceSnapshot } from './evidence';
import type { CheckOutcome } from './fairnessCheck';
import type { RuleOfKind } from './policyPack';

function money(amount: number, currency: string): string {
  // Sub-unit figures (a cost per 1,000 predictions of 0.0023) need more digits than totals do.
  const digits = Math.abs(amount) >= 1 ? 2 : 4;
  return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits })} ${currency}`;
}

interface Part {
  status: 'pass' | 'fail' | 'missing';
  text: string;
}

/**
 * Spend and unit cost against the rule's limits. Amounts in another currency are never converted:
 * a limit in USD cannot be met or broken by spend in EUR, so such evidence does not count.
 */
export function checkCost(snapshot: EvidenceSnapshot, rule: RuleOfKind<'cost'>): CheckOutcome {
  const { cost } = snapshot;
  const window = cost.window ? `${cost.window.from} to ${cost.window.to}` : null;
  const evidence: EvidenceItem[] = [];
  const parts: Part[] = [];
  const otherCurrencies = [...new Set(cost.monthlySpend.map((s) => s.currency))].filter((c) => c !== rule.currency);

  if (cost.monthlySpend.length === 0 || window === null) {
    return { status: 'missing', reason: `No spend is attributed to ${cost.attributedTo} in the imported cost data.`, evidence };
  }

  if (rule.maxMonthlyEffectiveSpend !== undefined) {
    const spend = cost.monthlySpend.find((s) => s.currency === rule.currency);
    if (!spend) {
      parts.push({ status: 'missing', text: `spend is recorded only in ${otherCurrencies.join(', ')}, not ${rule.currency}; Docket does not convert currencies` });
    } else {
      evidence.push({ kind: 'spend', ref: SPEND_REF, label: `Effective spend of ${cost.attributedTo}, ${window}`, detail: `${money(spend.effectiveCost, spend.currency)} (billed ${money(spend.billedCost, spend.currency)}; source: FOCUS)` });
      const over = spend.effectiveCost > rule.maxMonthlyEffectiveSpend;
      parts.push({
        status: over ? 'fail' : 'pass',
        text: `30-day effective spend ${money(spend.effectiveCost, rule.currency)} is ${over ? 'above' : 'within'} the limit of ${money(rule.maxMonthlyEffectiveSpend, rule.currency)}`,
      });
    }
  }

  if (rule.maxCostPer1kPredictions !== undefined) {
    const unit = cost.unitCosts.find((u) => u.currency === rule.currency);
    if (!unit) {
      parts.push({ status: 'missing', text: `no ${rule.currency} spend to compute a cost per 1,000 predictions from` });
    } else if (unit.costPer1kPredictions === null) {
      parts.push({ status: 'missing', text: `no usage (prediction counts) for ${cost.attributedTo} in ${window}, so the cost per 1,000 predictions is unknown` });
    } else {
      evidence.push({
        kind: 'usage',
        ref: SPEND_REF,
        label: `Cost per 1,000 predictions of ${cost.attributedTo}, ${window}`,
        detail: `${money(unit.costPer1kPredictions, unit.currency)} = ${money(unit.effectiveCost, unit.currency)} over ${unit.requests.toLocaleString('en-US')} predictions`,
      });
      const over = unit.costPer1kPredictions > rule.maxCostPer1kPredictions;
      parts.push({
        status: over ? 'fail' : 'pass',
        text: `cost per 1,000 predictions ${money(unit.costPer1kPredictions, rule.currency)} is ${over ? 'above' : 'within'} the limit of ${money(rule.maxCostPer1kPredictions, rule.currency)}`,
      });
    }
  }

  const status = parts.some((p) => p.status === 'fail') ? 'fail' : parts.some((p) => p.status === 'missing') ? 'missing' : 'pass';
  const text = parts.map((p) => p.text).join('; ');
  return { status, reason: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`, evidence };
}
