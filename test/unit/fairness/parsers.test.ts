import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFairnessFile, MAX_FAIRNESS_BYTES, isFairnessFile } from '../../../electron/core/fairness/parseFairnessFile';
import { readCsv } from '../../../electron/core/csv';
import { resolveMetricName } from '../../../electron/core/fairness/metricNames';
import { InputFileError } from '../../../electron/core/inputFileError';
import { confusionByGroup } from '../../../shared/fairness/metrics';
import type { FairnessEvaluationInput } from '../../../shared/domain/fairness';

const fixturePath = (name: string) => fileURLToPath(new URL(`../../fixtures/fairness/${name}`, import.meta.url));
const load = (name: string) => ({ path: fixturePath(name), bytes: readFileSync(fixturePath(name)) });
const text = (path: string, body: string) => ({ path, bytes: Buffer.from(body, 'utf8') });

function rejection(file: { path: string; bytes: Buffer }): InputFileError {
  try {
    parseFairnessFile(file);
  } catch (err) {
    if (err instanceof InputFileError) return err;
    throw err;
  }
  throw new Error(`expected ${file.path} to be rejected`);
}

/** 1-based line of the first line containing `needle`. */
function lineOf(bytes: Buffer, needle: string): number {
  const line = bytes.toString('utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
  expect(line).toBeGreaterThan(0);
  return line;
}

const metricFrame = (overrides: Record<string, unknown> = {}) =>
  text(
    '/x/mf.json',
    JSON.stringify({
      sensitive_features: ['sex'],
      overall: { selection_rate: 0.5 },
      by_group: { selection_rate: { female: 0.4, male: 0.6 }, recall: { female: 0.7, male: 0.8 } },
      ...overrides,
    }),
  );

describe('good fixtures', () => {
  it('reads a MetricFrame export with metadata, aliases, counts and intervals', () => {
    const r = parseFairnessFile(load('metricframe-credit.json'));
    expect(r.format).toBe('fairlearn-metricframe');
    expect(r.model).toEqual({ name: 'credit-risk', version: '3.1.0' });
    expect(r.dataset.name).toBe('holdout-2024q1');
    expect(r.dataset.digest).toMatch(/^sha256:/);
    expect(r.producer).toContain('fairlearn');
    expect(r.evaluatedAt).toBe('2024-05-02T09:30:00+00:00');
    expect(r.sensitiveFeatures).toEqual(['sex']);
    expect(r.controlFeatures).toEqual([]);
    expect(r.overall).toEqual({ selection_rate: 0.418, true_positive_rate: 0.79, false_positive_rate: 0.12, precision: 0.81, accuracy: 0.84 });
    expect(r.groups.map((g) => [g.label, g.count])).toEqual([
      ['female', 412],
      ['male', 588],
    ]);
    const female = r.groups[0];
    expect(female?.values).toEqual(['female']);
    expect(female?.metrics).toEqual({ selection_rate: 0.38, true_positive_rate: 0.75, false_positive_rate: 0.1, precision: 0.79, accuracy: 0.85 });
    expect(female?.intervals).toEqual({ selection_rate: { lower: 0.333, upper: 0.427 }, true_positive_rate: { lower: 0.68, upper: 0.81 } });
    expect(female?.confusion).toBeUndefined();
  });

  it('reads intersectional groups keyed as pandas writes a tuple index and as "a|b"', () => {
    const r = parseFairnessFile(load('metricframe-intersectional.json'));
    expect(r.sensitiveFeatures).toEqual(['sex', 'age_band']);
    expect(r.model).toBeNull();
    expect(r.dataset).toEqual({ name: null, digest: null });
    expect(r.evaluatedAt).toBeNull();
    expect(r.groups.map((g) => [g.values, g.label, g.count, g.metrics.selection_rate])).toEqual([
      [['female', '<40'], 'female × <40', 180, 0.52],
      [['female', '40+'], 'female × 40+', 232, 0.41],
      [['male', '<40'], 'male × <40', 301, 0.55],
      [['male', '40+'], 'male × 40+', 287, 0.49],
    ]);
    for (const g of r.groups) expect(g.intervals).toBeUndefined();
  });

  it('reads a by-group CSV with CRLF, quoted values with commas, and derives overall rates from counts', () => {
    const r = parseFairnessFile(load('by-group.csv'));
    expect(r.format).toBe('by-group-csv');
    expect(r).toMatchObject({ model: null, dataset: { name: null, digest: null }, producer: null, evaluatedAt: null, controlFeatures: [] });
    expect(r.sensitiveFeatures).toEqual(['sex']);
    expect(r.groups.map((g) => [g.label, g.count])).toEqual([
      ['female', 412],
      ['male', 588],
      ['non-binary, other', 37],
    ]);
    expect(r.groups[2]?.metrics).toEqual({ selection_rate: 0.41, true_positive_rate: 0.7, false_positive_rate: 0.12 });
    const expected = (412 * 0.38 + 588 * 0.4447 + 37 * 0.41) / (412 + 588 + 37);
    expect(r.overall.selection_rate).toBeCloseTo(expected, 12);
    expect(r.overall.true_positive_rate).toBeUndefined();
  });

  it('reads the Fairlearn documentation example as a confusion CSV', () => {
    const r = parseFairnessFile(load('confusion.csv'));
    expect(r.format).toBe('confusion-csv');
    expect(r.sensitiveFeatures).toEqual(['group']);
    expect(r).toMatchObject({ model: null, dataset: { name: null, digest: null }, producer: null, evaluatedAt: null, controlFeatures: [] });

    // The fixture's counts are those of the doc example's samples.
    const doc = JSON.parse(readFileSync(fixturePath('fairlearn-doc-example.json'), 'utf8')) as {
      y_true: number[];
      y_pred: number[];
      sensitive_features: string[];
      expected: Record<string, number>;
    };
    const fromSamples = confusionByGroup(doc.y_true, doc.y_pred, doc.sensitive_features.map((s) => [s]));
    expect(r.groups.map((g) => [g.label, g.confusion])).toEqual([...fromSamples.values()].map((g) => [g.values[0], g.confusion]));
    expect(r.groups.map((g) => g.count)).toEqual([4, 6, 8]);

    // ...and they reproduce the documented results.
    const rates = r.groups.map((g) => g.metrics.selection_rate as number);
    expect(Math.max(...rates) - Math.min(...rates)).toBeCloseTo(doc.expected.demographic_parity_difference as number, 12);
    expect(Math.min(...rates) / Math.max(...rates)).toBeCloseTo(doc.expected.demographic_parity_ratio as number, 12);
    const gap = (m: 'true_positive_rate' | 'false_positive_rate') => {
      const v = r.groups.map((g) => g.metrics[m] as number);
      return Math.max(...v) - Math.min(...v);
    };
    expect(Math.max(gap('true_positive_rate'), gap('false_positive_rate'))).toBeCloseTo(doc.expected.equalized_odds_difference as number, 12);

    expect(r.groups[0]?.metrics).toEqual({ selection_rate: 0.75, true_positive_rate: 0.5, false_positive_rate: 1, precision: 1 / 3, accuracy: 0.25 });
    expect(r.overall).toEqual({ selection_rate: 10 / 18, true_positive_rate: 6 / 12, false_positive_rate: 4 / 6, precision: 6 / 10, accuracy: 8 / 18 });
  });

  it('omits metrics with a zero denominator and keeps several features', () => {
    const r = parseFairnessFile(text('/x/c.csv', 'sex,age,tp,fp,tn,fn\nf,<40,0,0,5,0\nm,<40,2,1,3,1\n'));
    expect(r.sensitiveFeatures).toEqual(['sex', 'age']);
    expect(r.groups[0]?.label).toBe('f × <40');
    expect(r.groups[0]?.metrics).toEqual({ selection_rate: 0, false_positive_rate: 0, accuracy: 1 });
  });

  it('accepts a UTF-8 BOM and columns of counts in any order', () => {
    const r = parseFairnessFile(text('/x/c.csv', '\uFEFFgroup,fn,tn,fp,tp\na,1,0,2,1\n'));
    expect(r.groups[0]?.confusion).toEqual({ tp: 1, fp: 2, tn: 0, fn: 1 });
    const j = parseFairnessFile({ path: '/x/m.json', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), metricFrame().bytes]) });
    expect(j.groups).toHaveLength(2);
  });

  it('knows the metric aliases', () => {
    expect(['recall', 'recall_score', 'TPR', 'true_positive_rate'].map(resolveMetricName)).toEqual(Array(4).fill('true_positive_rate'));
    expect(['fpr', 'precision_score', 'accuracy_score', 'count', 'f1_score'].map(resolveMetricName)).toEqual([
      'false_positive_rate',
      'precision',
      'accuracy',
      'count',
      null,
    ]);
    expect(isFairnessFile('/x/A.CSV')).toBe(true);
    expect(isFairnessFile('/x/a.parquet')).toBe(false);
  });
});

