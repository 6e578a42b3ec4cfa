// The policy checklist: one row per rule (status, title, reason) with the controls it serves and
// their citations, then the mapping of controls to EU AI Act, NIST AI RMF and ISO/IEC 42001 items.
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { formatDay, formatTime, plural, statusStyle } from './format';
import { COLOR, type Ctx, heading, note, type Part, pill, sectionTitle, setFont, SIZE, table, left, CONTENT_WIDTH } from './layout';

type Control = AuditEvidenceBundle['policy']['controls'][number];

export function citations(control: Control): string {
  const parts: string[] = [];
  if (control.euAiAct.length) parts.push(`EU AI Act ${control.euAiAct.join(', ')}`);
  if (control.nistAiRmf.length) parts.push(`NIST AI RMF ${control.nistAiRmf.join(', ')}`);
  if (control.iso42001.length) parts.push(`ISO/IEC 42001 ${control.iso42001.join(', ')}`);
  return parts.join(' · ');
}

export function drawChecklistSection(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  const checklist = bundle.policy.checklist;
  const item = sectionTitle(
    ctx,
    'Policy checklist',
    `${bundle.policy.pack.name} ${bundle.policy.pack.version}, judged on the evidence as of ${formatTime(checklist.asOf)}. Risk tier “${checklist.tier.id}” (${checklist.tier.source}${checklist.tier.tag ? `: ${checklist.tier.tag}` : ''}${checklist.tier.note ? `; ${checklist.tier.note}` : ''}).`,
  );
  const st = statusStyle(checklist.result);
  const y = doc.y;
  const w = pill(doc, `${st.symbol} ${st.text}`, left(), y, st.color, SIZE.body);
  const counts = { pass: 0, fail: 0, missing: 0, waived: 0 };
  for (const r of checklist.rules) counts[r.status]++;
  setFont(doc, 'regular', SIZE.body, COLOR.ink).text(
    `${plural(checklist.rules.length, 'rule')}: ${counts.pass} pass, ${counts.fail} fail, ${counts.missing} missing, ${counts.waived} waived.${checklist.awaitingApprovals ? ' The evidence passes; approvals are outstanding.' : ''}`,
    left() + w + 10,
    y + 3,
    { width: CONTENT_WIDTH - w - 10 },
  );
  doc.y = Math.max(doc.y, y + 18) + 10;

  const controls = new Map(bundle.policy.controls.map((c) => [c.id, c]));
  const waivers = new Map(bundle.policy.evidence.waivers.map((wv) => [wv.ruleId, wv]));
  table(
    doc,
    [
      { header: 'Status', width: 74 },
      { header: 'Rule', flex: 1.6 },
      { header: 'Reason', flex: 2.2 },
    ],
    checklist.rules.map((r) => {
      const s = statusStyle(r.status);
      return [
        [{ text: `${s.symbol} ${s.text}`, font: 'bold', color: s.color }],
        [
          { text: r.title, font: 'bold' },
          { text: r.id, font: 'mono', size: SIZE.tiny, color: COLOR.muted },
        ],
        r.reason,
      ];
    }),
    {
      detail: (i) => {
        const rule = checklist.rules[i];
        if (!rule) return null;
        const parts: Part[] = rule.controls.map((id) => {
          const c = controls.get(id);
          return { text: c ? `↳ ${id} ${c.title} — ${citations(c)}` : `↳ ${id} (not in the control catalog)`, size: SIZE.tiny, color: COLOR.muted };
        });
        const waiver = waivers.get(rule.id);
        if (waiver && rule.status === 'waived') parts.push({ text: `≈ Waived by ${waiver.decidedBy}${waiver.decidedAt ? ` on ${formatDay(waiver.decidedAt)}` : ''} until ${formatDay(waiver.expiresAt)}: ${waiver.reason}`, size: SIZE.tiny, color: statusStyle('waived').color });
        return parts.length ? parts : null;
      },
    },
  );

  heading(ctx, 'Control mapping', { parent: item, keep: 80 });
  note(doc, 'Which regulatory and standards items each control serves: EU AI Act (Regulation (EU) 2024/1689) Annex IV and Articles, NIST AI RMF 1.0 subcategories, ISO/IEC 42001:2023 clauses and Annex A controls.');
  const rulesByControl = new Map<string, string[]>();
  for (const r of checklist.rules) for (const c of r.controls) rulesByControl.set(c, [...(rulesByControl.get(c) ?? []), r.id]);
  table(
    doc,
    [
      { header: 'Control', flex: 1.7 },
      { header: 'EU AI Act', flex: 1 },
      { header: 'NIST AI RMF', flex: 1 },
      { header: 'ISO/IEC 42001', flex: 0.9 },
      { header: 'Rules', flex: 1.3, font: 'mono' },
    ],
    [...bundle.policy.controls]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((c) => [
        [
          { text: c.id, font: 'mono', size: SIZE.tiny, color: COLOR.muted },
          { text: c.title, font: 'bold' },
        ],
        c.euAiAct.join('\n') || '—',
        c.nistAiRmf.join('\n') || '—',
        c.iso42001.join('\n') || '—',
        [{ text: (rulesByControl.get(c.id) ?? []).join('\n') || '—', size: SIZE.tiny }],
      ]),
  );
}
