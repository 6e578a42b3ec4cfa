import { basename, extname } from 'node:path';
import type { FairnessEvaluationInput } from '../../../shared/domain/fairness';
import { InputFileError } from '../inputFileError';
import { decodeTextInput, parseJsonText } from '../readTextInput';
import { BY_GROUP_CSV_HEADER, parseByGroupCsv } from './byGroupCsv';
import { CONFUSION_CSV_HEADER, parseConfusionCsv } from './confusionCsv';
import { readCsv } from '../csv';
import { parseMetricFrameJson } from './metricFrameJson';

/** Evaluations are small text files; anything larger is a mistake (raw predictions, a dataset) and is refused unread. */
export const MAX_FAIRNESS_BYTES = 20 * 1024 * 1024;

export const FAIRNESS_FILE_EXTENSIONS = ['.json', '.csv'] as const;

export function isFairnessFile(path: string): boolean {
  return (FAIRNESS_FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * Parses one fairness evaluation file: `.json` is a Fairlearn MetricFrame export (metricFrameJson.ts);
 * `.csv` is a confusion CSV (header has tp, fp, tn, fn) or a by-group CSV (header has metric, value),
 * told apart by the header. Throws InputFileError; the caller adds the file name to the rejection.
 */
export function parseFairnessFile(file: { path: string; bytes: Buffer }): FairnessEvaluationInput {
  const ext = extname(file.path).toLowerCase();
  if (!isFairnessFile(file.path)) {
    throw new InputFileError(
      'file',
      `unsupported file type "${ext || basename(file.path)}": fairness evaluations are .json (Fairlearn MetricFrame export) or .csv (by-group metrics or confusion counts)`,
    );
  }
  const text = decodeTextInput(file.bytes, { maxBytes: MAX_FAIRNESS_BYTES, what: 'fairness evaluations' });
  if (ext === '.json') return parseMetricFrameJson(parseJsonText(text));

  const rows = readCsv(text);
  const header = (rows[0]?.fields ?? []).map((f) => f.trim().toLowerCase());
  // The full header decides; a header with only some of a format's columns goes to that format's
  // parser so that the rejection names the missing column.
  if (['tp', 'fp', 'tn', 'fn'].some((c) => header.includes(c))) return parseConfusionCsv(rows);
  if (header.includes('metric') || header.includes('value')) return parseByGroupCsv(rows);
  throw new InputFileError(
    `line ${rows[0]?.line ?? 1}`,
    `${rows.length === 0 ? 'the file is empty' : 'the header names neither format'}; expected a by-group CSV (${BY_GROUP_CSV_HEADER}) or a confusion CSV (${CONFUSION_CSV_HEADER})`,
  );
}