describe('broken fixtures: location and reason', () => {
  it('zero-count.json', () => {
    const e = rejection(load('zero-count.json'));
    expect(e.location).toBe('$.counts.b');
    expect(e.reason).toContain('group b has count 0');
  });

  it('negative-counts.csv', () => {
    const f = load('negative-counts.csv');
    const e = rejection(f);
    expect(e.location).toBe(`line ${lineOf(f.bytes, '-3')}`);
    expect(e.location).toBe('line 3');
    expect(e.reason).toBe('fp is -3; counts cannot be negative');
  });

  it('nan.json (a bare NaN, as Python writes it)', () => {
    const f = load('nan.json');
    const e = rejection(f);
    expect(e.location).toBe(`line ${lineOf(f.bytes, 'NaN')}`);
    expect(e.reason).toContain('NaN is not a number Docket can use');
    expect(e.reason).toContain('$.by_group.precision.b');
  });

  it('unknown-metric.csv', () => {
    const f = load('unknown-metric.csv');
    const e = rejection(f);
    expect(e.location).toBe(`line ${lineOf(f.bytes, 'f2_score')}`);
    expect(e.reason).toContain('metric');
    expect(e.reason).toContain('"f2_score"');
    expect(e.reason).toContain('selection_rate');
    expect(e.reason).toContain('recall_score');
  });

  it('missing-column.csv', () => {
    const e = rejection(load('missing-column.csv'));
    expect(e.location).toBe('line 1');
    expect(e.reason).toContain('no "value" column');
  });

  it('non-numeric-value.csv', () => {
    const f = load('non-numeric-value.csv');
    const e = rejection(f);
    expect(e.location).toBe(`line ${lineOf(f.bytes, 'abc')}`);
    expect(e.reason).toContain('value is "abc", not a number');
  });

  it('truncated.json', () => {
    const f = load('truncated.json');
    const e = rejection(f);
    expect(e.location).toBe(`line ${f.bytes.toString('utf8').trimEnd().split('\n').length}`);
    expect(e.reason).toMatch(/^invalid JSON/);
  });
});

