import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { P12Signer } from '@signpdf/signer-p12';
import { loadOrCreateWorkspaceCertificate, loadPkcs12, type WorkspaceCertificate } from '../../../electron/core/pack/workspaceCertificate';
import { signPdf, type PdfSignatureDetails } from '../../../electron/core/pack/signPdf';
import { verifyPdfSignature } from '../../../electron/core/pack/verifyPdfSignature';
import { extractSignature, FIXED_TIME, makeOrgP12, makePdf, run, saveArtefact, tempDir } from './packFixtures';

const details: PdfSignatureDetails = { reason: 'Docket audit pack', name: 'Docket workspace', location: 'Docket', contactInfo: 'governance@example.org', signingTime: FIXED_TIME };
const VALID = '  - Signature Validation: Signature is Valid.';

let workspace: WorkspaceCertificate;
let cleanup: () => void;
let pdf: Buffer;
let signed: Buffer;
beforeAll(async () => {
  const t = tempDir('docket-sign-');
  cleanup = t.cleanup;
  workspace = loadOrCreateWorkspaceCertificate(join(t.dir, 'ws'), () => new Date('2026-01-01T00:00:00Z'));
  pdf = await makePdf();
  signed = await signPdf(pdf, workspace, details);
  saveArtefact('unsigned.pdf', pdf);
  saveArtefact('signed.pdf', signed);
  saveArtefact('workspace-cert.pem', workspace.certificatePem);
});
afterAll(() => cleanup());

/** Runs pdfsig on `file` and keeps its output next to the PDF. */
function pdfsig(name: string, bytes: Buffer): string {
  const file = saveArtefact(name, bytes);
  const out = run('pdfsig', [file]);
  saveArtefact(`${name}.pdfsig.txt`, `$ pdfsig ${name}\n(exit ${out.status})\n${out.stdout}${out.stderr}`);
  return out.stdout + out.stderr;
}

/** `openssl cms -verify -noverify` on the detached CMS and the byte-range data; true when it verifies. */
function opensslVerify(name: string, bytes: Buffer): { ok: boolean; output: string } {
  const { der, signedData } = extractSignature(bytes);
  const sig = saveArtefact(`${name}.sig.der`, der);
  const data = saveArtefact(`${name}.signed-bytes.bin`, signedData);
  const args = ['cms', '-verify', '-inform', 'DER', '-binary', '-noverify', '-content', data, '-in', sig, '-out', '/dev/null'];
  const out = run('openssl', args);
  saveArtefact(`${name}.openssl.txt`, `$ openssl ${args.join(' ')}\n(exit ${out.status})\n${out.stdout}${out.stderr}`);
  return { ok: out.status === 0, output: out.stdout + out.stderr };
}

