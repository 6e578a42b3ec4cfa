// Spend: monthly effective cost (bars), the last 90 days (line), the monthly figures and unit
// costs as tables, and under every chart where its figures came from.
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { barChart, lineChart } from './charts';
import { costTrends, currencies, estimatedDays, monthsOf, trendSentence } from './derive';
import { formatInteger, formatMoney, formatMoneyShort, formatSignedMoney, formatTime, formatUnitCost, plural } from './format';
import { COLOR, CONTENT_WIDTH, type Ctx, ensureSpace, heading, left, note, paragraph, sectionTitle, setFont, SIZE, table } from './layout';

const DAY_MS = 86_400_000;

function provenanceLine(bundle: AuditEvidenceBundle, days: string[]): string {
  const estimated = estimatedDays(bundle);
  const inRange = days.filter((d) => estimated.has(d)).length;
  const sources = bundle.spend.provenance.map((p) => `${p.name} (${p.source}, last sync ${p.lastSyncAt ? formatTime(p.lastSyncAt) : 'never'})`).join('; ');
  return `Source: ${sources || '—'}. ${inRange > 0 ? `≈ Estimated: ${plural(inRange, 'day')} in this range are not final in the billing source.` : 'No Estimated days in this range.'} Effective cost (FOCUS EffectiveCost), attributed to ${bundle.spend.attributedTo}.`;
}

