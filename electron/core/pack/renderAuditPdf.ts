// The audit pack's PDF: drawn from the evidence bundle alone, with pdfkit, for a reviewer to read.
// Deterministic: the same bundle (its generatedAt is the pack's clock, SOURCE_DATE_EPOCH when set)
// and the same fonts give the same bytes. The PDF is left unsigned; signPdf adds the signature
// as an incremental update, which pdfkit's plain output (classic xref, no object streams) allows.
import type { AuditEvidenceBundle } from '../../../shared/pack/evidenceBundle';
import { drawAppendix } from './pdf/appendix';
import { DOCKET_PDF_FONTS, openDocketPdf } from './pdf/document';
import { drawCardSection } from './pdf/card';
import { drawChecklistSection } from './pdf/checklist';
import { drawCover } from './pdf/cover';
import { drawDecisionsSection } from './pdf/decisions';
import { drawFairnessSection } from './pdf/fairness';
import { drawLineageSection } from './pdf/lineageSection';
import { COLOR, CONTENT_WIDTH, type Ctx, left, PAGE, setFont, SIZE } from './pdf/layout';
import { drawLifecycleSection } from './pdf/lifecycle';
import { drawSpendSection } from './pdf/spend';
import { drawSummary } from './pdf/summary';

export interface RenderAuditPdfOptions {
  /** Folder holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansMono.ttf (resources/fonts). */
  fontsDir: string;
  /** sha256 of the bundle's canonical JSON: printed on the cover and put in the PDF metadata. */
  evidenceSha256: string;
}

/** The embedded faces (kept under this name for callers that list the pack's fonts). */
export const AUDIT_PDF_FONTS = DOCKET_PDF_FONTS;

/** The PDF's fixed metadata. Creator and Producer never carry a library version, so upgrades alone do not change bytes. */
export function auditPdfInfo(bundle: AuditEvidenceBundle, evidenceSha256: string): PDFKit.DocumentInfo {
  const when = parseClock(bundle.generatedAt);
  const subject = `${bundle.model.name}@${bundle.model.version}`;
  return {
    Title: `Audit pack: ${subject}`,
    Author: 'Docket',
    Subject: `Model release audit pack for ${subject}; evidence-sha256:${evidenceSha256}`,
    Keywords: `evidence-sha256:${evidenceSha256}, model:${bundle.model.name}, version:${bundle.model.version}, policy:${bundle.policy.pack.name}@${bundle.policy.pack.version}, audit pack`,
    Creator: 'Docket',
    Producer: 'Docket audit pack renderer (pdfkit)',
    CreationDate: when,
    ModDate: when,
  };
}

function parseClock(iso: string): Date {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`renderAuditPdf: bundle.generatedAt is not a date: ${JSON.stringify(iso)}`);
  // PDF dates carry whole seconds; truncate so the info dictionary (and /ID) does not depend on milliseconds pdfkit drops.
  return new Date(Math.floor(ms / 1000) * 1000);
}

export async function renderAuditPdf(bundle: AuditEvidenceBundle, options: RenderAuditPdfOptions): Promise<Buffer> {
  if (!/^[0-9a-f]{64}$/.test(options.evidenceSha256)) throw new Error('renderAuditPdf: evidenceSha256 must be 64 lowercase hex digits');
  const { doc, done } = openDocketPdf({ fontsDir: options.fontsDir, info: auditPdfInfo(bundle, options.evidenceSha256), caller: 'renderAuditPdf' });
  setFont(doc, 'regular', SIZE.body);

  const ctx: Ctx = { doc, outline: doc.outline };
  drawCover(ctx, bundle, options.evidenceSha256);
  drawSummary(ctx, bundle);
  drawCardSection(ctx, bundle);
  drawLineageSection(ctx, bundle);
  drawFairnessSection(ctx, bundle);
  drawSpendSection(ctx, bundle);
  drawChecklistSection(ctx, bundle);
  drawDecisionsSection(ctx, bundle);
  drawLifecycleSection(ctx, bundle);
  drawAppendix(ctx, bundle, options.evidenceSha256);
  runningHeadAndFoot(doc, bundle, options.evidenceSha256);

  doc.end();
  return done;
}

/** "model@version" at the top of every page but the cover, "page N of M" at the foot of every page. */
function runningHeadAndFoot(doc: PDFKit.PDFDocument, bundle: AuditEvidenceBundle, evidenceSha256: string): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    // Writing inside the margins must not trigger pdfkit's automatic page break.
    const saved = { ...doc.page.margins };
    doc.page.margins = { top: 0, bottom: 0, left: saved.left, right: saved.right };
    const x = left();
    if (i > range.start) {
      const head = `${bundle.model.name}@${bundle.model.version}`;
      setFont(doc, 'bold', SIZE.small, COLOR.ink).text(head, x, 32, { width: CONTENT_WIDTH * 0.6, lineBreak: false, ellipsis: true, height: SIZE.small * 1.4 });
      setFont(doc, 'regular', SIZE.small, COLOR.muted).text('Docket audit pack', x + CONTENT_WIDTH * 0.6, 32, { width: CONTENT_WIDTH * 0.4, align: 'right', lineBreak: false });
      doc.save().moveTo(x, 46).lineTo(x + CONTENT_WIDTH, 46).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
    }
    const footY = PAGE.height - 40;
    doc.save().moveTo(x, footY - 6).lineTo(x + CONTENT_WIDTH, footY - 6).lineWidth(0.4).strokeColor(COLOR.rule).stroke().restore();
    setFont(doc, 'regular', SIZE.tiny, COLOR.muted).text(`evidence sha256 ${evidenceSha256.slice(0, 16)}… · generated ${bundle.generatedAt.slice(0, 10)}`, x, footY, { width: CONTENT_WIDTH * 0.7, lineBreak: false });
    setFont(doc, 'regular', SIZE.small, COLOR.ink).text(`page ${i - range.start + 1} of ${total}`, x + CONTENT_WIDTH * 0.6, footY - 1, { width: CONTENT_WIDTH * 0.4, align: 'right', lineBreak: false });
    doc.page.margins = saved;
  }
}
