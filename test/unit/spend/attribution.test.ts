import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDocket } from '../../support/runDocket';
import { openStore } from '../../../electron/core/store/openStore';
import { spendLineItems } from '../../../electron/core/spend/spendQueries';

let dir: string;
let db: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docket-attr-'));
  db = join(dir, 'w.db');
  expect((await runDocket(['--db', db, 'import', 'focus', resolve('resources/demo/spend/halden-focus-2026q1.csv')])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Row = { key: string; currency: string; effectiveCost: number };
const byModel = async () => (await runDocket(['--db', db, '--json', 'spend', '--by', 'model'])).json() as Row[];
const total = (rows: Row[]) => rows.reduce((a, r) => a + r.effectiveCost, 0);
const of = (rows: Row[], key: string) => rows.find((r) => r.key === key)?.effectiveCost ?? 0;

describe('attribution rules', () => {
  it('re-attributes stored spend by resource pattern without re-importing, and undoes it on removal', async () => {
    const before = await byModel();
    // The demo's untagged SageMaker endpoints are named "shared-<n>": give them to one model.
    const added = await runDocket(['--db', db, '--json', 'attribution', 'add', '--model', 'shared-inference', '--resource', 'arn:aws:sagemaker:*:endpoint/shared-*']);
    expect(added.code, added.stderr).toBe(0);
    const after = await byModel();
    expect(of(after, 'shared-inference')).toBeGreaterThan(0);
    expect(of(after, 'unattributed')).toBeCloseTo(of(before, 'unattributed') - of(after, 'shared-inference'), 6);
    expect(total(after)).toBeCloseTo(total(before), 6); // money moves between lines, none appears or vanishes

    // The drill-down follows the same rule: the rule's line items add up to the rule's figure.
    const store = openStore(db);
    try {
      // One month, so every item fits in one page (the drill-down returns at most 1,000, largest first).
      const range = { from: '2026-02-01', to: '2026-02-28' };
      const { total: count, items } = spendLineItems(store.db, { by: 'model', key: 'shared-inference', ...range, limit: 1000 });
      expect(count).toBeGreaterThan(0);
      expect(items).toHaveLength(count);
      expect(items.every((i) => /endpoint\/shared-/.test(i.resourceId ?? ''))).toBe(true);
      const february = (await runDocket(['--db', db, '--json', 'spend', '--by', 'model', '--from', range.from, '--to', range.to])).json() as Row[];
      expect(items.reduce((a, i) => a + i.effectiveCost, 0)).toBeCloseTo(of(february, 'shared-inference'), 6);
    } finally {
      store.close();
    }

    const id = (added.json() as { id: number }).id;
    expect((await runDocket(['--db', db, 'attribution', 'remove', String(id)])).code).toBe(0);
    const restored = await byModel();
    expect(of(restored, 'unattributed')).toBeCloseTo(of(before, 'unattributed'), 6);
    expect(of(restored, 'shared-inference')).toBe(0);
  });

  it('tries rules by priority, and a tag rule overrides the tag itself', async () => {
    await runDocket(['--db', db, 'attribution', 'add', '--model', 'risk-models', '--tag', 'team=risk-ml', '--priority', '10']);
    await runDocket(['--db', db, 'attribution', 'add', '--model', 'never', '--tag', 'team=risk-*', '--priority', '20']);
    const rows = await byModel();
    expect(of(rows, 'risk-models')).toBeGreaterThan(0);
    expect(of(rows, 'never')).toBe(0);
    const list = (await runDocket(['--db', db, '--json', 'attribution', 'list'])).json() as { priority: number }[];
    expect(list.map((r) => r.priority)).toEqual([10, 20]);
    expect((await runDocket(['--db', db, 'attribution', 'add', '--model', 'x'])).code).toBe(2);
  });
});
