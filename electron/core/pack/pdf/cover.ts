// Page 1: what this pack is about and how it ended, readable from across a desk.
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { outcome, signers } from './derive';
import { formatTime, groupHex, shortKeyId, statusStyle } from './format';
import { lifecycleCoverLine } from './lifecycle';
import { bookmark, COLOR, CONTENT_WIDTH, type Ctx, left, PAGE, pill, setFont, SIZE } from './layout';

export function drawCover(ctx: Ctx, bundle: AuditEvidenceBundle, evidenceSha256: string): void {
  const { doc } = ctx;
  bookmark(doc, ctx.outline, 'Cover', 0);
  const x = left();
  // A band across the top.
  doc.save().rect(0, 0, PAGE.width, 8).fill(COLOR.accent).restore();
  doc.y = 96;
  setFont(doc, 'bold', SIZE.small, COLOR.accent).text('DOCKET · MODEL RELEASE AUDIT PACK', x, doc.y, { width: CONTENT_WIDTH, characterSpacing: 1.2 });
  doc.y += 10;
  setFont(doc, 'bold', SIZE.title, COLOR.ink).text(bundle.model.name, x, doc.y, { width: CONTENT_WIDTH, lineGap: 2 });
  doc.y += 2;
  const aliases = bundle.model.aliases.length ? `   aliases: ${bundle.model.aliases.join(', ')}` : '';
  setFont(doc, 'regular', SIZE.h1, COLOR.muted).text(`version ${bundle.model.version}`, x, doc.y, { continued: aliases !== '' });
  if (aliases) setFont(doc, 'regular', SIZE.body, COLOR.muted).text(aliases);
  doc.y += 26;

  const out = outcome(bundle);
  setFont(doc, 'regular', SIZE.small, COLOR.muted).text('DECISION', x, doc.y, { characterSpacing: 0.8 });
  doc.y += 4;
  const pillY = doc.y;
  const w = pill(doc, `${out.symbol} ${out.text}`, x, pillY, out.color, 13);
  if (out.decision) {
    setFont(doc, 'regular', SIZE.body, COLOR.ink).text(`signed by ${out.decision.signer} (${out.decision.role}) on ${formatTime(out.decision.signedAt)}`, x + w + 12, pillY + 6, { width: CONTENT_WIDTH - w - 12 });
  }
  doc.y = pillY + 34;

  const policy = statusStyle(bundle.policy.checklist.result);
  const rows: [string, string, { color?: string; font?: 'mono' | 'bold' }?][] = [
    ['Model', bundle.model.name],
    ['Version', bundle.model.version],
    ['Decision', out.decision ? `${out.text} (${out.decision.kind})` : out.text, { color: out.color, font: 'bold' }],
    ['Policy result', `${policy.symbol} ${policy.text} — ${bundle.policy.pack.name} ${bundle.policy.pack.version}${bundle.policy.checklist.awaitingApprovals ? ' (evidence passes; approvals outstanding)' : ''}`, { color: policy.color, font: 'bold' }],
    ['Generated', formatTime(bundle.generatedAt)],
    ['Evidence as of', formatTime(bundle.policy.evidence.asOf)],
  ];
  // Only a version leaving service says so on the cover; an active one needs no line.
  const lifecycle = lifecycleCoverLine(bundle);
  if (lifecycle) rows.splice(4, 0, ['Lifecycle', lifecycle.text, { color: lifecycle.color, font: 'bold' }]);
  const labelW = 120;
  const kv = (label: string, value: string, style?: { color?: string; font?: 'mono' | 'bold' }, size: number = SIZE.body + 1) => {
    const y = doc.y;
    setFont(doc, 'regular', SIZE.small, COLOR.muted).text(label, x, y + 1.5, { width: labelW - 8 });
    setFont(doc, style?.font ?? 'regular', size, style?.color ?? COLOR.ink).text(value, x + labelW, y, { width: CONTENT_WIDTH - labelW, lineGap: 1.5 });
    doc.y = Math.max(doc.y, y + 14) + 5;
  };
  for (const [label, value, style] of rows) kv(label, value, style);

  const people = signers(bundle);
  const y0 = doc.y;
  setFont(doc, 'regular', SIZE.small, COLOR.muted).text('Signers', x, y0 + 1.5, { width: labelW - 8 });
  doc.y = y0;
  if (people.length === 0) setFont(doc, 'regular', SIZE.body + 1, COLOR.muted).text('none yet', x + labelW, doc.y);
  for (const p of people) {
    setFont(doc, 'bold', SIZE.body + 1, COLOR.ink).text(p.name, x + labelW, doc.y, { continued: true, width: CONTENT_WIDTH - labelW });
    setFont(doc, 'regular', SIZE.body, COLOR.muted).text(`  ${p.role} · key ${shortKeyId(p.keyId)}`);
    doc.y += 2;
  }
  doc.y += 8;

  // The bundle's hash: the one figure that ties this PDF to evidence.json and the signed manifest.
  doc.y += 10;
  const boxY = doc.y;
  const boxH = 64;
  doc.save().roundedRect(x, boxY, CONTENT_WIDTH, boxH, 4).fill(COLOR.zebra).restore();
  doc.save().rect(x, boxY, 3, boxH).fill(COLOR.accent).restore();
  setFont(doc, 'bold', SIZE.small, COLOR.ink).text('Evidence bundle sha256 (evidence.json, RFC 8785 canonical JSON)', x + 14, boxY + 10, { width: CONTENT_WIDTH - 28 });
  setFont(doc, 'mono', 10.5, COLOR.ink).text(groupHex(evidenceSha256), x + 14, boxY + 26, { width: CONTENT_WIDTH - 28 });
  setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(`evidence-sha256:${evidenceSha256}`, x + 14, boxY + 46, { width: CONTENT_WIDTH - 28, lineBreak: false });
  doc.y = boxY + boxH + 16;

  setFont(doc, 'regular', SIZE.small, COLOR.muted).text(
    `Every figure in this document is drawn from the evidence bundle above; the pack's signed manifest lists its hash, and the PDF carries an embedded signature. ` +
      `Produced by ${bundle.generator.name} ${bundle.generator.version}. Bookmarks list the sections; the appendix says how to verify the pack offline.`,
    x,
    doc.y,
    { width: CONTENT_WIDTH, lineGap: 1.5 },
  );
}
