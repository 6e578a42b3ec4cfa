import { CHARGE_CATEGORIES, FocusValueError, nullable, readDecimal, readTags, readTimestamp } from './focusSchema';

/** Where each column Docket reads sits in the file's header (-1: absent). */
export interface FocusColumnIndex {
  provider: number;
  /** ProviderName, or ServiceProviderName in files that use the later name. */
  providerColumn: string;
  billingAccountId: number;
  subAccountId: number;
  serviceName: number;
  serviceCategory: number;
  region: number;
  resourceId: number;
  resourceName: number;
  chargeCategory: number;
  chargeClass: number;
  chargePeriodStart: number;
  chargePeriodEnd: number;
  billingPeriodStart: number;
  billingPeriodEnd: number;
  billingCurrency: number;
  billedCost: number;
  effectiveCost: number;
  listCost: number;
  contractedCost: number;
  consumedQuantity: number;
  pricingQuantity: number;
  tags: number;
  /** Provider extension columns (x_...), kept as they are. */
  extensions: { name: string; index: number }[];
}

export function indexColumns(header: readonly string[]): FocusColumnIndex {
  const at = (name: string) => header.indexOf(name);
  const either = (preferred: string, fallback: string) => (at(preferred) >= 0 ? at(preferred) : at(fallback));
  return {
    provider: either('ServiceProviderName', 'ProviderName'),
    providerColumn: at('ServiceProviderName') >= 0 ? 'ServiceProviderName' : 'ProviderName',
    billingAccountId: at('BillingAccountId'),
    subAccountId: at('SubAccountId'),
    serviceName: at('ServiceName'),
    serviceCategory: at('ServiceCategory'),
    region: either('RegionId', 'Region'),
    resourceId: at('ResourceId'),
    resourceName: at('ResourceName'),
    chargeCategory: at('ChargeCategory'),
    chargeClass: at('ChargeClass'),
    chargePeriodStart: at('ChargePeriodStart'),
    chargePeriodEnd: at('ChargePeriodEnd'),
    billingPeriodStart: at('BillingPeriodStart'),
    billingPeriodEnd: at('BillingPeriodEnd'),
    billingCurrency: at('BillingCurrency'),
    billedCost: at('BilledCost'),
    effectiveCost: at('EffectiveCost'),
    listCost: at('ListCost'),
    contractedCost: at('ContractedCost'),
    consumedQuantity: at('ConsumedQuantity'),
    pricingQuantity: at('PricingQuantity'),
    tags: at('Tags'),
    extensions: header.flatMap((name, index) => (name.startsWith('x_') ? [{ name, index }] : [])),
  };
}

export interface TagKeys {
  team: string;
  model: string;
}

/** The columns one line item binds in the INSERT, in the order readLineItem appends their values. */
export const LINE_ITEM_COLUMNS = [
  'file_id', 'line', 'provider', 'billing_account_id', 'sub_account_id', 'service_name', 'service_category', 'region', 'resource_id',
  'resource_name', 'charge_category', 'charge_class', 'charge_period_start', 'charge_period_end', 'billing_currency', 'billed_cost',
  'effective_cost', 'list_cost', 'contracted_cost', 'consumed_quantity', 'tags_json', 'provider_columns_json', 'tag_team', 'tag_model',
] as const;

type Bindable = string | number | null;

function required(column: string, value: string | undefined): string {
  const v = nullable(value);
  if (v === null) throw new FocusValueError(column, 'is empty; FOCUS requires a value');
  return v;
}

/** The value of a tag key as stored in tag_team and tag_model (null when absent or empty). */
export function tagValue(tags: Record<string, unknown> | null, key: string): string | null {
  const value = tags?.[key];
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === '' ? null : text;
}

/**
 * Checks one data row against FOCUS's constraints and appends its line-item values to `out`.
 * Throws FocusValueError naming the column at fault; appends nothing then.
 */
export function readLineItem(fields: readonly string[], c: FocusColumnIndex, tagKeys: TagKeys, fileId: number, line: number, out: Bindable[]): void {
  const f = (i: number): string | undefined => (i >= 0 ? fields[i] : undefined);
  const billedCost = readDecimal('BilledCost', f(c.billedCost), true)!;
  const effectiveCost = readDecimal('EffectiveCost', f(c.effectiveCost), true)!;
  const listCost = readDecimal('ListCost', f(c.listCost), true);
  // The spec says non-null, but real exports (the FinOps Foundation's own sample) leave it NULL.
  const contractedCost = readDecimal('ContractedCost', f(c.contractedCost), false);
  const consumedQuantity = readDecimal('ConsumedQuantity', f(c.consumedQuantity), false);
  readDecimal('PricingQuantity', f(c.pricingQuantity), false);
  const currency = required('BillingCurrency', f(c.billingCurrency));
  if (!/^[A-Z]{3}$/.test(currency)) throw new FocusValueError('BillingCurrency', `'${currency}' is not an ISO 4217 currency code`);
  const start = readTimestamp('ChargePeriodStart', f(c.chargePeriodStart));
  const end = readTimestamp('ChargePeriodEnd', f(c.chargePeriodEnd));
  if (end < start) throw new FocusValueError('ChargePeriodEnd', `${end} is before ChargePeriodStart ${start}`);
  const billingStart = readTimestamp('BillingPeriodStart', f(c.billingPeriodStart));
  const billingEnd = readTimestamp('BillingPeriodEnd', f(c.billingPeriodEnd));
  if (billingEnd < billingStart) throw new FocusValueError('BillingPeriodEnd', `${billingEnd} is before BillingPeriodStart ${billingStart}`);
  const chargeCategory = required('ChargeCategory', f(c.chargeCategory));
  if (!CHARGE_CATEGORIES.has(chargeCategory)) throw new FocusValueError('ChargeCategory', `'${chargeCategory}' is not one of Usage, Purchase, Tax, Credit, Adjustment`);
  const chargeClass = nullable(f(c.chargeClass));
  if (chargeClass !== null && chargeClass !== 'Correction') throw new FocusValueError('ChargeClass', `'${chargeClass}' must be empty or Correction`);
  const provider = required(c.providerColumn, f(c.provider));
  const billingAccountId = required('BillingAccountId', f(c.billingAccountId));
  const serviceName = required('ServiceName', f(c.serviceName));
  const serviceCategory = required('ServiceCategory', f(c.serviceCategory));
  const tagsText = nullable(f(c.tags));
  const tags = readTags(tagsText ?? undefined);
  let extensions: string | null = null;
  if (c.extensions.length > 0) {
    const kept: Record<string, string> = {};
    let any = false;
    for (const x of c.extensions) {
      const v = nullable(fields[x.index]);
      if (v !== null) {
        kept[x.name] = v;
        any = true;
      }
    }
    if (any) extensions = JSON.stringify(kept);
  }
  out.push(
    fileId,
    line,
    provider,
    billingAccountId,
    nullable(f(c.subAccountId)),
    serviceName,
    serviceCategory,
    nullable(f(c.region)),
    nullable(f(c.resourceId)),
    nullable(f(c.resourceName)),
    chargeCategory,
    chargeClass,
    start,
    end,
    currency,
    billedCost,
    effectiveCost,
    listCost,
    contractedCost,
    consumedQuantity,
    tags === null ? null : tagsText,
    extensions,
    tagValue(tags, tagKeys.team),
    tagValue(tags, tagKeys.model),
  );
}
