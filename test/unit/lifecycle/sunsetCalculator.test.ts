import { describe, expect, it } from 'vitest';
import { savingHorizon, sunsetSaving } from '../../../shared/lifecycle/sunsetCalculator';

const sum = (xs: { amount: number }[]) => Math.round(xs.reduce((s, x) => s + x.amount, 0) * 100) / 100;

describe('sunsetSaving (hand-computed)', () => {
  it('saves the whole attributed spend when nothing is shared or committed', () => {
    // gross 1,000.00; shared 0; committed 0 => net 1,000.00, every month of the next 12.
    const r = sunsetSaving({ attributedMonthly: 1000, asOf: '2026-11-26', currency: 'USD' });
    expect(r).toMatchObject({ gross: 1000, shared: 0, committed: 0, net: 1000 });
    // The 12 calendar months after November 2026: December 2026 to November 2027.
    expect(r.perMonth.map((m) => m.month)).toEqual(['2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10', '2027-11']);
    expect(r.perMonth.every((m) => m.saving === 1000)).toBe(true);
    expect(r.lines).toEqual([{ label: 'Spend attributed to the model, per month', amount: 1000 }]);
    expect(savingHorizon('2026-11-26')).toBe('2027-11-30');
  });

  it('takes away shared costs that would be reallocated', () => {
    // 1,000.00 - 250.00 shared = 750.00
    const r = sunsetSaving({ attributedMonthly: 1000, sharedMonthly: 250, asOf: '2026-11-26', currency: 'USD' });
    expect(r.net).toBe(750);
    expect(r.lines.map((l) => l.amount)).toEqual([1000, -250]);
    expect(sum(r.lines)).toBe(r.net);
  });

  it('nets commitments while they run and pro-rates the month they end', () => {
    // gross 1,000; shared 100; a savings plan of 300/month paid until 2027-02-14.
    // Now (2026-11-26) the plan runs: net = 1,000 - 100 - 300 = 600.
    // Dec 2026, Jan 2027: 600 each.
    // Feb 2027 has 28 days, the plan covers 14 of them: 300 x 14/28 = 150 owed => 1,000 - 100 - 150 = 750.
    // Mar 2027 on: the plan has ended => 1,000 - 100 = 900.
    const r = sunsetSaving({
      attributedMonthly: 1000,
      sharedMonthly: 100,
      commitments: [{ label: 'SageMaker savings plan', monthly: 300, until: '2027-02-14' }],
      asOf: '2026-11-26',
      currency: 'USD',
    });
    expect(r).toMatchObject({ gross: 1000, shared: 100, committed: 300, net: 600 });
    expect(r.perMonth.slice(0, 4)).toEqual([
      { month: '2026-12', saving: 600 },
      { month: '2027-01', saving: 600 },
      { month: '2027-02', saving: 750 },
      { month: '2027-03', saving: 900 },
    ]);
    expect(r.perMonth.slice(4).every((m) => m.saving === 900)).toBe(true);
    expect(r.lines.map((l) => l.amount)).toEqual([1000, -100, -300]);
    expect(r.lines[2]!.label).toContain('SageMaker savings plan (paid until 2027-02-14)');
    expect(sum(r.lines)).toBe(r.net);
  });

  it('pro-rates by the days of the month the commitment ends in', () => {
    // 500 until 2027-03-10 and 200 until 2027-01-31, gross 1,000, asOf 2026-12-31.
    // Now: net = 1,000 - 500 - 200 = 300.
    // Jan 2027: both run all month => 300.  Feb 2027: only the 500 => 500.
    // Mar 2027 (31 days), the 500 covers 10 days: 500 x 10/31 = 161.2903 => 1,000 - 161.29 = 838.71.
    // Apr 2027 on: 1,000.
    const r = sunsetSaving({
      attributedMonthly: 1000,
      commitments: [
        { label: 'Reserved instances', monthly: 500, until: '2027-03-10' },
        { label: 'Support contract', monthly: 200, until: '2027-01-31' },
      ],
      asOf: '2026-12-31',
      currency: 'EUR',
    });
    expect(r.net).toBe(300);
    expect(r.perMonth.slice(0, 4)).toEqual([
      { month: '2027-01', saving: 300 },
      { month: '2027-02', saving: 500 },
      { month: '2027-03', saving: 838.71 },
      { month: '2027-04', saving: 1000 },
    ]);
  });

  it('ignores commitments that ended before asOf, and says so', () => {
    // The plan ended 2026-10-31, before 2026-11-26: nothing is committed, net = 1,000.
    const r = sunsetSaving({ attributedMonthly: 1000, commitments: [{ label: 'Old plan', monthly: 400, until: '2026-10-31' }], asOf: '2026-11-26T09:00:00.000Z', currency: 'USD' });
    expect(r).toMatchObject({ committed: 0, net: 1000 });
    expect(r.lines[1]).toEqual({ label: 'Commitment ended 2026-10-31, no longer reduces the saving: Old plan', amount: 0 });
    expect(r.perMonth.every((m) => m.saving === 1000)).toBe(true);
  });

  it('never goes below zero, and the lines still add up', () => {
    // 100 - 80 shared - 50 committed = -30 => net 0; a last line of +30 says why.
    const r = sunsetSaving({ attributedMonthly: 100, sharedMonthly: 80, commitments: [{ label: 'Plan', monthly: 50, until: '2028-01-31' }], asOf: '2026-11-26', currency: 'USD' });
    expect(r.net).toBe(0);
    expect(r.lines.map((l) => l.amount)).toEqual([100, -80, -50, 30]);
    expect(sum(r.lines)).toBe(0);
    expect(r.perMonth.every((m) => m.saving === 0)).toBe(true);
  });

  it('rounds to cents once, at the end', () => {
    // 91.3125 (= 90 x 30.4375 / 30) => 91.31
    expect(sunsetSaving({ attributedMonthly: 91.3125, asOf: '2026-11-26', currency: 'USD' }).net).toBe(91.31);
  });

  it('refuses amounts and days that are not amounts and days', () => {
    expect(() => sunsetSaving({ attributedMonthly: -1, asOf: '2026-11-26', currency: 'USD' })).toThrow(RangeError);
    expect(() => sunsetSaving({ attributedMonthly: Number.NaN, asOf: '2026-11-26', currency: 'USD' })).toThrow(/attributedMonthly/);
    expect(() => sunsetSaving({ attributedMonthly: 1, asOf: '2026-02-30', currency: 'USD' })).toThrow(/not a day/);
    expect(() => sunsetSaving({ attributedMonthly: 1, commitments: [{ label: 'x', monthly: 1, until: 'soon' }], asOf: '2026-11-26', currency: 'USD' })).toThrow(/not a day/);
  });
});
