// The executive summary: one page a reviewer can read in a minute. Each row answers one question
// (how did it end, does the policy pass, is it fair, what does it cost, what is still open).
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { DISPARITY_LABELS } from '../../../../shared/domain/fairness';
import { sparkBars } from './charts';
import { costTrends, openRisks, outcome, riskStyle, trendSentence } from './derive';
import { formatAgainst, } from '../../../../shared/fairness/metrics';
import { formatDay, formatMoney, formatTime, plural, statusStyle } from './format';
import { bottom, COLOR, CONTENT_WIDTH, type Ctx, left, type Part, pill, sectionTitle, setFont, SIZE } from './layout';

const LABEL_W = 96;
const PILL_W = 112;

/** A row: a label, a status pill, then lines of text to the right. */
function row(ctx: Ctx, label: string, pillText: string | null, color: string, lines: Part[], extra?: (x: number, y: number) => number): void {
  const { doc } = ctx;
  const x = left();
  const y = doc.y;
  setFont(doc, 'bold', SIZE.small, COLOR.muted).text(label.toUpperCase(), x, y + 3, { width: LABEL_W - 8, characterSpacing: 0.5 });
  let textX = x + LABEL_W;
  if (pillText) {
    pill(doc, pillText, textX, y, color, SIZE.small + 0.5);
    textX += PILL_W;
  }
  let ty = y + 1.5;
  const width = x + CONTENT_WIDTH - textX;
  for (const p of lines) {
    setFont(doc, p.font ?? 'regular', p.size ?? SIZE.body, p.color ?? COLOR.ink).text(p.text, textX, ty, { width, lineGap: 1.2 });
    ty = doc.y + 2;
  }
  const extraBottom = extra ? extra(textX, ty) : ty;
  doc.y = Math.max(y + 22, ty, extraBottom) + 8;
  doc.save().moveTo(x, doc.y - 4).lineTo(x + CONTENT_WIDTH, doc.y - 4).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
  doc.y += 4;
}

