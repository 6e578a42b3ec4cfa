import { z } from 'zod';
import type { FairnessEvaluationInput, FairnessGroup, FairnessMetric, MetricInterval } from '../../../shared/domain/fairness';
import { InputFileError, describeFirstIssue, describeValue, jsonPath, type PathSegment } from '../inputFileError';
import { groupLabel, isRate, resolveMetricName, unknownMetricReason, type MetricName } from './metricNames';

/**
 * A JSON export of a Fairlearn MetricFrame, as Docket accepts it:
 *
 * {
 *   "producer": "fairlearn 0.12.0",                  optional (string or null)
 *   "evaluated_at": "2024-05-01T12:00:00Z",           optional ISO 8601 date or date-time
 *   "model": { "name": "credit-risk", "version": "3" },  optional; name required inside
 *   "dataset": { "name": "holdout-2024q1", "digest": "sha256:..." },  optional
 *   "sensitive_features": ["sex"],                    at least one name
 *   "control_features": [],                           optional
 *   "overall": { "selection_rate": 0.41, ... },       MetricFrame.overall
 *   "by_group": { "selection_rate": { "female": 0.38, "male": 0.44 }, ... },  MetricFrame.by_group.to_dict()
 *   "counts": { "female": 412, "male": 588 },          optional sample size per group
 *   "intervals": { "selection_rate": { "female": [0.33, 0.43] } }  optional [lower, upper] per metric and group
 * }
 *
 * Group keys: with one sensitive feature, the feature's value ("female"). With several, either the
 * JSON-array string pandas writes for a tuple index ("[\"female\",\"40+\"]") or the values joined by "|"
 * ("female|40+"); the number of parts must equal the number of sensitive features.
 * Metric names: see metricNames.ts (Fairlearn names and aliases); a "count" metric in by_group gives the
 * group sizes, like "counts". Values: finite numbers; every metric is a rate in [0, 1]; counts are whole
 * numbers of at least 1. Every group must have a value for every metric in by_group.
 * Objects are strict: an unknown field (a typo such as "by_groups") is rejected, not ignored.
 */

const Text = z.string({ error: 'a string' });
const Name = Text.min(1, { error: 'must not be empty' });
const IsoTime = z.union([z.iso.datetime({ offset: true, local: true }), z.iso.date()], { error: 'an ISO 8601 date or date-time string' });
const Entries = z.record(z.string(), z.unknown(), { error: 'an object' });

const MetricFrameSchema = z.strictObject(
  {
    producer: Text.nullish(),
    evaluated_at: IsoTime.nullish(),
    model: z.strictObject({ name: Name, version: Text.nullish() }, { error: 'an object with a name' }).nullish(),
    dataset: z.strictObject({ name: Text.nullish(), digest: Text.nullish() }, { error: 'an object' }).nullish(),
    sensitive_features: z.array(Name, { error: 'a list of strings' }).min(1, { error: 'must name at least one sensitive feature' }),
    control_features: z.array(Name, { error: 'a list of strings' }).nullish(),
    overall: Entries,
    by_group: z.record(z.string(), Entries, { error: 'an object mapping each metric to its values by group' }),
    counts: Entries.nullish(),
    intervals: z.record(z.string(), Entries, { error: 'an object mapping each metric to its intervals by group' }).nullish(),
  },
  { error: 'an object' },
);

type Fail = (path: PathSegment[], reason: string) => never;
const fail: Fail = (path, reason) => {
  throw new InputFileError(jsonPath(path), reason);
};

function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null (pandas writes NaN as null)';
  return describeValue(value);
}

function rate(value: unknown, path: PathSegment[], what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `${what} must be a number, got ${show(value)}`);
  if (!isRate(value)) fail(path, `${what} is ${value}; it is a rate and must be between 0 and 1`);
  return value;
}

