import type { FairnessEvaluationInput, FairnessGroup, FairnessMetric } from '../../../shared/domain/fairness';
import { InputFileError } from '../inputFileError';
import { groupOfRow, parseDecimal, showCell, type CsvRow } from '../csv';
import { groupLabel, isRate, resolveMetricName, unknownMetricReason } from './metricNames';

/**
 * By-group CSV: one row per (group, metric), with a header line.
 *
 *   sex,age_band,metric,value,count
 *   female,40+,selection_rate,0.42,120
 *   female,40+,recall,0.81,120
 *
 * The columns before `metric` are the sensitive features (the header names them); then `metric`, `value`
 * and an optional `count` (the group's sample size; a blank count cell means "not given"). Metric names
 * follow metricNames.ts (Fairlearn names and aliases); a `count` metric row gives the group's sample size.
 * Every group must have a row for every metric that appears. Overall values: the file has none, so
 * selection_rate and accuracy are the count-weighted means over the groups, when every group has a count
 * (exact for these two; the other rates cannot be recovered from rates alone and are left out).
 */

export const BY_GROUP_CSV_HEADER = 'group[,group2...],metric,value[,count]';

interface GroupAcc {
  values: string[];
  firstLine: number;
  count: number | null;
  countLine: number;
  metrics: Partial<Record<FairnessMetric, number>>;
}

function checkPositiveInteger(raw: string, line: number, column: string, label: string): number {
  const value = parseDecimal(raw);
  if (value === null) throw new InputFileError(`line ${line}`, `${column} is ${showCell(raw)}, not a number`);
  if (!Number.isInteger(value) || value <= 0) {
    throw new InputFileError(`line ${line}`, `${column} is ${raw.trim()}; group ${label} needs a count that is a whole number of at least 1`);
  }
  return value;
}

