import type { BudgetStatusView } from './budgetViews';
import { addDays } from './dailySeries';

/** One day of a budget's cumulative spend: actual through the data, then the forecast and its band. */
export interface CumulativePoint {
  day: string;
  actual: number | null;
  forecast: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The running total over a budget's period, as the app's chart and the report's chart both draw it
 * (one function, so they cannot drift apart). After the last day of data the forecast continues from
 * the actual total; its band widens with the square root of the days forecast so far, reaching the
 * period-end interval on the last day. The last actual day also carries the forecast, so the dashed
 * line joins the solid one.
 */
export function cumulativeSeries(status: Pick<BudgetStatusView, 'daily' | 'forecastDaily' | 'dataThrough' | 'periodStart' | 'periodEnd' | 'forecast'>): CumulativePoint[] {
  const out: CumulativePoint[] = [];
  const byDay = new Map(status.daily.map((d) => [d.day, d.cost]));
  const ahead = new Map(status.forecastDaily.map((d) => [d.day, d.mean]));
  const horizon = status.dataThrough ?? addDays(status.periodStart, -1);
  const f = status.forecast;
  const h = status.forecastDaily.length;
  const lowGap = f ? f.mean - f.low : 0;
  const highGap = f ? f.high - f.mean : 0;
  let actual = 0;
  let forecast = 0;
  let k = 0;
  for (let day = status.periodStart; day <= status.periodEnd; day = addDays(day, 1)) {
    if (day <= horizon) {
      actual += byDay.get(day) ?? 0;
      forecast = actual;
      const joins = f !== null && h > 0 && addDays(day, 1) > horizon;
      out.push({ day, actual, forecast: joins ? actual : null, low: joins ? actual : null, high: joins ? actual : null });
    } else if (f && h > 0) {
      k++;
      forecast += ahead.get(day) ?? 0;
      const share = Math.sqrt(k / h);
      out.push({ day, actual: null, forecast, low: Math.max(0, forecast - lowGap * share), high: forecast + highGap * share });
    } else {
      out.push({ day, actual: null, forecast: null, low: null, high: null });
    }
  }
  return out;
}