function positiveCount(value: unknown, path: PathSegment[], label: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `the count of group ${label} must be a number, got ${show(value)}`);
  if (value === 0) fail(path, `group ${label} has count 0; a group needs at least one sample`);
  if (!Number.isSafeInteger(value) || value < 0) fail(path, `group ${label} has count ${value}; a count is a whole number of at least 1`);
  return value;
}

/** A group key -> its values, one per sensitive feature. */
function groupValues(key: string, features: readonly string[], path: PathSegment[]): string[] {
  let parts: string[] | null = null;
  if (key.trimStart().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(key);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean')) {
        parts = parsed.map((p) => String(p).trim());
      }
    } catch {
      // not a JSON array: a plain value that starts with "["
    }
  }
  if (parts === null) parts = features.length === 1 ? [key.trim()] : key.split('|').map((p) => p.trim());
  if (parts.length !== features.length) {
    fail(
      path,
      `group "${key}" has ${parts.length} value${parts.length === 1 ? '' : 's'} but there ${features.length === 1 ? 'is 1 sensitive feature' : `are ${features.length} sensitive features`} (${features.join(', ')}); write "value1|value2" or ["value1", "value2"]`,
    );
  }
  if (parts.some((p) => p === '')) fail(path, `group "${key}" has an empty value`);
  return parts;
}

function metricOf(name: string, path: PathSegment[], seen: Map<MetricName, string>): MetricName {
  const metric = resolveMetricName(name);
  if (metric === null) fail(path, unknownMetricReason(name));
  const earlier = seen.get(metric);
  if (earlier !== undefined) fail(path, `"${name}" is the same metric as "${earlier}", which is given too`);
  seen.set(metric, name);
  return metric;
}