export function parseByGroupCsv(rows: readonly CsvRow[]): FairnessEvaluationInput {
  const header = rows[0];
  if (!header) throw new InputFileError('line 1', `the file is empty; a by-group CSV starts with the header ${BY_GROUP_CSV_HEADER}`);
  const names = header.fields.map((f) => f.trim());
  const lower = names.map((f) => f.toLowerCase());
  const at = (line: number) => `line ${line}`;

  const metricCol = lower.indexOf('metric');
  const valueCol = lower.indexOf('value');
  if (metricCol < 0) throw new InputFileError(at(header.line), `the header has no "metric" column; a by-group CSV has the columns ${BY_GROUP_CSV_HEADER}`);
  if (valueCol < 0) throw new InputFileError(at(header.line), `the header has no "value" column; a by-group CSV has the columns ${BY_GROUP_CSV_HEADER}`);
  if (metricCol === 0) throw new InputFileError(at(header.line), `no sensitive-feature column before "metric"; a by-group CSV has the columns ${BY_GROUP_CSV_HEADER}`);
  let countCol = -1;
  for (let c = metricCol + 1; c < lower.length; c++) {
    const name = lower[c];
    if (name === 'value' && c === valueCol) continue;
    if (name === 'count' && countCol < 0) {
      countCol = c;
      continue;
    }
    throw new InputFileError(at(header.line), `unexpected column "${names[c]}" after "metric"; a by-group CSV has the columns ${BY_GROUP_CSV_HEADER}`);
  }
  if (valueCol < metricCol) throw new InputFileError(at(header.line), `the "value" column must come after "metric"; a by-group CSV has the columns ${BY_GROUP_CSV_HEADER}`);
  const features = names.slice(0, metricCol);
  features.forEach((f, c) => {
    if (f === '') throw new InputFileError(at(header.line), `sensitive-feature column ${c + 1} has no name`);
    if (features.indexOf(f) !== c) throw new InputFileError(at(header.line), `sensitive feature "${f}" appears twice in the header`);
    if (['tp', 'fp', 'tn', 'fn', 'count', 'value'].includes(f.toLowerCase())) {
      throw new InputFileError(at(header.line), `column "${f}" cannot be a sensitive feature; a by-group CSV has the columns ${BY_GROUP_CSV_HEADER}`);
    }
  });

  const groups = new Map<string, GroupAcc>();
  const metricsSeen = new Map<FairnessMetric, number>(); // metric -> first line
  for (const row of rows.slice(1)) {
    const { line, fields } = row;
    const { values, label, key } = groupOfRow(row, names, features, groupLabel);
    let group = groups.get(key);
    if (!group) {
      group = { values, firstLine: line, count: null, countLine: line, metrics: {} };
      groups.set(key, group);
    }

    const rawMetric = fields[metricCol] as string;
    const metric = resolveMetricName(rawMetric);
    if (metric === null) throw new InputFileError(at(line), unknownMetricReason(rawMetric.trim()));
    const rawValue = fields[valueCol] as string;

    const setCount = (count: number, column: string) => {
      if (group.count !== null && group.count !== count) {
        throw new InputFileError(at(line), `${column} is ${count} for group ${label}, but line ${group.countLine} gives ${group.count}`);
      }
      if (group.count === null) {
        group.count = count;
        group.countLine = line;
      }
    };

    if (metric === 'count') {
      setCount(checkPositiveInteger(rawValue, line, 'value', label), 'value (count)');
    } else {
      const value = parseDecimal(rawValue);
      if (value === null) throw new InputFileError(at(line), `value is ${showCell(rawValue)}, not a number (metric ${metric}, group ${label})`);
      if (!isRate(value)) throw new InputFileError(at(line), `value is ${rawValue.trim()}; ${metric} is a rate between 0 and 1 (group ${label})`);
      if (group.metrics[metric] !== undefined) {
        throw new InputFileError(at(line), `group ${label} has ${metric} twice (metric "${rawMetric.trim()}"); one row per group and metric`);
      }
      group.metrics[metric] = value;
      if (!metricsSeen.has(metric)) metricsSeen.set(metric, line);
    }
    if (countCol >= 0) {
      const rawCount = fields[countCol] as string;
      if (rawCount.trim() !== '') setCount(checkPositiveInteger(rawCount, line, 'count', label), 'count');
    }
  }

  if (groups.size === 0) throw new InputFileError('file', 'the file has a header but no rows');
  if (metricsSeen.size === 0) throw new InputFileError('file', 'the file gives no metric, only counts');
  for (const group of groups.values()) {
    for (const [metric, line] of metricsSeen) {
      if (group.metrics[metric] === undefined) {
        throw new InputFileError(
          at(group.firstLine),
          `group ${groupLabel(group.values)} has no ${metric} row (line ${line} gives ${metric} for another group); every group needs every metric`,
        );
      }
    }
  }

  const result: FairnessGroup[] = [...groups.values()].map((g) => ({
    values: g.values,
    label: groupLabel(g.values),
    count: g.count,
    metrics: g.metrics,
  }));
  return {
    format: 'by-group-csv',
    model: null,
    dataset: { name: null, digest: null },
    producer: null,
    evaluatedAt: null,
    sensitiveFeatures: features,
    controlFeatures: [],
    overall: weightedOverall(result),
    groups: result,
  };
}

/** Count-weighted means of selection_rate and accuracy: exact, since both are proportions of all samples. */
function weightedOverall(groups: readonly FairnessGroup[]): Partial<Record<FairnessMetric, number>> {
  const overall: Partial<Record<FairnessMetric, number>> = {};
  if (groups.some((g) => g.count === null)) return overall;
  const total = groups.reduce((sum, g) => sum + (g.count ?? 0), 0);
  for (const metric of ['selection_rate', 'accuracy'] as const) {
    if (groups.every((g) => g.metrics[metric] !== undefined)) {
      overall[metric] = groups.reduce((sum, g) => sum + (g.count ?? 0) * (g.metrics[metric] ?? 0), 0) / total;
    }
  }
  return overall;
}
