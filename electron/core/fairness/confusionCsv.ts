import type { ConfusionCounts, FairnessEvaluationInput, FairnessGroup } from '../../../shared/domain/fairness';
import { metricsFromConfusion } from '../../../shared/fairness/metrics';
import { InputFileError } from '../inputFileError';
import { groupOfRow, parseDecimal, showCell, type CsvRow } from '../csv';
import { groupLabel } from './metricNames';

/**
 * Confusion CSV: one row per group with its confusion counts (positive label 1), with a header line.
 *
 *   sex,age_band,tp,fp,tn,fn
 *   female,40+,31,12,70,9
 *
 * The columns before the first count column are the sensitive features (the header names them); then
 * tp, fp, tn, fn in any order, each a non-negative whole number. Docket computes the metrics itself
 * (metricsFromConfusion); count = tp+fp+tn+fn; the counts are kept on the group; overall = the metrics
 * of the summed counts.
 */

export const CONFUSION_CSV_HEADER = 'group[,group2...],tp,fp,tn,fn';
const COUNT_COLUMNS = ['tp', 'fp', 'tn', 'fn'] as const;
type CountColumn = (typeof COUNT_COLUMNS)[number];

export function parseConfusionCsv(rows: readonly CsvRow[]): FairnessEvaluationInput {
  const header = rows[0];
  if (!header) throw new InputFileError('line 1', `the file is empty; a confusion CSV starts with the header ${CONFUSION_CSV_HEADER}`);
  const names = header.fields.map((f) => f.trim());
  const lower = names.map((f) => f.toLowerCase());
  const at = (line: number) => `line ${line}`;

  const cols = {} as Record<CountColumn, number>;
  for (const name of COUNT_COLUMNS) {
    const c = lower.indexOf(name);
    if (c < 0) throw new InputFileError(at(header.line), `the header has no "${name}" column; a confusion CSV has the columns ${CONFUSION_CSV_HEADER}`);
    if (lower.indexOf(name, c + 1) >= 0) throw new InputFileError(at(header.line), `the header has "${name}" twice`);
    cols[name] = c;
  }
  const firstCount = Math.min(...Object.values(cols));
  if (firstCount === 0) throw new InputFileError(at(header.line), `no sensitive-feature column before the counts; a confusion CSV has the columns ${CONFUSION_CSV_HEADER}`);
  for (let c = firstCount; c < names.length; c++) {
    if (!(COUNT_COLUMNS as readonly string[]).includes(lower[c] as string)) {
      throw new InputFileError(at(header.line), `unexpected column "${names[c]}" among the counts; a confusion CSV has the columns ${CONFUSION_CSV_HEADER}`);
    }
  }
  const features = names.slice(0, firstCount);
  features.forEach((f, c) => {
    if (f === '') throw new InputFileError(at(header.line), `sensitive-feature column ${c + 1} has no name`);
    if (features.indexOf(f) !== c) throw new InputFileError(at(header.line), `sensitive feature "${f}" appears twice in the header`);
  });

  const seen = new Map<string, number>(); // group key -> line
  const groups: FairnessGroup[] = [];
  const total: ConfusionCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const row of rows.slice(1)) {
    const { line, fields } = row;
    const { values, label, key } = groupOfRow(row, names, features, groupLabel);
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new InputFileError(at(line), `group ${label} appears twice (also on line ${earlier}); one row per group`);
    seen.set(key, line);

    const confusion = {} as ConfusionCounts;
    for (const name of COUNT_COLUMNS) {
      const raw = fields[cols[name]] as string;
      const value = parseDecimal(raw);
      if (value === null) throw new InputFileError(at(line), `${name} is ${showCell(raw)}, not a number`);
      if (value < 0) throw new InputFileError(at(line), `${name} is ${raw.trim()}; counts cannot be negative`);
      if (!Number.isSafeInteger(value)) throw new InputFileError(at(line), `${name} is ${raw.trim()}; counts must be whole numbers`);
      confusion[name] = value;
    }
    const count = confusion.tp + confusion.fp + confusion.tn + confusion.fn;
    if (count === 0) throw new InputFileError(at(line), `group ${label} has no samples (tp, fp, tn and fn are all 0)`);
    if (!Number.isSafeInteger(count)) throw new InputFileError(at(line), `group ${label} has more samples than Docket can count exactly`);
    for (const name of COUNT_COLUMNS) total[name] += confusion[name];
    groups.push({ values, label, count, metrics: metricsFromConfusion(confusion), confusion });
  }
  if (groups.length === 0) throw new InputFileError('file', 'the file has a header but no rows');
  if (!COUNT_COLUMNS.every((name) => Number.isSafeInteger(total[name]))) {
    throw new InputFileError('file', 'the summed counts are larger than Docket can count exactly');
  }

  return {
    format: 'confusion-csv',
    model: null,
    dataset: { name: null, digest: null },
    producer: null,
    evaluatedAt: null,
    sensitiveFeatures: features,
    controlFeatures: [],
    overall: metricsFromConfusion(total),
    groups,
  };
}