describe('deterministic pdfkit input', () => {
  it('gives byte-identical PDFs, /ID derived from the fixed info dictionary', async () => {
    const again = await makePdf();
    expect(again.equals(pdf)).toBe(true);
    const id = /\/ID \[<([0-9a-f]{32})> <\1>\]/.exec(pdf.toString('latin1'));
    expect(id).not.toBeNull();
    const other = await makePdf({ title: 'another title' });
    expect(/\/ID \[<([0-9a-f]{32})>/.exec(other.toString('latin1'))![1]).not.toBe(id![1]);
  });
});

describe('signPdf with the workspace certificate', () => {
  it('is reported valid by pdfsig (the self-signed issuer is, as expected, unknown to it)', () => {
    const out = pdfsig('signed.pdf', signed);
    expect(out).toContain(VALID);
    expect(out).toContain('  - Total document signed');
    expect(out).toContain(`  - Signer Certificate Common Name: ${workspace.subject.replace(/^O=Docket, CN=/, '')}`);
    expect(out).toContain('  - Signing Time: Mar 14 2026 09:26:53');
    expect(out).toContain('  - Signature Type: adbe.pkcs7.detached');
    expect(out).toMatch(/Certificate Validation: Certificate issuer is unknown\./);
  });

  it('verifies with openssl cms -verify over the byte-range data', () => {
    const result = opensslVerify('signed.pdf', signed);
    expect(result.output).toContain('CMS Verification successful');
    expect(result.ok).toBe(true);
  });

  it('is ok by our own verifier and attributed to the workspace certificate', () => {
    const report = verifyPdfSignature(signed, { expectedFingerprint: workspace.fingerprintSha256 });
    saveArtefact('signed.pdf.docket-verify.json', JSON.stringify(report, null, 2));
    expect(report.ok).toBe(true);
    expect(report.failure).toBeNull();
    expect(report.checks.every((c) => c.ok)).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['signature present', 'byte range', 'signature container', 'signer certificate', 'document digest', 'signature value', 'certificate validity', 'certificate trusted']);
    expect(report.trusted).toBe(true);
    expect(report.signingTime).toBe(FIXED_TIME.toISOString());
    expect(report.signer).toMatchObject({ subject: workspace.subject, issuer: workspace.subject, fingerprintSha256: workspace.fingerprintSha256, notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2036-01-01T00:00:00.000Z' });
    expect(report.summary).toContain(`signed by the workspace certificate ${workspace.fingerprintSha256}`);
    // An openssl-style fingerprint (upper case, colons) is accepted as the trust input too.
    const colons = workspace.fingerprintSha256.toUpperCase().match(/../g)!.join(':');
    expect(verifyPdfSignature(signed, { trustedFingerprints: [colons] }).ok).toBe(true);
    // Without a trust input the signature is valid but unattributed.
    expect(verifyPdfSignature(signed)).toMatchObject({ ok: true, trusted: null });
  });

  it('writes /M and the CMS signingTime from signingTime, so the same inputs give byte-identical output', async () => {
    expect(signed.toString('latin1')).toContain('/M (D:20260314092653Z)');
    const again = await signPdf(Buffer.from(pdf), workspace, { ...details, signingTime: new Date(FIXED_TIME.getTime() + 400) });
    expect(again.equals(signed)).toBe(true); // sub-second parts are truncated, as both encodings do
    const later = await signPdf(pdf, workspace, { ...details, signingTime: new Date('2026-03-14T09:26:54Z') });
    expect(later.equals(signed)).toBe(false);
    expect(createHash('sha256').update(later).digest('hex')).not.toBe(createHash('sha256').update(signed).digest('hex'));
  });

  it('keeps the document /ID in the signature update trailer', () => {
    const ids = [...signed.toString('latin1').matchAll(/\/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
  });

  it('also signs an uncompressed pdfkit document', async () => {
    const plain = await signPdf(await makePdf({ compress: false }), workspace, details);
    expect(pdfsig('signed-uncompressed.pdf', plain)).toContain(VALID);
    expect(verifyPdfSignature(plain, { expectedFingerprint: workspace.fingerprintSha256 }).ok).toBe(true);
  });

  it('refuses to sign twice or to sign what is not a PDF', async () => {
    await expect(signPdf(signed, workspace, details)).rejects.toThrow(/already signed/);
    await expect(signPdf(Buffer.from('hello'), workspace, details)).rejects.toThrow(/not a PDF/);
  });
});

describe('tampering', () => {
  it('one flipped byte inside the signed range fails pdfsig, openssl and ours ("document changed after signing")', () => {
    const tampered = Buffer.from(signed);
    const at = signed.indexOf('Docket audit pack (test)') + 7; // inside the Info /Title, in the first range
    tampered[at] = tampered[at]! ^ 0x01;
    const out = pdfsig('tampered.pdf', tampered);
    expect(out).not.toContain(VALID);
    expect(out).toContain('Signature Validation: Digest Mismatch.');
    expect(opensslVerify('tampered.pdf', tampered).ok).toBe(false);
    const report = verifyPdfSignature(tampered, { expectedFingerprint: workspace.fingerprintSha256 });
    saveArtefact('tampered.pdf.docket-verify.json', JSON.stringify(report, null, 2));
    expect(report).toMatchObject({ ok: false, failure: 'document changed after signing' });
    expect(report.checks.find((c) => c.name === 'signature value')?.ok).toBe(true); // the CMS itself is intact
  });

  it('a changed signature value is "signature does not match certificate"', () => {
    const { der } = extractSignature(signed);
    const contentsStart = signed.indexOf('/Contents <') + '/Contents <'.length;
    const tampered = Buffer.from(signed);
    const hexAt = contentsStart + 2 * (der.length - 1); // last byte of the DER: the RSA signature's last octet
    tampered[hexAt] = tampered[hexAt] === 0x30 ? 0x31 : 0x30;
    expect(pdfsig('bad-signature.pdf', tampered)).not.toContain(VALID);
    expect(opensslVerify('bad-signature.pdf', tampered).ok).toBe(false);
    expect(verifyPdfSignature(tampered)).toMatchObject({ ok: false, failure: 'signature does not match certificate' });
  });

  it('never throws on a corrupted signature container: every flipped CMS byte gives a failed report', () => {
    const { der } = extractSignature(signed);
    const contentsStart = signed.indexOf('/Contents <') + '/Contents <'.length;
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 400; i++) {
      const tampered = Buffer.from(signed);
      const at = contentsStart + (next() % (2 * der.length + 40)); // the DER and some of its zero padding
      tampered[at] = '0123456789abcdef'.charCodeAt((parseInt(String.fromCharCode(tampered[at]!), 16) + 1 + (next() % 15)) % 16);
      const report = verifyPdfSignature(tampered, { expectedFingerprint: workspace.fingerprintSha256 });
      expect(report.ok, `flip at hex offset ${at - contentsStart}`).toBe(false);
      expect(report.failure).not.toBeNull();
    }
  });

  it('bytes appended after signing are "byte range does not cover the file"', () => {
    const appended = Buffer.concat([signed, Buffer.from('\n% appended\n')]);
    const report = verifyPdfSignature(appended);
    expect(report).toMatchObject({ ok: false, failure: 'byte range does not cover the file' });
    expect(report.checks.find((c) => c.name === 'byte range')?.detail).toMatch(/12 bytes were added after signing/);
    expect(report.checks.find((c) => c.name === 'document digest')?.ok).toBe(true);
  });

  it('an unsigned PDF is "no signature found"; a bare placeholder is "never filled"', async () => {
    expect(verifyPdfSignature(pdf)).toMatchObject({ ok: false, failure: 'no signature found', signer: null });
    const { plainAddPlaceholder } = await import('@signpdf/placeholder-plain');
    const placeholder = plainAddPlaceholder({ pdfBuffer: pdf, reason: 'r', name: 'n', location: 'l', contactInfo: 'c', signingTime: FIXED_TIME });
    expect(verifyPdfSignature(placeholder)).toMatchObject({ ok: false, failure: 'signature placeholder was never filled' });
  });
});

describe('signPdf with an organisation PKCS#12', () => {
  it('signs with the .p12 identity; trust follows the fingerprints given', async () => {
    const t = tempDir('docket-p12-');
    try {
      const p12 = makeOrgP12(t.dir, 'org passphrase');
      const org = loadPkcs12(p12, 'org passphrase');
      // openssl made the certificate valid from now, so sign "now" (fixed once, for the determinism check).
      const now = { ...details, signingTime: new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000) };
      const orgSigned = await signPdf(pdf, org, now);
      const out = pdfsig('signed-org-p12.pdf', orgSigned);
      expect(out).toContain(VALID);
      expect(out).toContain('Signer Certificate Common Name: Example Org Signer');
      expect(opensslVerify('signed-org-p12.pdf', orgSigned).ok).toBe(true);
      const trusted = verifyPdfSignature(orgSigned, { trustedFingerprints: [org.fingerprintSha256] });
      expect(trusted).toMatchObject({ ok: true, trusted: true });
      expect(trusted.summary).toContain(`signed by the trusted certificate ${org.fingerprintSha256}`);
      const untrusted = verifyPdfSignature(orgSigned, { expectedFingerprint: workspace.fingerprintSha256 });
      expect(untrusted).toMatchObject({ ok: false, failure: 'certificate is not trusted', trusted: false });
      expect(untrusted.checks.at(-1)!.detail).toContain(`not the workspace certificate ${workspace.fingerprintSha256}`);

      // @signpdf's own P12Signer also goes through signPdf, and is deterministic given signingTime.
      const viaP12Signer = await signPdf(pdf, new P12Signer(p12, { passphrase: 'org passphrase' }), now);
      expect((await signPdf(pdf, new P12Signer(p12, { passphrase: 'org passphrase' }), now)).equals(viaP12Signer)).toBe(true);
      expect(verifyPdfSignature(viaP12Signer, { trustedFingerprints: [org.fingerprintSha256] }).ok).toBe(true);
    } finally {
      t.cleanup();
    }
  });
});
