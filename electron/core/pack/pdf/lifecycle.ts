// Lifecycle: where the version stands (active, deprecated, retired) and every sunset proposed for
// it, with its plan, the saving it claims and its signed decisions. Also the styles the sunset
// summary PDF uses, so both documents write a state the same way (symbol, word and colour).
import type { LifecycleState, SunsetState } from '../../../../shared/lifecycle/sunsetPlan';
import type { AuditEvidenceBundle, LifecycleEvidence, SunsetEvidence } from '../../../../shared/pack/evidenceBundle';
import { formatDay, formatMoney, formatTime, shortKeyId, STATUS_COLORS, statusStyle, type StatusStyle } from './format';
import { type Cell, COLOR, CONTENT_WIDTH, type Ctx, ensureSpace, heading, keyValues, left, note, paragraph, pill, sectionTitle, setFont, SIZE } from './layout';

export function sunsetStateStyle(state: SunsetState): StatusStyle {
  switch (state) {
    case 'proposed':
      return { symbol: '●', text: 'PROPOSED', color: STATUS_COLORS.missing };
    case 'approved':
      return { symbol: '✓', text: 'APPROVED', color: STATUS_COLORS.pass };
    case 'rejected':
      return { symbol: '✗', text: 'REJECTED', color: STATUS_COLORS.fail };
    case 'withdrawn':
      return { symbol: '–', text: 'WITHDRAWN', color: STATUS_COLORS.neutral };
  }
}

export function lifecycleStateStyle(state: LifecycleState): StatusStyle {
  switch (state) {
    case 'active':
      return { symbol: '●', text: 'ACTIVE', color: STATUS_COLORS.pass };
    case 'deprecated':
      return { symbol: '⚠', text: 'DEPRECATED', color: STATUS_COLORS.missing };
    case 'retired':
      return { symbol: '■', text: 'RETIRED', color: STATUS_COLORS.neutral };
  }
}

export function sunsetDecisionStyle(kind: 'approve' | 'reject' | 'withdraw'): StatusStyle {
  if (kind === 'approve') return { symbol: '✓', text: 'APPROVE', color: STATUS_COLORS.pass };
  if (kind === 'reject') return { symbol: '✗', text: 'REJECT', color: STATUS_COLORS.fail };
  return { symbol: '–', text: 'WITHDRAW', color: STATUS_COLORS.neutral };
}

/** The lifecycle block of a bundle; bundles from before lifecycles read as active with no sunset. */
export function lifecycleOfBundle(bundle: AuditEvidenceBundle): LifecycleEvidence {
  return bundle.lifecycle ?? { state: 'active', since: null, sunsetId: null, sunsets: [] };
}

/**
 * One line for the cover when the version is not active, e.g. "⚠ Deprecated: retires 2026-12-31
 * (sunset #1)"; null while it is active.
 */
export function lifecycleCoverLine(bundle: AuditEvidenceBundle): { text: string; color: string } | null {
  const life = lifecycleOfBundle(bundle);
  if (life.state === 'active') return null;
  const sunset = life.sunsets.find((s) => s.id === life.sunsetId) ?? null;
  const style = lifecycleStateStyle(life.state);
  const ref = sunset ? ` (sunset #${sunset.id})` : '';
  if (life.state === 'deprecated') return { text: `${style.symbol} Deprecated: retires ${sunset ? sunset.plan.retirementDate : '—'}${ref}`, color: style.color };
  return { text: `${style.symbol} Retired ${formatDay(life.since ?? sunset?.plan.retirementDate)}${ref}`, color: style.color };
}

export function replacementText(plan: SunsetEvidence['plan']): string {
  return plan.replacement ? `${plan.replacement.model}@${plan.replacement.version}` : 'none (the use ends)';
}

