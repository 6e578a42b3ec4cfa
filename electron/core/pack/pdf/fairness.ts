// Fairness: the policy's thresholds, then per evaluation its disparity chart (threshold drawn,
// verdict written), the verdicts with their basis, and the by-group table the disparities come from.
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { DISPARITY_LABELS, DISPARITY_MEASURES, type FairnessEvaluationView } from '../../../../shared/domain/fairness';
import { formatAgainst } from '../../../../shared/fairness/metrics';
import { disparityChart, type DisparityRow } from './charts';
import { formatInteger, formatMetric, formatNumber, formatPercent, formatTime, statusStyle } from './format';
import { bookmark, COLOR, CONTENT_WIDTH, type Ctx, ensureSpace, heading, keyValues, left, note, paragraph, sectionTitle, setFont, SIZE, table } from './layout';

export function drawFairnessSection(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  const f = bundle.fairness;
  const st = statusStyle(f.status);
  const item = sectionTitle(
    ctx,
    'Fairness',
    `Disparities between groups, computed as Fairlearn defines them, judged against the thresholds of ${f.policy.name} ${f.policy.version}. Groups smaller than ${formatInteger(f.policy.minGroupCount)} or ${formatPercent(f.policy.minGroupShare)} of the sample are left out of the disparities (and listed).`,
  );
  paragraph(doc, `Overall: ${st.symbol} ${st.text} — the worst verdict over ${f.evaluations.length} evaluation${f.evaluations.length === 1 ? '' : 's'}.`, { font: 'bold', color: st.color });

  heading(ctx, 'Thresholds', { keep: 50 });
  table(
    doc,
    [
      { header: 'Measure', flex: 2.2 },
      { header: 'Passes when', width: 80, align: 'right' },
      { header: 'Basis', flex: 2.5 },
    ],
    f.policy.thresholds.map((t) => [DISPARITY_LABELS[t.measure], `${t.comparison} ${formatNumber(t.bound)}`, t.basis]),
  );

  f.evaluations.forEach((ev, i) => drawEvaluation(ctx, ev, i, item));

  if (f.comparison) {
    heading(ctx, `Change since version ${f.comparison.previousVersion}`, { parent: item });
    table(
      doc,
      [
        { header: 'Measure', flex: 2.4 },
        { header: 'Features', flex: 1.2 },
        { header: `v${f.comparison.previousVersion}`, width: 56, align: 'right' },
        { header: `v${bundle.model.version}`, width: 56, align: 'right' },
        { header: 'Change', width: 60, align: 'right' },
        { header: 'Direction', width: 70 },
      ],
      f.comparison.changes.map((c) => [
        DISPARITY_LABELS[c.measure],
        c.sensitiveFeatures.join(' × '),
        formatMetric(c.previous),
        formatMetric(c.current),
        c.delta === null ? '—' : `${c.delta > 0 ? '+' : c.delta < 0 ? '−' : ''}${formatNumber(Math.abs(c.delta))}`,
        c.worsened ? [{ text: '▼ worse', color: statusStyle('fail').color, font: 'bold' }] : [{ text: '▲ same or better', color: COLOR.muted }],
      ]),
    );
  }
  if (f.evaluations.length === 0) paragraph(doc, '– MISSING: no fairness evaluation was imported for this version.', { font: 'bold', color: statusStyle('missing').color });
}

