import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCostAndUsage } from '../../../electron/core/awsce/fetchCostAndUsage';
import { addDays, daysToFetch, diffRestatements } from '../../../electron/core/awsce/refetchWindow';
import type { CeDailyCost } from '../../../shared/domain/spend';
import { generateDataset, startCostExplorerServer, type CostExplorerTestServer } from '../../support/costExplorerServer';

function final(from: string, n: number): { day: string; estimated: boolean }[] {
  return Array.from({ length: n }, (_, i) => ({ day: addDays(from, i), estimated: false }));
}

describe('daysToFetch', () => {
  it('reads everything when nothing is stored', () => {
    expect(daysToFetch([], '2025-03-01', '2025-03-11', '2025-04-01')).toEqual({ from: '2025-03-01', to: '2025-03-11' });
  });

  it('returns null when every day is final and none is recent', () => {
    expect(daysToFetch(final('2025-03-01', 10), '2025-03-01', '2025-03-11', '2025-04-01')).toBeNull();
  });

  it('re-reads only from the first estimated day', () => {
    const stored = final('2025-03-01', 10).map((d) => (d.day >= '2025-03-08' ? { ...d, estimated: true } : d));
    expect(daysToFetch(stored, '2025-03-01', '2025-03-11', '2025-04-01')).toEqual({ from: '2025-03-08', to: '2025-03-11' });
  });

  it('covers an estimated day in the middle with the smallest window', () => {
    const stored = final('2025-03-01', 10).map((d) => (d.day === '2025-03-04' ? { ...d, estimated: true } : d));
    expect(daysToFetch(stored, '2025-03-01', '2025-03-11', '2025-04-01')).toEqual({ from: '2025-03-04', to: '2025-03-05' });
  });

  it('fills gaps of days never stored', () => {
    const stored = final('2025-03-01', 10).filter((d) => d.day !== '2025-03-02' && d.day !== '2025-03-06');
    expect(daysToFetch(stored, '2025-03-01', '2025-03-11', '2025-04-01')).toEqual({ from: '2025-03-02', to: '2025-03-07' });
  });

  it('re-reads the last restateDays days before today even when stored final', () => {
    // today 2025-03-10: 07, 08, 09 and today itself are restated days.
    expect(daysToFetch(final('2025-03-01', 10), '2025-03-01', '2025-03-11', '2025-03-10')).toEqual({ from: '2025-03-07', to: '2025-03-11' });
    expect(daysToFetch(final('2025-03-01', 10), '2025-03-01', '2025-03-11', '2025-03-10', 1)).toEqual({ from: '2025-03-09', to: '2025-03-11' });
    expect(daysToFetch(final('2025-03-01', 10), '2025-03-01', '2025-03-11', '2025-03-10', 0)).toEqual({ from: '2025-03-10', to: '2025-03-11' });
  });

  it('never asks for days after today', () => {
    expect(daysToFetch([], '2025-03-01', '2025-06-01', '2025-03-05')).toEqual({ from: '2025-03-01', to: '2025-03-06' });
    expect(daysToFetch([], '2025-03-10', '2025-03-20', '2025-03-05')).toBeNull();
  });

  it('a day stored both final and estimated (several groups) counts as estimated', () => {
    const stored = [...final('2025-03-01', 10), { day: '2025-03-03', estimated: true }];
    expect(daysToFetch(stored, '2025-03-01', '2025-03-11', '2025-04-01')).toEqual({ from: '2025-03-03', to: '2025-03-04' });
  });

  it('handles month and year ends', () => {
    expect(daysToFetch(final('2024-12-30', 2), '2024-12-30', '2025-01-02', '2025-02-01')).toEqual({ from: '2025-01-01', to: '2025-01-02' });
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('refuses malformed dates', () => {
    expect(() => daysToFetch([], '2025-3-1', '2025-03-11', '2025-04-01')).toThrow(/YYYY-MM-DD/);
  });
});

function row(day: string, tagValue: string | null, unblendedCost: number, extra: Partial<CeDailyCost> = {}): CeDailyCost {
  return { day, tagValue, group2: 'Amazon SageMaker', unblendedCost, amortizedCost: unblendedCost, usageQuantity: 1, currency: 'USD', estimated: false, ...extra };
}

describe('diffRestatements', () => {
  it('lists changed amounts only', () => {
    const before = [row('2025-03-01', 'a', 10), row('2025-03-01', null, 5), row('2025-03-02', 'a', 7)];
    const after = [row('2025-03-01', 'a', 10.00001), row('2025-03-01', null, 6.5), row('2025-03-02', 'a', 7)];
    expect(diffRestatements(before, after)).toEqual([{ day: '2025-03-01', tagValue: null, group2: 'Amazon SageMaker', before: 5, after: 6.5 }]);
  });

  it('reports groups that appear or vanish on a day read both times, not days read once', () => {
    const before = [row('2025-03-01', 'a', 10), row('2025-03-01', 'b', 2)];
    const after = [row('2025-03-01', 'a', 10), row('2025-03-01', 'c', 3), row('2025-03-02', 'a', 9)];
    expect(diffRestatements(before, after)).toEqual([
      { day: '2025-03-01', tagValue: 'b', group2: 'Amazon SageMaker', before: 2, after: 0 },
      { day: '2025-03-01', tagValue: 'c', group2: 'Amazon SageMaker', before: 0, after: 3 },
    ]);
  });

  it('returns nothing when nothing changed', () => {
    const rows = [row('2025-03-01', 'a', 10)];
    expect(diffRestatements(rows, rows.map((r) => ({ ...r })))).toEqual([]);
  });
});

describe('an Estimated day restated on the next sync (loopback Cost Explorer)', () => {
  let server: CostExplorerTestServer;
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

  beforeEach(async () => {
    server = await startCostExplorerServer({ dataset: generateDataset({ from: '2025-03-01', days: 10, estimatedTail: 2 }), pageSize: 7 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('re-fetches only the window that is not final and catches the restatement', async () => {
    const today = '2025-03-20';
    const first = await fetchCostAndUsage({ from: '2025-03-01', to: '2025-03-11', endpoint: server.url, credentials });
    expect(first.pages).toBeGreaterThanOrEqual(3);
    const stored = first.dayStatus;
    expect(stored.filter((d) => d.estimated).map((d) => d.day)).toEqual(['2025-03-09', '2025-03-10']);

    // AWS restates 2025-03-09: fraud-scorer's SageMaker cost goes up, and the day becomes final.
    server.restateDay('2025-03-09', (r) => {
      if (r.tagValue === 'fraud-scorer' && r.dimensions.SERVICE === 'Amazon SageMaker') r.unblendedCost = '42.0000000001';
    });

    const window = daysToFetch(stored, '2025-03-01', '2025-03-11', today);
    expect(window).toEqual({ from: '2025-03-09', to: '2025-03-11' });
    server.resetLog();
    const second = await fetchCostAndUsage({ ...window!, endpoint: server.url, credentials });
    expect(server.log.every((r) => (r.body?.TimePeriod as { Start: string }).Start === '2025-03-09')).toBe(true);
    expect(second.requests).toBe(2); // 2 days x 6 groups at 7 a page

    const restated = diffRestatements(first.days, second.days);
    expect(restated).toEqual([{ day: '2025-03-09', tagValue: 'fraud-scorer', group2: 'Amazon SageMaker', before: 5.0123456789, after: 42.0000000001 }]);
    expect(second.dayStatus).toEqual([
      { day: '2025-03-09', estimated: false },
      { day: '2025-03-10', estimated: true },
    ]);
    // After merging, only 03-10 is still open.
    const merged = [...stored.filter((d) => d.day < window!.from), ...second.dayStatus];
    expect(daysToFetch(merged, '2025-03-01', '2025-03-11', today)).toEqual({ from: '2025-03-10', to: '2025-03-11' });
  });
});