describe('MetricFrame JSON rejections', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['unknown metric', { by_group: { selection_rate: { a: 0.1 }, f2_score: { a: 0.2 } } }, '$.by_group.f2_score', /unknown metric "f2_score".*true_positive_rate \(recall/],
    ['alias given twice', { by_group: { recall: { female: 0.1 }, tpr: { female: 0.2 } } }, '$.by_group.tpr', /same metric as "recall"/],
    ['rate above 1', { by_group: { selection_rate: { female: 1.2, male: 0.5 } } }, '$.by_group.selection_rate.female', /selection_rate of group female is 1.2.*between 0 and 1/],
    ['null value', { by_group: { selection_rate: { female: null, male: 0.5 } } }, '$.by_group.selection_rate.female', /must be a number, got null/],
    ['string value', { overall: { accuracy: '0.9' } }, '$.overall.accuracy', /overall accuracy must be a number/],
    ['group missing from a metric', { by_group: { selection_rate: { female: 0.4, male: 0.6 }, precision: { female: 0.7 } } }, '$.by_group.precision', /group male is missing from precision/],
    ['wrong number of key parts', { sensitive_features: ['sex', 'age'], by_group: { selection_rate: { 'female|40+': 0.4, male: 0.6 } } }, '$.by_group.selection_rate.male', /group "male" has 1 value but there are 2 sensitive features \(sex, age\)/],
    ['count not an integer', { counts: { female: 10.5, male: 3 } }, '$.counts.female', /count 10.5/],
    ['a group without a count', { counts: { female: 10 } }, '$.counts', /group male has no count/],
    ['count for an unknown group', { counts: { female: 1, male: 2, other: 3 } }, '$.counts.other', /group "other" has a count but no metrics/],
    ['counts that disagree', { by_group: { selection_rate: { female: 0.4, male: 0.6 }, count: { female: 4, male: 6 } }, counts: { female: 4, male: 7 } }, '$.counts.male', /count 7 here but 6/],
    ['interval upside down', { intervals: { selection_rate: { female: [0.5, 0.3] } } }, '$.intervals.selection_rate.female', /lower bound 0.5 above upper bound 0.3/],
    ['interval not a pair', { intervals: { selection_rate: { female: 0.3 } } }, '$.intervals.selection_rate.female', /must be a list \[lower, upper\]/],
    ['no sensitive features', { sensitive_features: [] }, '$.sensitive_features', /at least one sensitive feature/],
    ['missing by_group', { by_group: undefined }, '$.by_group', /by_group must be an object.*it is missing/],
    ['a typo at the top level', { by_groups: {} }, '$.by_groups', /unknown field "by_groups"/],
    ['a bad date', { evaluated_at: 'yesterday' }, '$.evaluated_at', /ISO 8601/],
    ['a model without a name', { model: { version: '3' } }, '$.model.name', /name must be a string/],
  ];
  it.each(cases)('%s', (_name, overrides, location, reason) => {
    const e = rejection(metricFrame(overrides));
    expect(e.location).toBe(location);
    expect(e.reason).toMatch(reason);
  });

  it('accepts null metadata, a pipe-joined key and a key written as a JSON array', () => {
    const r = parseFairnessFile(
      metricFrame({
        producer: null,
        model: null,
        sensitive_features: ['sex', 'age'],
        by_group: { selection_rate: { 'female|40+': 0.4, '["male", "<40"]': 0.6 }, count: { '["female","40+"]': 3, 'male|<40': 5 } },
      }),
    );
    expect(r.groups.map((g) => [g.label, g.count])).toEqual([
      ['female × 40+', 3],
      ['male × <40', 5],
    ]);
    expect(r.model).toBeNull();
  });

  it('reports JSON syntax errors by line', () => {
    expect(rejection(text('/x/a.json', '{\n  "a": 1,\n}\n')).location).toBe('line 3');
    expect(rejection(text('/x/a.json', '{\n  "a": x\n}')).location).toBe('line 2');
    const inf = rejection(text('/x/a.json', '{\n "overall": {"accuracy": -Infinity}}'));
    expect(inf.location).toBe('line 2');
    expect(inf.reason).toContain('Infinity is not a number Docket can use ($.overall.accuracy)');
  });
});