function drawEvaluation(ctx: Ctx, ev: FairnessEvaluationView, index: number, parent: PDFKit.PDFOutline): void {
  const { doc } = ctx;
  const st = statusStyle(ev.status);
  const name = ev.dataset.name ?? ev.sourceFile;
  doc.addPage();
  bookmark(doc, parent, `Evaluation ${index + 1}: ${name}`);
  setFont(doc, 'bold', SIZE.h2, COLOR.ink).text(`Evaluation ${index + 1}: ${name}`, left(), doc.y, { width: CONTENT_WIDTH - 110 });
  const titleBottom = doc.y;
  setFont(doc, 'bold', SIZE.h3, st.color).text(`${st.symbol} ${st.text}`, left() + CONTENT_WIDTH - 110, titleBottom - SIZE.h2 * 1.2, { width: 110, align: 'right' });
  doc.y = titleBottom + 6;
  keyValues(
    doc,
    [
      ['Sensitive features', ev.sensitiveFeatures.join(' × ') || '—'],
      ['Dataset', `${ev.dataset.name ?? '—'}${ev.dataset.digest ? ` (digest ${ev.dataset.digest})` : ''}`],
      ['Evaluated', `${ev.evaluatedAt ? formatTime(ev.evaluatedAt) : 'undated'}${ev.producer ? ` by ${ev.producer}` : ''}; imported ${formatTime(ev.importedAt)}`],
      ['Sample', ev.totalCount === null ? 'group sizes not all given' : `${formatInteger(ev.totalCount)} records in ${ev.groups.length} groups`],
      ['Source file', `${ev.sourceFile} (${ev.format})`],
      ['sha256', [{ text: ev.sha256, font: 'mono', size: SIZE.small }]],
    ],
    { size: SIZE.small + 0.5, labelWidth: 110 },
  );

  // The chart: every measure with a verdict, then those computed without a threshold.
  const judged = new Set(ev.verdicts.map((v) => v.measure));
  const rows: DisparityRow[] = [
    ...ev.verdicts.map((v) => ({ label: DISPARITY_LABELS[v.measure], value: v.value, bound: v.bound, comparison: v.comparison, status: v.status, reason: v.reason })),
    ...DISPARITY_MEASURES.filter((m) => !judged.has(m) && ev.report.measures[m]?.value != null).map((m) => ({
      label: DISPARITY_LABELS[m],
      value: ev.report.measures[m]?.value ?? null,
      bound: null,
      comparison: null,
      status: 'none' as const,
    })),
  ];
  if (rows.length > 0) {
    const height = rows.length * 24 + 22;
    ensureSpace(doc, height + 40);
    setFont(doc, 'bold', SIZE.small, COLOR.ink).text('Disparity measures against their thresholds', left(), doc.y);
    doc.y += 6;
    const chartY = doc.y;
    disparityChart(doc, { x: left(), y: chartY, width: CONTENT_WIDTH, height }, rows, (v) => formatNumber(v));
    doc.y = chartY + height + 8;
    note(doc, 'Differences: 0 is parity, lower is better. Ratios: 1 is parity, higher is better. Measures without a threshold in the policy read NONE.');
  }

  table(
    doc,
    [
      { header: 'Measure', flex: 2 },
      { header: 'Value', width: 50, align: 'right' },
      { header: 'Threshold', width: 58, align: 'right' },
      { header: 'Verdict', width: 70 },
      { header: 'Between / reason', flex: 2.4 },
    ],
    ev.verdicts.map((v) => {
      const [value, bound] = v.value === null ? ['—', formatNumber(v.bound)] : formatAgainst(v.value, v.bound);
      const vs = statusStyle(v.status);
      const between = ev.report.measures[v.measure]?.between;
      return [
        [{ text: DISPARITY_LABELS[v.measure] }, { text: v.basis, size: SIZE.tiny, color: COLOR.muted }],
        value,
        `${v.comparison} ${bound}`,
        [{ text: `${vs.symbol} ${vs.text}`, font: 'bold', color: vs.color }],
        [v.reason ? { text: v.reason } : { text: between ? `${between[0]} vs ${between[1]}` : '—', color: COLOR.muted }],
      ];
    }),
  );

  heading(ctx, 'By group', { keep: 50, size: SIZE.h3 });
  const excluded = new Map(ev.report.excludedGroups.map((g) => [g.label, g]));
  table(
    doc,
    [
      { header: 'Group', flex: 2.4 },
      { header: 'Count', width: 52, align: 'right' },
      { header: 'Selection rate', width: 56, align: 'right' },
      { header: 'TPR', width: 44, align: 'right' },
      { header: 'FPR', width: 44, align: 'right' },
      { header: 'Impact ratio', width: 48, align: 'right' },
      { header: 'In disparities', flex: 1.4 },
    ],
    ev.groups.map((g) => {
      const ex = excluded.get(g.label);
      const ratio = ev.report.impactRatios[g.label];
      return [
        g.label,
        g.count === null ? '—' : formatInteger(g.count),
        formatMetric(g.metrics.selection_rate),
        formatMetric(g.metrics.true_positive_rate),
        formatMetric(g.metrics.false_positive_rate),
        ratio === undefined || ratio === null ? '—' : formatNumber(ratio),
        ex ? [{ text: `– excluded: ${ex.reason}`, color: statusStyle('missing').color, size: SIZE.tiny }] : [{ text: '✓ included', color: COLOR.muted }],
      ];
    }),
    { size: SIZE.small - 0.5 },
  );
  const overall = ev.overall;
  if (Object.keys(overall).length > 0) {
    note(doc, `Overall: selection rate ${formatMetric(overall.selection_rate)}, TPR ${formatMetric(overall.true_positive_rate)}, FPR ${formatMetric(overall.false_positive_rate)}, precision ${formatMetric(overall.precision)}, accuracy ${formatMetric(overall.accuracy)}. TPR: true positive rate; FPR: false positive rate.`);
  }
}
