import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDocket } from '../../support/runDocket';

const DEMO_FAIRNESS = resolve('resources/demo/fairness');
const FIXTURES = resolve('test/fixtures/fairness');
let dir: string;
let db: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-fairness-'));
  db = join(dir, 'w.db');
  // The demo's credit model versions 1-3 exist once its cards are imported.
  const cards = ['v1', 'v2', 'v3'].map((v) => resolve(`resources/demo/cards/credit-default-pd/${v}.model_card.json`));
  expect((await runDocket(['--db', db, 'import', 'cards', ...cards])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const counts = async () => {
  const info = (await runDocket(['--db', db, '--json', 'db', 'info'])).json() as { counts: Record<string, number> };
  return info.counts;
};

describe('docket import fairness', () => {
  it('imports a confusion-count CSV for a named version, idempotently', async () => {
    const file = join(DEMO_FAIRNESS, 'credit-default-pd-v2.confusion.csv');
    const first = await runDocket(['--db', db, '--json', 'import', 'fairness', file, '--model', 'credit-default-pd@2', '--dataset', 'holdout', '--producer', 'tests']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.json()).toEqual({ imported: 1, unchanged: 0, rejected: [] });
    const again = await runDocket(['--db', db, '--json', 'import', 'fairness', file, '--model', 'credit-default-pd@2']);
    expect(again.json()).toEqual({ imported: 0, unchanged: 1, rejected: [] });
    expect((await counts()).fairness_evaluations).toBe(1);
  });

  it('refuses a file without a model version, and a version not in the inventory', async () => {
    const file = join(DEMO_FAIRNESS, 'credit-default-pd-v2.confusion.csv');
    const noModel = await runDocket(['--db', db, '--json', 'import', 'fairness', file]);
    expect(noModel.code).toBe(1);
    expect(noModel.json()).toMatchObject({ rejected: [{ file, reason: expect.stringContaining('--model') }] });
    const unknown = await runDocket(['--db', db, '--json', 'import', 'fairness', file, '--model', 'credit-default-pd@9']);
    expect(unknown.json()).toMatchObject({ rejected: [{ reason: expect.stringContaining('not in the inventory') }] });
    const usage = await runDocket(['--db', db, 'import', 'fairness', file, '--model', 'credit-default-pd']);
    expect(usage.code).toBe(2);
  });

  it.each([
    ['negative-counts.csv', /^line \d+$/],
    ['missing-column.csv', /^line 1$/],
    ['unknown-metric.csv', /^line \d+$/],
    ['non-numeric-value.csv', /^line \d+$/],
    ['zero-count.json', /^\$/],
    ['nan.json', /^line \d+$/],
  ])('rejects %s with its location and writes nothing, not even the good file beside it', async (name, location) => {
    const good = join(DEMO_FAIRNESS, 'credit-default-pd-v2.confusion.csv');
    const bad = join(FIXTURES, name);
    const before = await counts();
    const result = await runDocket(['--db', db, '--json', 'import', 'fairness', good, bad, '--model', 'credit-default-pd@2']);
    expect(result.code).toBe(1);
    const body = result.json() as { imported: number; rejected: { file: string; location: string; reason: string }[] };
    expect(body.imported).toBe(0);
    expect(body.rejected).toEqual([{ file: bad, location: expect.stringMatching(location), reason: expect.any(String) }]);
    const after = await counts();
    expect(after.fairness_evaluations).toBe(before.fairness_evaluations);
  });
});

describe('docket fairness show', () => {
  it('judges each evaluation against the default policy, with the basis of each threshold', async () => {
    await runDocket(['--db', db, 'import', 'fairness', join(DEMO_FAIRNESS, 'credit-default-pd-v2.confusion.csv'), '--model', 'credit-default-pd@2']);
    const shown = await runDocket(['--db', db, '--json', 'fairness', 'show', 'credit-default-pd@2']);
    expect(shown.code).toBe(0);
    const view = shown.json() as {
      status: string;
      evaluations: { groups: { label: string; count: number; metrics: Record<string, number> }[]; verdicts: { measure: string; status: string; value: number; basis: string }[] }[];
    };
    expect(view.status).toBe('fail');
    const evaluation = view.evaluations[0]!;
    // Hand-computed: selection rate female 800/4000 = 0.2, male 1620/6000 = 0.27.
    expect(evaluation.groups.map((g) => [g.label, g.count, g.metrics.selection_rate])).toEqual([
      ['female', 4000, 0.2],
      ['male', 6000, 0.27],
    ]);
    const impact = evaluation.verdicts.find((v) => v.measure === 'disparate_impact_ratio')!;
    expect(impact.status).toBe('fail');
    expect(impact.value).toBeCloseTo(0.2 / 0.27, 12);
    expect(impact.basis).toMatch(/four-fifths/i);
    const human = await runDocket(['--db', db, 'fairness', 'show', 'credit-default-pd@2']);
    expect(human.stdout).toMatch(/FAIL\s+Disparate impact ratio/);
  });

  it('compares with the previous version and reports which gaps grew or shrank', async () => {
    for (const v of ['2', '3']) {
      await runDocket(['--db', db, 'import', 'fairness', join(DEMO_FAIRNESS, `credit-default-pd-v${v}.confusion.csv`), '--model', `credit-default-pd@${v}`]);
    }
    const view = (await runDocket(['--db', db, '--json', 'fairness', 'show', 'credit-default-pd@3'])).json() as {
      status: string;
      comparison: { previousVersion: string; changes: { measure: string; worsened: boolean; delta: number }[] };
      evaluations: { report: { excludedGroups: { label: string; reason: string }[] } }[];
    };
    expect(view.status).toBe('pass');
    expect(view.comparison.previousVersion).toBe('2');
    expect(view.comparison.changes.find((c) => c.measure === 'disparate_impact_ratio')).toMatchObject({ worsened: false });
    // The 60-sample "undisclosed" group is under 2% of the data: reported as excluded, not dropped.
    expect(view.evaluations[0]!.report.excludedGroups).toEqual([
      expect.objectContaining({ label: 'undisclosed', count: 60, reason: expect.stringMatching(/% of samples < minimum 2%/) }),
    ]);
  });
});
