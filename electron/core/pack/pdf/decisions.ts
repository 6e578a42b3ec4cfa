// Reviews and decisions: who signed what, when, with which key, on which evidence, and whether
// the signature verifies; the review threads; the audit entries about this version.
import type { AuditEvidenceBundle } from '../../../../shared/pack/evidenceBundle';
import { decisionWord, sortedDecisions } from './derive';
import { formatTime, shortKeyId, statusStyle } from './format';
import { COLOR, CONTENT_WIDTH, type Ctx, ensureSpace, heading, keyValues, left, note, paragraph, pill, sectionTitle, setFont, SIZE, table } from './layout';

export function drawDecisionsSection(ctx: Ctx, bundle: AuditEvidenceBundle): void {
  const { doc } = ctx;
  const item = sectionTitle(ctx, 'Reviews and decisions', 'Signed decisions are DSSE envelopes (Ed25519) over canonical JSON that includes the hash of the evidence the signer saw. “Verified” was checked against the exporting workspace’s keyring when this pack was built.');

  heading(ctx, 'Decisions', { parent: item, keep: 90 });
  const decisions = sortedDecisions(bundle);
  if (decisions.length === 0) paragraph(doc, '– No signed decision is recorded for this version.', { font: 'bold', color: COLOR.muted });
  const keys = new Map(bundle.keys.map((k) => [k.keyId, k]));
  decisions.forEach((d, i) => {
    ensureSpace(doc, 130);
    const w = decisionWord(d.kind);
    const y = doc.y;
    doc.save().rect(left(), y, 2.5, 16).fill(w.color).restore();
    const pw = pill(doc, `${w.symbol} ${w.text}`, left() + 10, y, w.color, SIZE.small + 0.5);
    setFont(doc, 'bold', SIZE.h3, COLOR.ink).text(`${i + 1}. ${d.signer}`, left() + 20 + pw, y + 1, { continued: true, width: CONTENT_WIDTH - pw - 20 });
    setFont(doc, 'regular', SIZE.body, COLOR.muted).text(`  ${d.role} · ${formatTime(d.signedAt)}`);
    doc.y = Math.max(doc.y, y + 18) + 4;
    const v = statusStyle(d.verified ? 'pass' : 'fail');
    const key = keys.get(d.keyId);
    const sameEvidence = d.evidenceHash === bundle.policy.evidenceHash;
    keyValues(
      doc,
      [
        ['Decision', d.kind],
        ['Signer key id', [{ text: shortKeyId(d.keyId), font: 'bold' }, { text: d.keyId, font: 'mono', size: SIZE.tiny, color: COLOR.muted }]],
        ['Key trust', key ? `${key.trusted ? 'trusted' : 'NOT trusted'} in the exporting workspace${key.revokedAt ? `; revoked ${formatTime(key.revokedAt)}` : ''}` : 'key not in the pack'],
        ['Signature', [{ text: `${v.symbol} ${d.verified ? 'VERIFIED' : 'DOES NOT VERIFY'}`, font: 'bold', color: v.color }, { text: d.verification, size: SIZE.small, color: COLOR.muted }]],
        ['Evidence signed', [{ text: d.evidenceHash, font: 'mono', size: SIZE.tiny }, { text: sameEvidence ? 'the evidence in this pack' : 'earlier evidence (it has changed since this decision)', size: SIZE.small, color: sameEvidence ? COLOR.muted : statusStyle('warn').color }]],
        ['Decision digest', [{ text: d.digest, font: 'mono', size: SIZE.tiny }]],
        ['Rationale', d.rationale || '—'],
      ],
      { size: SIZE.small + 0.5, labelWidth: 100 },
    );
    doc.y += 4;
  });

  heading(ctx, 'Reviews', { parent: item, keep: 60 });
  if (bundle.reviews.length === 0) paragraph(doc, 'No review was opened for this version.', { color: COLOR.muted });
  else {
    table(
      doc,
      [
        { header: 'Review', width: 44 },
        { header: 'State', width: 80 },
        { header: 'Trigger', width: 70 },
        { header: 'Opened', flex: 1.4 },
        { header: 'Due', flex: 1 },
        { header: 'Closed', flex: 1 },
      ],
      bundle.reviews.map((r) => [`#${r.id}`, r.state.replace(/_/g, ' '), r.trigger, `${formatTime(r.openedAt)}\nby ${r.openedBy}`, formatTime(r.dueAt), formatTime(r.closedAt)]),
    );
    for (const r of bundle.reviews) {
      if (r.comments.length === 0) continue;
      heading(ctx, `Comments on review #${r.id}`, { keep: 40, size: SIZE.h3 });
      for (const c of r.comments) {
        ensureSpace(doc, 30);
        setFont(doc, 'bold', SIZE.small, COLOR.ink).text(c.author, left(), doc.y, { continued: true });
        setFont(doc, 'regular', SIZE.small, COLOR.muted).text(`  ${formatTime(c.at)}`);
        paragraph(doc, c.body, { size: SIZE.small + 0.5, indent: 10 });
      }
    }
  }

  if (bundle.keys.length > 0) {
    heading(ctx, 'Signer keys', { parent: item, keep: 50 });
    table(
      doc,
      [
        { header: 'Name', flex: 1.2 },
        { header: 'Role', flex: 0.8 },
        { header: 'Key id (sha256 of SPKI)', width: 262, font: 'mono' },
        { header: 'Trust', width: 64 },
      ],
      bundle.keys.map((k) => [
        k.name,
        k.role,
        [{ text: k.keyId, size: 6.3 }],
        k.revokedAt ? [{ text: `✗ revoked ${formatTime(k.revokedAt).slice(0, 10)}`, color: statusStyle('fail').color }] : k.trusted ? [{ text: '✓ trusted', color: statusStyle('pass').color }] : [{ text: '– not trusted', color: statusStyle('missing').color }],
      ]),
    );
  }

  heading(ctx, 'Audit log entries', { parent: item, keep: 60 });
  const chain = statusStyle(bundle.audit.chainVerified ? 'pass' : 'fail');
  paragraph(doc, `${chain.symbol} Audit chain ${bundle.audit.chainVerified ? 'verified' : 'DID NOT VERIFY'} when the pack was built${bundle.audit.head ? ` (head #${bundle.audit.head.seq})` : ''}.`, { font: 'bold', color: chain.color, size: SIZE.small + 0.5 });
  if (bundle.audit.entries.length > 0) {
    table(
      doc,
      [
        { header: 'Seq', width: 36, align: 'right' },
        { header: 'Time', width: 92 },
        { header: 'Actor', flex: 1 },
        { header: 'Action', flex: 1.1 },
        { header: 'Subject', flex: 1.5 },
        { header: 'Entry hash', width: 72, font: 'mono' },
      ],
      bundle.audit.entries.map((e) => [String(e.seq), formatTime(e.at), e.actor, e.action, e.subject, [{ text: `${e.hash.slice(0, 12)}…`, size: SIZE.tiny }]]),
      { size: SIZE.small - 0.5 },
    );
    note(doc, 'Entry hashes chain: hash = sha256(previous hash ‖ canonical entry). Full hashes are in evidence.json.');
  }
}