describe('CSV rejections', () => {
  const cases: [string, string, string, RegExp][] = [
    ['wrong field count', 'sex,metric,value\nf,selection_rate,0.1\nm,selection_rate\n', 'line 3', /2 fields, the header has 3/],
    ['NaN value', 'sex,metric,value\nf,selection_rate,NaN\n', 'line 2', /value is "NaN", not a number/],
    ['empty value', 'sex,metric,value\nf,selection_rate,\n', 'line 2', /value is empty, not a number/],
    ['rate out of range', 'sex,metric,value\nf,accuracy,1.5\n', 'line 2', /value is 1.5; accuracy is a rate/],
    ['zero count', 'sex,metric,value,count\nf,accuracy,0.5,0\n', 'line 2', /count is 0; group f needs a count/],
    ['negative count', 'sex,metric,value,count\nf,accuracy,0.5,-4\n', 'line 2', /count is -4/],
    ['same group and metric twice', 'sex,metric,value\nf,recall,0.5\nf,tpr,0.6\n', 'line 3', /group f has true_positive_rate twice/],
    ['counts disagree', 'sex,metric,value,count\nf,accuracy,0.5,10\nf,recall,0.5,11\n', 'line 3', /count is 11 for group f, but line 2 gives 10/],
    ['metric missing for a group', 'sex,metric,value\nf,accuracy,0.5\nm,accuracy,0.5\nm,recall,0.5\n', 'line 2', /group f has no true_positive_rate row/],
    ['no feature column', 'metric,value\naccuracy,0.5\n', 'line 1', /no sensitive-feature column/],
    ['extra column', 'sex,metric,value,note\nf,accuracy,0.5,x\n', 'line 1', /unexpected column "note"/],
    ['neither format', 'sex,score\nf,1\n', 'line 1', /by-group CSV \(group\[,group2...\],metric,value\[,count\]\) or a confusion CSV \(group\[,group2...\],tp,fp,tn,fn\)/],
    ['confusion: missing fn', 'sex,tp,fp,tn\nf,1,2,3\n', 'line 1', /no "fn" column/],
    ['confusion: no samples', 'sex,tp,fp,tn,fn\nx,0,0,0,0\n', 'line 2', /group x has no samples/],
    ['confusion: duplicate group', 'sex,tp,fp,tn,fn\nx,1,0,0,0\ny,1,1,1,1\nx,1,0,0,0\n', 'line 4', /group x appears twice \(also on line 2\)/],
    ['confusion: fraction', 'sex,tp,fp,tn,fn\nx,1,0.5,0,0\n', 'line 2', /fp is 0.5; counts must be whole numbers/],
    ['confusion: word', 'sex,tp,fp,tn,fn\nx,1,lots,0,0\n', 'line 2', /fp is "lots", not a number/],
    ['header only', 'sex,tp,fp,tn,fn\n', 'file', /no rows/],
    ['empty file', '', 'line 1', /empty/],
    ['unclosed quote', 'sex,tp,fp,tn,fn\n"x,1,0,0,0\n', 'line 2', /never closed/],
    ['text after a closing quote', 'sex,tp,fp,tn,fn\n"x"y,1,0,0,0\n', 'line 2', /after a closing quote in column 1/],
  ];
  it.each(cases)('%s', (_name, body, location, reason) => {
    const e = rejection(text('/x/f.csv', body));
    expect(e.location).toBe(location);
    expect(e.reason).toMatch(reason);
  });

  it('reads RFC 4180 quoting with line numbers', () => {
    expect(readCsv('a,b\r\n"x, ""y""",2\n\n"multi\nline",3\n"",\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"', '2'] },
      { line: 4, fields: ['multi\nline', '3'] },
      { line: 6, fields: ['', ''] },
    ]);
  });
});

