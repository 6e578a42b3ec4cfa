import type { CeDailyCost, CeDayStatus } from '../../../shared/domain/spend';

/**
 * Turns GetCostAndUsage's wire answer (PascalCase, amounts as decimal strings) into CeDailyCost rows.
 * Kept free of the SDK so a stored or captured response can be mapped the same way.
 */

export interface WireMetricValue {
  Amount?: string | undefined;
  Unit?: string | undefined;
}

export interface WireGroupDefinition {
  Type?: string | undefined;
  Key?: string | undefined;
}

export interface WireResultByTime {
  TimePeriod?: { Start?: string | undefined; End?: string | undefined } | undefined;
  Total?: Record<string, WireMetricValue> | undefined;
  Groups?: { Keys?: string[] | undefined; Metrics?: Record<string, WireMetricValue> | undefined }[] | undefined;
  Estimated?: boolean | undefined;
}

export interface WireCostAndUsagePage {
  ResultsByTime?: WireResultByTime[] | undefined;
  GroupDefinitions?: WireGroupDefinition[] | undefined;
  NextPageToken?: string | undefined;
}

export interface MapOptions {
  /** The cost-allocation tag the request grouped by, e.g. "ml:model". */
  tagKey: string;
  /** The GroupBy of the request, used when the answer does not echo GroupDefinitions. */
  groupBy: readonly WireGroupDefinition[];
  /**
   * Metrics the request asked for; a group missing one of them is an invalid response. A cost
   * metric that was not asked for reads as 0 (only useful when mapping someone else's capture).
   */
  metrics?: readonly string[];
}

export class CeMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CeMappingError';
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Cost Explorer's amounts: plain decimals, sometimes with an exponent ("1.2E-7"). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseAmount(amount: string | undefined, where: string): number {
  if (typeof amount !== 'string' || !DECIMAL.test(amount.trim())) {
    throw new CeMappingError(`Cost Explorer sent a non-numeric amount ${JSON.stringify(amount ?? null)} at ${where}`);
  }
  return Number(amount);
}

/** "ml:model$fraud" -> "fraud"; "ml:model$" -> null (untagged). */
export function tagValueFromKey(groupKey: string, tagKey: string): string | null {
  const prefix = `${tagKey}$`;
  const value = groupKey.startsWith(prefix) ? groupKey.slice(prefix.length) : groupKey.slice(groupKey.indexOf('$') + 1);
  return value === '' ? null : value;
}

export interface MappedPage {
  rows: CeDailyCost[];
  dayStatus: CeDayStatus[];
}

export function mapCostAndUsagePage(page: WireCostAndUsagePage, options: MapOptions): MappedPage {
  const definitions = page.GroupDefinitions && page.GroupDefinitions.length > 0 ? page.GroupDefinitions : options.groupBy;
  const tagIndex = definitions.findIndex((d) => d.Type === 'TAG' && d.Key === options.tagKey);
  const otherIndex = definitions.findIndex((_, i) => i !== tagIndex);
  const asked = new Set(options.metrics ?? ['UnblendedCost', 'AmortizedCost', 'UsageQuantity']);
  const rows: CeDailyCost[] = [];
  const dayStatus: CeDayStatus[] = [];

  (page.ResultsByTime ?? []).forEach((result, r) => {
    const day = result.TimePeriod?.Start;
    if (typeof day !== 'string' || !DAY.test(day)) {
      throw new CeMappingError(`Cost Explorer sent a result without a valid TimePeriod.Start at ResultsByTime[${r}]: ${JSON.stringify(day ?? null)}`);
    }
    const estimated = result.Estimated === true;
    dayStatus.push({ day, estimated });
    (result.Groups ?? []).forEach((group, g) => {
      const where = `ResultsByTime[${r}].Groups[${g}]`;
      const keys = group.Keys ?? [];
      const metrics = group.Metrics ?? {};
      const metric = (name: string): number | null => {
        const value = metrics[name];
        if (value === undefined) {
          if (asked.has(name)) throw new CeMappingError(`Cost Explorer left out the metric ${name} at ${where}`);
          return null;
        }
        return parseAmount(value.Amount, `${where}.Metrics.${name}`);
      };
      const unblended = metric('UnblendedCost');
      const amortized = metric('AmortizedCost');
      const currency = metrics.UnblendedCost?.Unit ?? metrics.AmortizedCost?.Unit ?? 'USD';
      const tagKeyValue = tagIndex >= 0 ? keys[tagIndex] : undefined;
      const otherValue = otherIndex >= 0 ? keys[otherIndex] : undefined;
      rows.push({
        day,
        tagValue: tagKeyValue === undefined ? null : tagValueFromKey(tagKeyValue, options.tagKey),
        group2: otherValue === undefined || otherValue === '' ? null : otherValue,
        unblendedCost: unblended ?? 0,
        amortizedCost: amortized ?? 0,
        usageQuantity: metric('UsageQuantity'),
        currency,
        estimated,
      });
    });
  });
  return { rows, dayStatus };
}
