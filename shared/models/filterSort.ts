import type { ModelSummary } from '../ipc/contract';
import { GOVERNANCE_SECTIONS } from '../domain/sections';
import type { FairnessStatus } from '../domain/fairness';

/**
 * The model inventory's search and sort: the same code orders the list in the engine (models/page,
 * one page at a time) and in tests of the window that mock it.
 */
export const SORT_KEYS = ['name', 'owners', 'tags', 'license', 'latestVersion', 'versionCount', 'completeness', 'fairness'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';
export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Splits a query into lower-cased terms; every term must match somewhere (AND). */
export function queryTerms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t !== '');
}

/** What a search finds for each fairness status: "fail" finds failing models, "fairness" every evaluated one. */
const FAIRNESS_SEARCH: Record<FairnessStatus, string> = {
  fail: 'fairness:fail',
  pass: 'fairness:pass',
  'not-evaluable': 'fairness:not-evaluable',
  none: '',
};

/** The fields a search looks in: name, owners, tags, license and the fairness status. */
function haystack(model: ModelSummary): string[] {
  return [model.name, ...model.owners, ...model.tags, model.license ?? '', FAIRNESS_SEARCH[model.fairnessStatus] ?? ''].map((s) => s.toLowerCase());
}

/** Worst first when ascending; models without an evaluation ('none') sort last in either direction. */
const FAIRNESS_RANK: Record<FairnessStatus, number | null> = { fail: 0, 'not-evaluable': 1, pass: 2, none: null };

export function matchesQuery(model: ModelSummary, query: string): boolean {
  const terms = queryTerms(query);
  if (terms.length === 0) return true;
  const fields = haystack(model);
  return terms.every((term) => fields.some((field) => field.includes(term)));
}

export function filterModels(models: readonly ModelSummary[], query: string): ModelSummary[] {
  if (queryTerms(query).length === 0) return models.slice();
  return models.filter((m) => matchesQuery(m, query));
}

/** Present sections out of all governance sections. */
export function completenessCounts(model: Pick<ModelSummary, 'completeness'>): { present: number; total: number } {
  const c = model.completeness;
  const total = c.present.length + c.empty.length + c.missing.length || GOVERNANCE_SECTIONS.length;
  return { present: c.present.length, total };
}

/** Compares two values; `null` (no value) always sorts last, whatever the direction. */
function compareText(a: string | null, b: string | null, dir: number): number {
  if (a === b) return 0;
  if (a === null || a === '') return 1;
  if (b === null || b === '') return -1;
  return dir * collator.compare(a, b);
}

function compareBy(key: SortKey, a: ModelSummary, b: ModelSummary, dir: number): number {
  switch (key) {
    case 'name':
      return dir * collator.compare(a.name, b.name);
    case 'owners':
      return compareText(a.owners.join(', ') || null, b.owners.join(', ') || null, dir);
    case 'tags':
      return compareText(a.tags.join(', ') || null, b.tags.join(', ') || null, dir);
    case 'license':
      return compareText(a.license, b.license, dir);
    case 'latestVersion':
      return compareText(a.latestVersion, b.latestVersion, dir);
    case 'versionCount':
      return dir * (a.versionCount - b.versionCount);
    case 'completeness': {
      const byRatio = a.completeness.ratio - b.completeness.ratio;
      if (byRatio !== 0) return dir * byRatio;
      // Same ratio: fewer missing sections counts as more complete.
      return dir * (b.completeness.missing.length - a.completeness.missing.length);
    }
    case 'fairness': {
      const ra = FAIRNESS_RANK[a.fairnessStatus] ?? null;
      const rb = FAIRNESS_RANK[b.fairnessStatus] ?? null;
      if (ra === rb) return 0;
      if (ra === null) return 1;
      if (rb === null) return -1;
      return dir * (ra - rb);
    }
  }
}

/** Stable sort; ties fall back to the model name (ascending) so the order never jumps. */
export function sortModels(models: readonly ModelSummary[], sort: SortState): ModelSummary[] {
  const dir = sort.direction === 'asc' ? 1 : -1;
  return models
    .map((m, i) => [m, i] as const)
    .sort(([a, ia], [b, ib]) => compareBy(sort.key, a, b, dir) || collator.compare(a.name, b.name) || ia - ib)
    .map(([m]) => m);
}

export function filterAndSort(models: readonly ModelSummary[], query: string, sort: SortState): ModelSummary[] {
  return sortModels(filterModels(models, query), sort);
}

/** Clicking the sorted column flips its direction; a new column starts in its natural direction. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: 'asc' };
}

export function sectionTitle(key: string): string {
  return GOVERNANCE_SECTIONS.find((s) => s.key === key)?.title ?? key;
}
