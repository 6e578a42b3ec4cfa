// Embeds a PAdES-style (adbe.pkcs7.detached) signature in a finished PDF as an incremental update,
// so the bytes pdfkit wrote stay untouched and are covered by the signature's /ByteRange.
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { IdentitySigner } from './cmsSigner';
import type { SigningIdentity } from './signingIdentity';

export interface PdfSignatureDetails {
  reason: string;
  name: string;
  location: string;
  contactInfo: string;
  /** Written to both the PDF /M entry and the CMS signingTime attribute: never "now" implicitly. */
  signingTime: Date;
  /** Bytes reserved for the CMS blob; 8192 fits a 4096-bit key and a three-certificate chain. */
  signatureLength?: number;
}

const MAX_SIGNATURE_TIME_MS = Date.UTC(9999, 11, 31);

/**
 * Signs `pdf` and returns the signed file. The same input bytes, identity and signingTime give
 * byte-identical output: the placeholder is derived from the input alone, /M and the CMS
 * signingTime come from `details.signingTime` (whole seconds), and RSA PKCS#1 v1.5 is deterministic.
 * `signer` may be a workspace/organisation identity or any @signpdf Signer (e.g. P12Signer).
 */
export async function signPdf(pdf: Buffer, signer: SigningIdentity | Signer, details: PdfSignatureDetails): Promise<Buffer> {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('signPdf: the input is not a PDF (no %PDF- header)');
  const time = details.signingTime;
  if (!(time instanceof Date) || Number.isNaN(time.getTime()) || time.getTime() < 0 || time.getTime() > MAX_SIGNATURE_TIME_MS) {
    throw new Error('signPdf: signingTime must be a valid Date');
  }
  // Both encodings (PDF date string, CMS UTCTime) carry whole seconds; truncate once so they agree.
  const signingTime = new Date(Math.floor(time.getTime() / 1000) * 1000);
  if (/\/ByteRange\s*\[/.test(pdf.toString('latin1'))) {
    // A second signature would need a placeholder that plain-placeholder cannot add safely.
    throw new Error('signPdf: the PDF is already signed');
  }

  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: details.reason,
    name: details.name,
    location: details.location,
    contactInfo: details.contactInfo,
    signingTime,
    signatureLength: details.signatureLength ?? 8192,
    appName: 'Docket',
  });
  const withId = carryTrailerId(pdf, withPlaceholder);
  const effectiveSigner = signer instanceof Signer ? signer : new IdentitySigner(signer);
  return new SignPdf().sign(withId, effectiveSigner, signingTime);
}

/**
 * plain-placeholder writes a new trailer without the document /ID. ISO 32000 §7.5.6 wants an
 * update's trailer to repeat the previous entries, and PDF 2.0 requires /ID, so copy it across
 * (inserting into the trailer dictionary does not move the xref section `startxref` points at).
 */
export function carryTrailerId(original: Buffer, updated: Buffer): Buffer {
  const originalText = original.toString('latin1');
  const lastTrailer = originalText.slice(originalText.lastIndexOf('trailer'));
  const id = /\/ID\s*\[\s*(<[0-9A-Fa-f]*>)\s*(<[0-9A-Fa-f]*>)\s*\]/.exec(lastTrailer);
  if (!id) return updated;
  const updatedText = updated.toString('latin1');
  const trailerAt = updatedText.lastIndexOf('trailer\n<<\n');
  if (trailerAt < original.length) throw new Error('signPdf: could not find the trailer of the signature update');
  const insertAt = trailerAt + 'trailer\n<<\n'.length;
  return Buffer.concat([updated.subarray(0, insertAt), Buffer.from(`/ID [${id[1]} ${id[2]}]\n`, 'latin1'), updated.subarray(insertAt)]);
}