export function drawSummary(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  sectionTitle(ctx, 'Executive summary', `${bundle.model.name} version ${bundle.model.version}, as of ${formatTime(bundle.policy.evidence.asOf)}. Details and sources follow in the sections; every figure here appears there too.`);

  // Decision.
  const out = outcome(bundle);
  const approvals = bundle.decisions.filter((d) => d.kind === 'approve');
  row(ctx, 'Decision', `${out.symbol} ${out.text.replace(/ \(.*\)$/, '')}`, out.color, out.decision
    ? [
        { text: `${out.decision.signer} (${out.decision.role}), ${formatTime(out.decision.signedAt)}`, font: 'bold' },
        { text: `“${out.decision.rationale.length > 260 ? `${out.decision.rationale.slice(0, 259)}…` : out.decision.rationale}”`, color: COLOR.muted },
        { text: `${plural(approvals.length, 'approval')}, ${plural(bundle.decisions.length, 'signed decision')} in total; ${bundle.decisions.every((d) => d.verified) ? 'all verify' : 'NOT all verify (see Reviews and decisions)'}.`, size: SIZE.small },
      ]
    : [{ text: out.text.includes('(') ? `Review open: ${out.text.replace(/^.*\(review /, '').replace(/\)$/, '')}.` : 'No signed decision is recorded for this version.' }]);

  // Policy.
  const checklist = bundle.policy.checklist;
  const counts = { pass: 0, fail: 0, missing: 0, waived: 0 };
  for (const r of checklist.rules) counts[r.status]++;
  const ps = statusStyle(checklist.result);
  row(ctx, 'Policy', `${ps.symbol} ${ps.text}`, ps.color, [
    { text: `${bundle.policy.pack.name} ${bundle.policy.pack.version}, risk tier “${checklist.tier.id}”`, font: 'bold' },
    {
      text: `${plural(checklist.rules.length, 'rule')}: ${counts.pass} ✓ pass · ${counts.fail} ✗ fail · ${counts.missing} – missing · ${counts.waived} ≈ waived${checklist.awaitingApprovals ? '. The evidence passes; only approvals are outstanding.' : '.'}`,
    },
  ]);

  // Fairness.
  const fs = statusStyle(bundle.fairness.status);
  const fairLines: Part[] = [];
  if (bundle.fairness.evaluations.length === 0) fairLines.push({ text: 'No fairness evaluation was imported for this version.' });
  for (const ev of bundle.fairness.evaluations) {
    const s = statusStyle(ev.status);
    fairLines.push({ text: `${s.symbol} ${s.text}  ${ev.dataset.name ?? ev.sourceFile} (${ev.sensitiveFeatures.join(' × ') || 'no feature named'})`, font: 'bold', color: s.color });
    const bad = ev.verdicts.filter((v) => v.status !== 'pass');
    const good = ev.verdicts.filter((v) => v.status === 'pass');
    for (const v of bad) {
      const [val, bound] = v.value === null ? ['—', String(v.bound)] : formatAgainst(v.value, v.bound);
      fairLines.push({ text: `   ${statusStyle(v.status).symbol} ${DISPARITY_LABELS[v.measure]}: ${val} (threshold ${v.comparison} ${bound})`, size: SIZE.small });
    }
    if (good.length) fairLines.push({ text: `   ✓ ${good.length} of ${ev.verdicts.length} measures within their thresholds`, size: SIZE.small, color: COLOR.muted });
  }
  row(ctx, 'Fairness', `${fs.symbol} ${fs.text}`, fs.color, fairLines);

  // Cost.
  const trends = costTrends(bundle);
  const costLines: Part[] = [];
  if (trends.length === 0) costLines.push({ text: 'No spend is attributed to this model.' });
  for (const t of trends) {
    const window = t.window ? `${formatDay(t.window.from)} to ${formatDay(t.window.to)}` : 'last 30 days';
    costLines.push({ text: t.thirtyDay === null ? `${t.currency}: no spend in the policy window` : `${formatMoney(t.thirtyDay, t.currency)} effective, 30 days (${window})`, font: 'bold', size: SIZE.body + 1 });
    costLines.push({ text: `Monthly trend — ${trendSentence(t)}`, size: SIZE.small });
    const unit = bundle.spend.unitCosts.find((u) => u.currency === t.currency);
    if (unit?.costPer1kPredictions != null) costLines.push({ text: `Unit cost: ${formatMoney(unit.costPer1kPredictions, t.currency)} per 1,000 predictions`, size: SIZE.small, color: COLOR.muted });
  }
  row(ctx, 'Monthly cost', null, COLOR.ink, costLines, (x, y) => {
    const series = trends[0]?.series ?? [];
    if (series.length < 2) return y;
    sparkBars(doc, { x, y: y + 2, width: Math.min(180, series.length * 14), height: 26 }, series, trends[0]?.partialMonth ? series.length - 2 : series.length - 1);
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(`effective cost per month, last ${series.length} months (${trends[0]?.currency})${trends[0]?.partialMonth ? '; last bar: month to date' : ''}`, x, y + 31, { width: left() + CONTENT_WIDTH - x, lineBreak: false });
    return y + 42;
  });

  // Open risks.
  const risks = openRisks(bundle);
  const shown = risks.slice(0, 12);
  const x = left();
  setFont(doc, 'bold', SIZE.small, COLOR.muted).text('OPEN RISKS', x, doc.y + 3, { width: LABEL_W - 8, characterSpacing: 0.5 });
  doc.y -= SIZE.small * 1.2;
  if (risks.length === 0) setFont(doc, 'regular', SIZE.body, COLOR.ink).text('✓ None: every rule passes or is waived and every fairness measure is within its threshold.', x + LABEL_W, doc.y, { width: CONTENT_WIDTH - LABEL_W });
  for (const r of shown) {
    if (doc.y + 24 > bottom()) break;
    const st = riskStyle(r.severity);
    const y = doc.y;
    setFont(doc, 'bold', SIZE.body, st.color).text(st.symbol, x + LABEL_W, y, { width: 12, lineBreak: false });
    setFont(doc, 'regular', SIZE.small + 0.5, COLOR.ink).text(r.text, x + LABEL_W + 14, y + 0.5, { width: CONTENT_WIDTH - LABEL_W - 14, lineGap: 1 });
    doc.y += 3;
  }
  if (risks.length > shown.length) setFont(doc, 'regular', SIZE.small, COLOR.muted).text(`… and ${risks.length - shown.length} more in the sections below.`, x + LABEL_W + 14, doc.y, { width: CONTENT_WIDTH - LABEL_W - 14 });
}