/** Parses an already-decoded MetricFrame JSON document. Throws InputFileError with a JSON path. */
export function parseMetricFrameJson(json: unknown): FairnessEvaluationInput {
  const parsed = MetricFrameSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const base = issue.path.filter((p): p is PathSegment => typeof p === 'string' || typeof p === 'number');
      const known = base.length === 0 ? Object.keys(MetricFrameSchema.shape).join(', ') : null;
      fail([...base, issue.keys[0] ?? ''], `unknown field "${issue.keys[0]}"${known ? `; a MetricFrame export has ${known}` : ''}`);
    }
    const problem = describeFirstIssue(parsed.error, json, (p) => jsonPath(p));
    fail(problem.path, problem.reason);
  }
  const doc = parsed.data;
  const features = doc.sensitive_features;
  features.forEach((f, i) => {
    if (features.indexOf(f) !== i) fail(['sensitive_features', i], `sensitive feature "${f}" is listed twice`);
  });

  // Groups, in order of first appearance.
  interface Acc {
    values: string[];
    label: string;
    count: number | null;
    countFrom: string | null;
    metrics: Partial<Record<FairnessMetric, number>>;
    intervals: Partial<Record<FairnessMetric, MetricInterval>>;
  }
  const groups = new Map<string, Acc>();
  const metricNames = new Map<MetricName, string>();
  const byMetricKeys = new Map<MetricName, Set<string>>();

  const setCount = (acc: Acc, value: unknown, path: PathSegment[]) => {
    const count = positiveCount(value, path, acc.label);
    if (acc.count !== null && acc.count !== count) {
      fail(path, `group ${acc.label} has count ${count} here but ${acc.count} in ${acc.countFrom}`);
    }
    acc.count = count;
    acc.countFrom = jsonPath(path);
  };

  for (const [name, byKey] of Object.entries(doc.by_group)) {
    const metric = metricOf(name, ['by_group', name], metricNames);
    const keys = new Set<string>();
    for (const [key, value] of Object.entries(byKey)) {
      const path: PathSegment[] = ['by_group', name, key];
      const values = groupValues(key, features, path);
      const id = JSON.stringify(values);
      if (keys.has(id)) fail(path, `group ${groupLabel(values)} appears twice in ${name}`);
      keys.add(id);
      let acc = groups.get(id);
      if (!acc) {
        acc = { values, label: groupLabel(values), count: null, countFrom: null, metrics: {}, intervals: {} };
        groups.set(id, acc);
      }
      if (metric === 'count') setCount(acc, value, path);
      else acc.metrics[metric] = rate(value, path, `${name} of group ${acc.label}`);
    }
    byMetricKeys.set(metric, keys);
  }
  if (groups.size === 0) fail(['by_group'], 'by_group gives no groups');
  if ([...metricNames.keys()].every((m) => m === 'count')) fail(['by_group'], 'by_group gives no metric (only counts)');
  for (const [metric, keys] of byMetricKeys) {
    for (const [id, acc] of groups) {
      if (!keys.has(id)) fail(['by_group', metricNames.get(metric) as string], `group ${acc.label} is missing from ${metricNames.get(metric)}; every group needs a value for every metric`);
    }
  }

  if (doc.counts) {
    const seen = new Set<string>();
    for (const [key, value] of Object.entries(doc.counts)) {
      const path: PathSegment[] = ['counts', key];
      const id = JSON.stringify(groupValues(key, features, path));
      const acc = groups.get(id);
      if (!acc) fail(path, `group "${key}" has a count but no metrics in by_group`);
      if (seen.has(id)) fail(path, `group ${acc.label} has two counts`);
      seen.add(id);
      setCount(acc, value, path);
    }
    for (const acc of groups.values()) if (acc.count === null) fail(['counts'], `group ${acc.label} has no count`);
  }

  if (doc.intervals) {
    const seenMetrics = new Map<MetricName, string>();
    for (const [name, byKey] of Object.entries(doc.intervals)) {
      const metric = metricOf(name, ['intervals', name], seenMetrics);
      if (metric === 'count') fail(['intervals', name], 'count has no interval; intervals are for metrics');
      for (const [key, value] of Object.entries(byKey)) {
        const path: PathSegment[] = ['intervals', name, key];
        const acc = groups.get(JSON.stringify(groupValues(key, features, path)));
        if (!acc) fail(path, `group "${key}" has an interval but no metrics in by_group`);
        if (!Array.isArray(value) || value.length !== 2) fail(path, `the ${name} interval of group ${acc.label} must be a list [lower, upper], got ${show(value)}`);
        const lower = rate(value[0], [...path, 0], `the lower bound of ${name} for group ${acc.label}`);
        const upper = rate(value[1], [...path, 1], `the upper bound of ${name} for group ${acc.label}`);
        if (lower > upper) fail(path, `the ${name} interval of group ${acc.label} has lower bound ${lower} above upper bound ${upper}`);
        acc.intervals[metric] = { lower, upper };
      }
    }
  }

  const overall: Partial<Record<FairnessMetric, number>> = {};
  const overallNames = new Map<MetricName, string>();
  for (const [name, value] of Object.entries(doc.overall)) {
    const metric = metricOf(name, ['overall', name], overallNames);
    if (metric === 'count') positiveCount(value, ['overall', name], '(overall)');
    else overall[metric] = rate(value, ['overall', name], `overall ${name}`);
  }

  const result: FairnessGroup[] = [...groups.values()].map((acc) => {
    const group: FairnessGroup = { values: acc.values, label: acc.label, count: acc.count, metrics: acc.metrics };
    if (Object.keys(acc.intervals).length > 0) group.intervals = acc.intervals;
    return group;
  });

  return {
    format: 'fairlearn-metricframe',
    model: doc.model ? { name: doc.model.name, version: doc.model.version ?? null } : null,
    dataset: { name: doc.dataset?.name ?? null, digest: doc.dataset?.digest ?? null },
    producer: doc.producer ?? null,
    evaluatedAt: doc.evaluated_at ?? null,
    sensitiveFeatures: [...features],
    controlFeatures: doc.control_features ? [...doc.control_features] : [],
    overall,
    groups: result,
  };
}
