import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type PDFDocumentClass from 'pdfkit';
import { FONT, PAGE } from './layout';

/**
 * pdfkit, loaded on first use rather than at start: loading it (it unpacks its font and cipher
 * tables as it loads) cost every `docket` command about 0.15 s before it did anything, most of a
 * fast command's time (`docket audit verify`).
 */
function pdfDocumentClass(): typeof PDFDocumentClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, above
  return require('pdfkit') as typeof PDFDocumentClass;
}

/**
 * One way to start a Docket PDF (the audit pack, the budget report, the sunset summary): A4, pages
 * buffered so running heads and "page N of M" can be written last, the DejaVu faces embedded and no
 * default Helvetica, and the Info dictionary (with its fixed dates) that makes the bytes reproducible.
 */

/** The embedded faces, by the names the layout helpers use, and their files in resources/fonts. */
export const DOCKET_PDF_FONTS = { [FONT.regular]: 'DejaVuSans.ttf', [FONT.bold]: 'DejaVuSans-Bold.ttf', [FONT.mono]: 'DejaVuSansMono.ttf' } as const;

export interface DocketPdf {
  doc: PDFKit.PDFDocument;
  /** Resolves with the file's bytes once `doc.end()` has been called. */
  done: Promise<Buffer>;
}

export function openDocketPdf(options: { fontsDir: string; info: PDFKit.DocumentInfo; margins?: { top: number; bottom: number; left: number; right: number }; caller: string }): DocketPdf {
  // Every font file is checked before anything is drawn, so a missing one names itself.
  const fonts = Object.entries(DOCKET_PDF_FONTS).map(([name, file]) => {
    const path = join(options.fontsDir, file);
    if (!existsSync(path)) throw new Error(`${options.caller}: font ${file} not found in ${options.fontsDir}`);
    return [name, readFileSync(path)] as const;
  });
  const PDFDocument = pdfDocumentClass();
  const doc = new PDFDocument({
    size: 'A4',
    margins: options.margins ?? { ...PAGE.margin },
    bufferPages: true,
    autoFirstPage: true,
    compress: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    // No default (Helvetica) font: every string is set in the embedded DejaVu faces.
    font: null as unknown as string,
    info: options.info,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const [name, data] of fonts) doc.registerFont(name, data);
  return { doc, done };
}