describe('whole-file rejections', () => {
  it('refuses other extensions, oversized, UTF-16, binary and non-UTF-8 files', () => {
    expect(rejection(text('/x/a.xlsx', 'x')).location).toBe('file');
    const big = rejection({ path: '/x/a.csv', bytes: Buffer.alloc(MAX_FAIRNESS_BYTES + 1, 0x61) });
    expect(big).toMatchObject({ location: 'file' });
    expect(big.reason).toContain('limited to 20.0 MB');
    expect(rejection({ path: '/x/a.csv', bytes: Buffer.from([0xff, 0xfe, 0x61, 0]) }).reason).toContain('UTF-16');
    expect(rejection({ path: '/x/a.csv', bytes: Buffer.from('a,b\0') }).reason).toContain('binary');
    expect(rejection({ path: '/x/a.csv', bytes: Buffer.from([0x61, 0xc3, 0x28]) }).reason).toContain('UTF-8');
  });
});

describe('fuzzing: only InputFileError escapes', () => {
  const onlyInputFileErrors = (file: { path: string; bytes: Buffer }) => {
    let result: FairnessEvaluationInput | null = null;
    try {
      result = parseFairnessFile(file);
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err;
      return;
    }
    // What gets through has the promised shape.
    expect(result.groups.length).toBeGreaterThan(0);
    for (const g of result.groups) {
      expect(g.values).toHaveLength(result.sensitiveFeatures.length);
      for (const v of Object.values(g.metrics)) expect(v >= 0 && v <= 1).toBe(true);
      if (g.count !== null) expect(Number.isInteger(g.count) && g.count > 0).toBe(true);
    }
  };
  const seeds = ['metricframe-credit.json', 'metricframe-intersectional.json', 'by-group.csv', 'confusion.csv'].map(load);

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('/x/a.json', '/x/a.csv'), (bytes, path) => {
        onlyInputFileErrors({ path, bytes: Buffer.from(bytes) });
      }),
      { numRuns: 500 },
    );
  });

  it('random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom('a', '1', '0', '.', ',', '"', '\n', '\r', '-', 'tp', 'metric', 'value', 'NaN', '{', '}', '[', ']', ':', '|') }), fc.constantFrom('/x/a.json', '/x/a.csv'), (body, path) => {
        onlyInputFileErrors(text(path, body));
      }),
      { numRuns: 500 },
    );
  });

  it('mutations of valid files', () => {
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      edits: fc.array(
        fc.record({
          at: fc.nat(),
          remove: fc.nat({ max: 8 }),
          insert: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('NaN', '-1', '0', '"', ',', '\n', '|', '[', ']', 'null', '1e999', '2.5', 'recall', 'f2')),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ seed, edits }) => {
        const file = seeds[seed] as { path: string; bytes: Buffer };
        let body = file.bytes.toString('utf8');
        for (const { at, remove, insert } of edits) {
          const i = at % (body.length + 1);
          body = body.slice(0, i) + insert + body.slice(i + remove);
        }
        onlyInputFileErrors(text(file.path, body));
      }),
      { numRuns: 1000 },
    );
  });
});
