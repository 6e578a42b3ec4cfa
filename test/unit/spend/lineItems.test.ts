import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { importFocus } from '../../../electron/core/spend/importFocus';
import { spendBy, spendLineItems } from '../../../electron/core/spend/spendQueries';
import { fixedClock, tempStore } from '../../support/tempStore';

let t: ReturnType<typeof tempStore>;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('spend drill-down', () => {
  it('returns the line items whose sum is the group figure, including the unattributed group', async () => {
    await importFocus(t.store, [resolve('resources/demo/spend/halden-focus-2026q1.csv')], { actor: 'a', clock: fixedClock() });
    for (const key of ['credit-default-pd', 'unattributed']) {
      const figure = spendBy(t.store.db, { by: 'model', from: '2026-02-01', to: '2026-02-28' }).find((r) => r.key === key)!;
      const { total, items } = spendLineItems(t.store.db, { by: 'model', key, from: '2026-02-01', to: '2026-02-28', limit: 1000 });
      expect(items).toHaveLength(total);
      const sum = items.reduce((a, i) => a + i.effectiveCost, 0);
      expect(sum).toBeCloseTo(figure.effectiveCost, 6);
      expect(items[0]!.file).toMatch(/halden-focus-2026q1\.csv$/);
      expect(items.every((i, n) => n === 0 || items[n - 1]!.effectiveCost >= i.effectiveCost)).toBe(true);
    }
  });
});