export function drawLifecycleSection(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  const life = lifecycleOfBundle(bundle);
  const item = sectionTitle(
    ctx,
    'Lifecycle',
    'A version is deprecated when a sunset is approved by a signed decision, and retired when its plan’s retirement date passes. Sunset decisions are DSSE envelopes (Ed25519) over the plan’s sha256 and the saving it claims; they are kept in evidence.json (lifecycle.sunsets), not in decisions.json, which holds release decisions.',
  );

  const style = lifecycleStateStyle(life.state);
  const y = doc.y;
  const w = pill(doc, `${style.symbol} ${style.text}`, left(), y, style.color, SIZE.body);
  const since = life.state === 'active' ? 'in service' : `since ${formatTime(life.since)}${life.sunsetId !== null ? `, by sunset #${life.sunsetId}` : ''}`;
  setFont(doc, 'regular', SIZE.body, COLOR.muted).text(since, left() + w + 10, y + 3, { width: CONTENT_WIDTH - w - 10 });
  doc.y = y + 26;

  if (life.sunsets.length === 0) {
    paragraph(doc, 'Active: no sunset has been proposed.', { color: COLOR.muted });
    return;
  }

  for (const s of life.sunsets) {
    const st = sunsetStateStyle(s.state);
    heading(ctx, `Sunset #${s.id}`, { parent: item, keep: 160 });
    const py = doc.y;
    const pw = pill(doc, `${st.symbol} ${st.text}`, left(), py, st.color, SIZE.small + 0.5);
    const closed = s.closedAt ? `; decided ${formatTime(s.closedAt)}` : '';
    setFont(doc, 'regular', SIZE.small + 0.5, COLOR.muted).text(`proposed ${formatTime(s.openedAt)} by ${s.openedBy}${closed}`, left() + pw + 8, py + 2, { width: CONTENT_WIDTH - pw - 8 });
    doc.y = Math.max(doc.y, py + 16) + 6;
    const pairs: [string, Cell][] = [
      ['Replacement', replacementText(s.plan)],
      ['Drain date', s.plan.drainDate],
      ['Retirement date', [{ text: s.plan.retirementDate, font: 'bold' }]],
      ['Owner', s.plan.owner],
      ['Data retention', s.plan.dataRetention],
      ['Rollback', s.plan.rollback],
      ['Net saving', [{ text: `${formatMoney(s.saving.net, s.saving.currency)} per month`, font: 'bold' }, { text: `Basis: ${s.saving.basis}`, size: SIZE.small, color: COLOR.muted }]],
      ['Plan sha256', [{ text: s.planSha256, font: 'mono', size: SIZE.tiny }]],
    ];
    if (s.plan.notes) pairs.splice(6, 0, ['Notes', s.plan.notes]);
    keyValues(doc, pairs, { size: SIZE.small + 0.5, labelWidth: 100 });

    if (s.decisions.length === 0) paragraph(doc, '– No signed decision yet: the sunset is under review.', { size: SIZE.small + 0.5, color: COLOR.muted });
    for (const d of s.decisions) {
      ensureSpace(doc, 110);
      const ds = sunsetDecisionStyle(d.kind);
      const dy = doc.y;
      doc.save().rect(left(), dy, 2.5, 16).fill(ds.color).restore();
      const dw = pill(doc, `${ds.symbol} ${ds.text}`, left() + 10, dy, ds.color, SIZE.small + 0.5);
      setFont(doc, 'bold', SIZE.h3, COLOR.ink).text(d.signer, left() + 20 + dw, dy + 1, { continued: true, width: CONTENT_WIDTH - dw - 20 });
      setFont(doc, 'regular', SIZE.body, COLOR.muted).text(`  ${d.role} · ${formatTime(d.signedAt)}`);
      doc.y = Math.max(doc.y, dy + 18) + 4;
      const v = statusStyle(d.verified ? 'pass' : 'fail');
      keyValues(
        doc,
        [
          ['Signer key id', [{ text: shortKeyId(d.keyId), font: 'bold' }, { text: d.keyId, font: 'mono', size: SIZE.tiny, color: COLOR.muted }]],
          ['Signature', [{ text: `${v.symbol} ${d.verified ? 'VERIFIED' : 'DOES NOT VERIFY'}`, font: 'bold', color: v.color }, { text: d.verification, size: SIZE.small, color: COLOR.muted }]],
          ['Decision digest', [{ text: d.digest, font: 'mono', size: SIZE.tiny }]],
          ['Rationale', d.rationale || '—'],
        ],
        { size: SIZE.small + 0.5, labelWidth: 100 },
      );
    }
  }
  note(doc, 'Savings are per month in the plan’s currency, as computed when the sunset was proposed: the spend attributed to the version less shared infrastructure and commitments still payable after retirement.');
}
