import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { backtestForecast, forecastSpend, normalQuantile, studentTQuantile } from '../../../shared/budgets/forecast';
import { addDays, dayOfWeek, daysBetween, fillDailySeries, isDay } from '../../../shared/budgets/dailySeries';
import type { DailyCost } from '../../../shared/budgets/types';
import { gaussian, mulberry32 } from '../../support/seededRandom';

const START = '2026-01-01'; // a Thursday
/** Weekend dip: Saturday −60, Sunday −70, weekdays unchanged. */
const WEEKLY = [-70, 0, 0, 0, 0, 0, -60];
/** The true expected cost of day i: level 200, +0.8 a day, the weekly shape. */
const expected = (i: number) => 200 + 0.8 * i + WEEKLY[dayOfWeek(addDays(START, i))]!;

function synthetic(days: number, noiseSd: number, seed: number): DailyCost[] {
  const z = gaussian(mulberry32(seed));
  return Array.from({ length: days }, (_, i) => ({ day: addDays(START, i), cost: expected(i) + noiseSd * z() }));
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('dailySeries', () => {
  it('does calendar arithmetic in UTC across month, leap-year and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-01-10', '2026-01-01')).toBe(-9);
    expect(dayOfWeek('2026-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('1969-12-28')).toBe(0); // Sunday, before the epoch
    expect(dayOfWeek('2000-02-29')).toBe(new Date(Date.UTC(2000, 1, 29)).getUTCDay());
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-1-01')).toBe(false);
    expect(() => addDays('yesterday', 1)).toThrow(/not a day/);
  });

  it('fills a sparse series with zeros, adding repeated days and ignoring days outside the range', () => {
    const filled = fillDailySeries(
      [
        { day: '2026-01-03', cost: 5 },
        { day: '2026-01-01', cost: 1 },
        { day: '2026-01-03', cost: 2 },
        { day: '2026-01-09', cost: 100 },
      ],
      '2026-01-01',
      '2026-01-04',
    );
    expect(filled).toEqual([
      { day: '2026-01-01', cost: 1 },
      { day: '2026-01-02', cost: 0 },
      { day: '2026-01-03', cost: 7 },
      { day: '2026-01-04', cost: 0 },
    ]);
    expect(fillDailySeries([], '2026-01-05', '2026-01-04')).toEqual([]);
  });
});

describe('quantiles', () => {
  it('match published normal and Student t values', () => {
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
    expect(studentTQuantile(0.9, 5)).toBeCloseTo(1.475884049, 7);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138852, 7);
    expect(studentTQuantile(0.95, 1)).toBeCloseTo(6.313751515, 6);
    expect(studentTQuantile(0.995, 3)).toBeCloseTo(5.840909309, 6);
    expect(studentTQuantile(0.9, 10_000)).toBeCloseTo(normalQuantile(0.9), 3);
  });
});