export function drawSpendSection(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  const item = sectionTitle(
    ctx,
    'Spend',
    `Inference and training spend attributed to ${bundle.spend.attributedTo} (spend is per model, shared by its versions), over the last 365 days with spend. Amounts are effective cost (after discounts and commitments) unless marked billed.`,
  );
  const list = currencies(bundle);
  if (list.length === 0) paragraph(doc, '– No spend is attributed to this model.', { font: 'bold', color: COLOR.muted });
  const estimated = estimatedDays(bundle);
  const trends = costTrends(bundle);

  for (const currency of list) {
    if (list.length > 1) heading(ctx, `Spend in ${currency}`, { parent: item });
    const months = monthsOf(bundle, currency);
    const trend = trends.find((t) => t.currency === currency);
    if (trend) paragraph(doc, `Monthly trend: ${trendSentence(trend)}`, { font: 'bold' });

    // Monthly bars.
    const monthHasEstimate = months.map((m) => [...estimated].some((d) => d.startsWith(m.month)));
    const chartH = 170;
    ensureSpace(doc, chartH + 50);
    setFont(doc, 'bold', SIZE.small, COLOR.ink).text(`Monthly effective cost (${currency})`, left(), doc.y);
    doc.y += 8;
    const barY = doc.y;
    barChart(doc, {
      box: { x: left(), y: barY, width: CONTENT_WIDTH, height: chartH },
      labels: months.map((m) => m.month),
      values: months.map((m) => m.effectiveCost),
      format: (v) => formatMoneyShort(v, currency),
      unit: `effective cost, ${currency} per month`,
      marked: monthHasEstimate,
      markedLabel: 'month includes ≈ Estimated days',
      valueLabels: months.length <= 14,
    });
    doc.y = barY + chartH + 6;
    const daysAll = bundle.spend.daily.filter((d) => d.currency === currency).map((d) => d.day).sort();
    note(doc, provenanceLine(bundle, daysAll));
    if (trend?.partialMonth) note(doc, `${trend.partialMonth} is incomplete (spend to ${daysAll[daysAll.length - 1]}); trends compare complete months only.`);

    // Daily line, last 90 days ending on the last day with spend.
    const daily = new Map(bundle.spend.daily.filter((d) => d.currency === currency).map((d) => [d.day, d.effectiveCost]));
    const lastDay = daysAll[daysAll.length - 1];
    if (lastDay) {
      const end = Date.parse(`${lastDay}T00:00:00Z`);
      const days = Array.from({ length: 90 }, (_, i) => new Date(end - (89 - i) * DAY_MS).toISOString().slice(0, 10));
      const lineH = 150;
      doc.y += 6;
      ensureSpace(doc, lineH + 50);
      setFont(doc, 'bold', SIZE.small, COLOR.ink).text(`Daily effective cost, last 90 days (${days[0]} to ${lastDay}, ${currency})`, left(), doc.y);
      doc.y += 8;
      const lineY = doc.y;
      lineChart(doc, {
        box: { x: left(), y: lineY, width: CONTENT_WIDTH, height: lineH },
        labels: days.map((d) => d.slice(5)),
        values: days.map((d) => daily.get(d) ?? 0),
        format: (v) => formatMoneyShort(v, currency),
        unit: `${currency} per day`,
        estimated: days.map((d) => estimated.has(d)),
        estimatedLabel: '≈ Estimated day',
      });
      doc.y = lineY + lineH + 6;
      note(doc, `${provenanceLine(bundle, days)} Days without spend read 0. x axis: month-day.`);
    }

    heading(ctx, `Monthly figures (${currency})`, { parent: list.length > 1 ? undefined : item, keep: 80 });
    table(
      doc,
      [
        { header: 'Month', width: 70 },
        { header: 'Effective cost', flex: 1, align: 'right' },
        { header: 'Billed cost', flex: 1, align: 'right' },
        { header: 'Change vs previous month', flex: 1.2, align: 'right' },
        { header: 'Provenance', flex: 1 },
      ],
      months.map((m, i) => {
        const prev = months[i - 1];
        const est = monthHasEstimate[i] ?? false;
        return [
          m.month + (m.month === trend?.partialMonth ? ' (partial)' : ''),
          [{ text: formatMoney(m.effectiveCost, currency), font: 'bold' }],
          formatMoney(m.billedCost, currency),
          prev ? formatSignedMoney(m.effectiveCost - prev.effectiveCost, currency) : '—',
          est ? [{ text: '≈ includes Estimated days', color: COLOR.muted }] : [{ text: 'final', color: COLOR.muted }],
        ];
      }),
    );
  }

  if (bundle.spend.unitCosts.length > 0) {
    heading(ctx, 'Unit costs', { parent: item, keep: 60 });
    table(
      doc,
      [
        { header: 'Currency', width: 52 },
        { header: 'Effective cost', flex: 1.2, align: 'right' },
        { header: 'Requests', flex: 1, align: 'right' },
        { header: 'Per 1,000 predictions', flex: 1.1, align: 'right' },
        { header: 'Tokens', flex: 1, align: 'right' },
        { header: 'Per 1M tokens', flex: 1, align: 'right' },
      ],
      bundle.spend.unitCosts.map((u) => [
        u.currency,
        formatMoney(u.effectiveCost, u.currency),
        formatInteger(u.requests),
        [{ text: formatUnitCost(u.costPer1kPredictions, u.currency), font: 'bold' }],
        u.tokens === null ? '—' : formatInteger(u.tokens),
        formatUnitCost(u.costPerMillionTokens, u.currency),
      ]),
    );
    note(doc, 'Usage (requests, tokens) comes from the imported usage logs; cost from the spend source above.');
  }

  if (bundle.spend.provenance.length > 0) {
    heading(ctx, 'Provenance', { keep: 40, size: SIZE.h3 });
    table(
      doc,
      [
        { header: 'Source', width: 80 },
        { header: 'Name / files', flex: 2 },
        { header: 'Last sync', width: 100 },
        { header: '≈ Estimated days', flex: 1.5 },
      ],
      bundle.spend.provenance.map((p) => [p.source, p.name, formatTime(p.lastSyncAt), p.estimatedDays.length === 0 ? 'none' : `${p.estimatedDays.length}: ${compactDays(p.estimatedDays)}`]),
    );
  }
}

/** "2026-03-10 to 2026-03-14, 2026-02-01": runs of consecutive days collapsed. */
function compactDays(days: string[]): string {
  const sorted = [...new Set(days)].sort();
  const runs: [string, string][] = [];
  for (const d of sorted) {
    const last = runs[runs.length - 1];
    if (last && Date.parse(`${d}T00:00:00Z`) - Date.parse(`${last[1]}T00:00:00Z`) === DAY_MS) last[1] = d;
    else runs.push([d, d]);
  }
  return runs.map(([a, b]) => (a === b ? a : `${a} to ${b}`)).join(', ');
}