describe('forecastSpend', () => {
  it('recovers the expected total of a trend with weekly seasonality and noise', () => {
    const history = synthetic(120, 10, 42);
    const historyEnd = addDays(START, 119);
    const f = forecastSpend(history, addDays(historyEnd, 30))!;
    expect(f).not.toBeNull();
    expect(f.days).toHaveLength(30);
    expect(f.days[0]!.day).toBe(addDays(historyEnd, 1));
    expect(f.days[29]!.day).toBe(addDays(historyEnd, 30));
    expect(f.historyDays).toBe(91);
    expect(f.level).toBe(0.8);
    expect(f.method).toBe(
      'Linear trend with day-of-week seasonality, least squares on the last 91 days; 80% prediction interval from the residual spread and the fit\'s uncertainty (Student t, 83 degrees of freedom).',
    );
    const truth = sum(Array.from({ length: 30 }, (_, k) => expected(120 + k)));
    expect(Math.abs(f.total.mean - truth) / truth).toBeLessThan(0.02);
    expect(f.total.low).toBeLessThan(truth);
    expect(f.total.high).toBeGreaterThan(truth);
    // The total's mean is the sum of the days shown.
    expect(f.total.mean).toBeCloseTo(sum(f.days.map((d) => d.mean)), 6);
  });

  it('shows the weekend dip in the forecast days', () => {
    const f = forecastSpend(synthetic(120, 10, 7), addDays(START, 119 + 28))!;
    const mean = (pred: (dow: number) => boolean) => {
      const xs = f.days.filter((d) => pred(dayOfWeek(d.day))).map((d) => d.mean);
      return sum(xs) / xs.length;
    };
    const dip = mean((w) => w >= 1 && w <= 5) - mean((w) => w === 0 || w === 6);
    expect(dip).toBeGreaterThan(55);
    expect(dip).toBeLessThan(75);
    // And Sunday is the lowest day of each week, as in the truth.
    const week = f.days.slice(0, 7).sort((a, b) => a.mean - b.mean);
    expect(dayOfWeek(week[0]!.day)).toBe(0);
  });

  it('gives the interval of the total, not the sum of the daily bounds', () => {
    const f = forecastSpend(synthetic(120, 10, 3), addDays(START, 119 + 30))!;
    const dailyHalfWidths = sum(f.days.map((d) => (d.high - d.low) / 2));
    const totalHalfWidth = (f.total.high - f.total.low) / 2;
    expect(totalHalfWidth).toBeLessThan(dailyHalfWidths / 3);
    // But wider than √h daily widths: the shared fitted line adds uncertainty that does not average out.
    expect(totalHalfWidth).toBeGreaterThan(Math.sqrt(30) * ((f.days[0]!.high - f.days[0]!.low) / 2));
  });

  it('matches the textbook formulas for a straight-line fit on a short history', () => {
    // 10 days: too few for the weekly model, so the fit is intercept + trend, whose prediction
    // standard error has the closed form σ·√(1 + 1/n + (x₀ − x̄)²/Sxx).
    const ys = [12, 15, 11, 18, 16, 21, 19, 24, 22, 27];
    const history = ys.map((cost, i) => ({ day: addDays(START, i), cost }));
    const f = forecastSpend(history, addDays(START, 12), { level: 0.9 })!;
    expect(f.method).toMatch(/^Linear trend without day-of-week seasonality \(fitted on 10 days; 14 are needed/);
    expect(f.method).toContain('least squares on all 10 days of history; 90% prediction interval');
    expect(f.historyDays).toBe(10);

    const n = ys.length;
    const xbar = (n - 1) / 2;
    const ybar = sum(ys) / n;
    const sxx = sum(ys.map((_, i) => (i - xbar) ** 2));
    const slope = sum(ys.map((y, i) => (i - xbar) * (y - ybar))) / sxx;
    const sigma = Math.sqrt(sum(ys.map((y, i) => (y - ybar - slope * (i - xbar)) ** 2)) / (n - 2));
    const t = 1.859548038; // t(0.95, 8)
    const horizon = [10, 11, 12];
    horizon.forEach((x0, k) => {
      const mean = ybar + slope * (x0 - xbar);
      const half = t * sigma * Math.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / sxx);
      expect(f.days[k]!.mean).toBeCloseTo(mean, 8);
      expect(f.days[k]!.low).toBeCloseTo(mean - half, 6);
      expect(f.days[k]!.high).toBeCloseTo(mean + half, 6);
    });
    const h = horizon.length;
    const totalMean = sum(horizon.map((x0) => ybar + slope * (x0 - xbar)));
    const dx = sum(horizon.map((x0) => x0 - xbar));
    const totalHalf = t * sigma * Math.sqrt(h + (h * h) / n + (dx * dx) / sxx);
    expect(f.total.mean).toBeCloseTo(totalMean, 8);
    expect(f.total.low).toBeCloseTo(totalMean - totalHalf, 6);
    expect(f.total.high).toBeCloseTo(totalMean + totalHalf, 6);
  });

  it('needs 7 days of history, and 14 for the weekly model', () => {
    const days = (n: number) => synthetic(n, 5, 11);
    expect(forecastSpend(days(5), addDays(START, 40))).toBeNull();
    expect(forecastSpend(days(6), addDays(START, 40))).toBeNull();
    expect(forecastSpend(days(7), addDays(START, 40))!.method).toContain('without day-of-week seasonality');
    expect(forecastSpend(days(13), addDays(START, 40))!.method).toContain('without day-of-week seasonality');
    expect(forecastSpend(days(14), addDays(START, 40))!.method).toMatch(/^Linear trend with day-of-week seasonality, least squares on all 14 days/);
    expect(forecastSpend([], addDays(START, 40))).toBeNull();
  });

  it('reproduces an exact line exactly, with a zero-width interval', () => {
    const history = Array.from({ length: 30 }, (_, i) => ({ day: addDays(START, i), cost: 10 + 2 * i }));
    const f = forecastSpend(history, addDays(START, 34))!;
    expect(f.days.map((d) => d.mean)).toEqual([70, 72, 74, 76, 78].map((v) => expect.closeTo(v, 8)));
    for (const d of f.days) {
      expect(d.high - d.low).toBeLessThan(1e-6);
    }
    expect(f.total.mean).toBeCloseTo(370, 8);
    expect(f.total.low).toBeLessThanOrEqual(f.total.mean);
    expect(f.total.high).toBeGreaterThanOrEqual(f.total.mean);
  });

  it('forecasts zero, without NaN, for a history of zeros', () => {
    // Only the first and last days are listed: the days between are zeros too.
    const history = [
      { day: START, cost: 0 },
      { day: addDays(START, 59), cost: 0 },
    ];
    const f = forecastSpend(history, addDays(START, 89))!;
    expect(f.historyDays).toBe(60);
    expect(f.days).toHaveLength(30);
    for (const d of f.days) expect(d).toEqual({ day: d.day, mean: 0, low: 0, high: 0 });
    expect(f.total).toEqual({ mean: 0, low: 0, high: 0 });
  });

  it('treats the days between the last entry and historyEnd as zeros', () => {
    const history = Array.from({ length: 30 }, (_, i) => ({ day: addDays(START, i), cost: 100 }));
    const historyEnd = addDays(START, 59);
    const f = forecastSpend(history, addDays(historyEnd, 10), { historyEnd })!;
    expect(f.historyDays).toBe(60);
    expect(f.days[0]!.day).toBe(addDays(START, 60));
    // A month of silence after a month at 100 a day: the fitted trend is steeply down.
    expect(f.days[0]!.mean).toBeLessThan(20);
    // Entries after historyEnd are not history.
    const cut = forecastSpend(history, addDays(START, 20), { historyEnd: addDays(START, 9) })!;
    expect(cut.historyDays).toBe(10);
    expect(cut.days[0]!.day).toBe(addDays(START, 10));
  });

  it('clamps a falling trend at zero and keeps the total the sum of the days', () => {
    const history = Array.from({ length: 20 }, (_, i) => ({ day: addDays(START, i), cost: Math.max(0, 100 - 6 * i + ((i * 7) % 5)) }));
    const f = forecastSpend(history, addDays(START, 49))!;
    for (const d of f.days) {
      expect(d.mean).toBeGreaterThanOrEqual(0);
      expect(d.low).toBeGreaterThanOrEqual(0);
      expect(d.low).toBeLessThanOrEqual(d.mean);
      expect(d.mean).toBeLessThanOrEqual(d.high);
    }
    expect(f.days.at(-1)!.mean).toBe(0);
    expect(f.total.mean).toBeCloseTo(sum(f.days.map((d) => d.mean)), 8);
    expect(f.total.low).toBeLessThanOrEqual(f.total.mean);
    expect(f.total.high).toBeGreaterThanOrEqual(f.total.mean);
  });

  it('returns no days when the last day is not after the history', () => {
    const history = synthetic(30, 5, 1);
    for (const lastDay of [addDays(START, 29), addDays(START, 3)]) {
      const f = forecastSpend(history, lastDay)!;
      expect(f.days).toEqual([]);
      expect(f.total).toEqual({ mean: 0, low: 0, high: 0 });
      expect(f.method).toContain('Linear trend');
    }
  });

  it('refuses bad options and bad costs', () => {
    const history = synthetic(30, 5, 1);
    expect(() => forecastSpend(history, '2026-03-01', { level: 1 })).toThrow(RangeError);
    expect(() => forecastSpend(history, '2026-03-01', { level: 0 })).toThrow(RangeError);
    expect(() => forecastSpend(history, '2026-03-01', { windowDays: 6 })).toThrow(RangeError);
    expect(() => forecastSpend([{ day: START, cost: Number.NaN }], '2026-03-01')).toThrow(/not a finite number/);
    expect(() => forecastSpend(history, '2026-02-31')).toThrow(/not a day/);
  });

  it('property: every forecast is finite, non-negative and low ≤ mean ≤ high', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: -50, max: 1e6, noNaN: true }), { nil: undefined, freq: 4 }), { maxLength: 130 }),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: 7, max: 120 }),
        (costs, horizon, level, windowDays) => {
          // undefined = the day is not listed (sparse), i.e. zero spend.
          const history = costs.flatMap((cost, i) => (cost === undefined ? [] : [{ day: addDays(START, i), cost }]));
          const historyEnd = addDays(START, Math.max(0, costs.length - 1));
          const f = forecastSpend(history, addDays(historyEnd, horizon), { level, windowDays, historyEnd });
          if (f === null) return;
          for (const b of [...f.days, f.total]) {
            for (const v of [b.low, b.mean, b.high]) {
              expect(Number.isFinite(v)).toBe(true);
              expect(v).toBeGreaterThanOrEqual(0);
            }
            expect(b.low).toBeLessThanOrEqual(b.mean);
            expect(b.mean).toBeLessThanOrEqual(b.high);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('backtestForecast', () => {
  const history = synthetic(400, 15, 2026);

  it('replays every origin that has a full horizon of truth', () => {
    const r = backtestForecast(history, { horizonDays: 30 });
    // Origins after 28, 35, …, 370 training days: 370 + 30 = 400 is the last with a full horizon.
    expect(r.origins).toBe(49);
    expect(r.horizonDays).toBe(30);
    expect(r.level).toBe(0.8);
    expect(r.meanAbsPctError).not.toBeNull();
    expect(r.meanAbsPctError!).toBeLessThan(0.05);
  });

  it('covers about 80% of true totals at level 0.8 and at least 88% at 0.95', () => {
    const at = (level: number) => backtestForecast(history, { horizonDays: 30, level, step: 3 });
    const r80 = at(0.8);
    expect(r80.origins).toBe(115);
    expect(r80.coverage).toBe(r80.covered / r80.origins);
    expect(r80.coverage!).toBeGreaterThanOrEqual(0.7);
    expect(r80.coverage!).toBeLessThanOrEqual(0.9);
    expect(at(0.95).coverage!).toBeGreaterThanOrEqual(0.88);
    // The check can fail: an interval that claims 80% but is really a 50% one is caught.
    expect(at(0.5).coverage!).toBeLessThan(0.65);
  });

  it('is calibrated on average over many series, not just on one lucky seed', () => {
    // One series' origins overlap and share one noise draw, so its coverage scatters widely (roughly
    // 0.63-0.97 at level 0.8 over 40 seeds); the average over independent series pins the level down.
    const coverages = Array.from({ length: 20 }, (_, k) => backtestForecast(synthetic(400, 15, 100 + k), { horizonDays: 30 }).coverage!);
    const average = sum(coverages) / coverages.length;
    expect(average).toBeGreaterThan(0.75);
    expect(average).toBeLessThan(0.85);
  });

  it('reports no origins, and null rates, when the history is too short', () => {
    const r = backtestForecast(synthetic(40, 5, 1), { horizonDays: 30 });
    expect(r).toEqual({ origins: 0, horizonDays: 30, level: 0.8, covered: 0, coverage: null, meanAbsPctError: null });
    expect(backtestForecast([], { horizonDays: 7 }).coverage).toBeNull();
  });

  it('leaves the error rate null when the truth is zero everywhere', () => {
    const zeros = [{ day: START, cost: 0 }, { day: addDays(START, 99), cost: 0 }];
    const r = backtestForecast(zeros, { horizonDays: 7 });
    expect(r.origins).toBeGreaterThan(0);
    expect(r.meanAbsPctError).toBeNull();
    // A zero interval around a zero truth still covers it.
    expect(r.coverage).toBe(1);
  });
});
