// Shared helpers for the pack signature tests: deterministic pdfkit documents, external tools, artefacts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import PDFDocument from 'pdfkit';

export const FIXED_TIME = new Date('2026-03-14T09:26:53Z');
export const ARTEFACTS = resolve('test-results/pack');

/**
 * A two-page pdfkit document that is byte-identical on every run. pdfkit 0.20 derives the trailer
 * /ID from md5 of the info dictionary (CreationDate included) at construction time, so fixing
 * info.CreationDate (and every other info entry) fixes /ID; ModDate is fixed for the same reason.
 */
export function makePdf(options: { compress?: boolean; title?: string } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    compress: options.compress ?? true,
    info: { Title: options.title ?? 'Docket audit pack (test)', Author: 'Docket', Creator: 'Docket', Producer: 'Docket', CreationDate: FIXED_TIME, ModDate: FIXED_TIME },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolvePdf, reject) => {
    doc.on('end', () => resolvePdf(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(18).text('Audit pack: fraud-scorer 3.2.0');
  doc.moveDown().fontSize(11).text('Release review approved by a.reviewer on 2026-03-14. Policy: EU AI Act high-risk controls.');
  for (let i = 1; i <= 20; i++) doc.text(`Evidence item ${i}: sha256 ${'0123456789abcdef'.repeat(4)}`);
  doc.addPage().fontSize(14).text('Fairness summary');
  doc.fontSize(11).text('Selection rate ratio (four-fifths rule, US employment practice): 0.91, pass.');
  doc.end();
  return done;
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function saveArtefact(name: string, data: Buffer | string): string {
  mkdirSync(ARTEFACTS, { recursive: true });
  const file = join(ARTEFACTS, name);
  writeFileSync(file, data);
  return file;
}

export function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const hasTool = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** The signature's /Contents as DER, cut to the DER's own length (padding zeros dropped; a real
 *  signature may legitimately end in a 0x00 byte, so "strip trailing zeros" would be wrong). */
export function extractSignature(pdf: Buffer): { der: Buffer; signedData: Buffer } {
  const text = pdf.toString('latin1');
  const m = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].at(-1)!;
  const [, , b, c, d] = m.slice(0, 5).map(Number) as [number, number, number, number, number];
  const padded = Buffer.from(text.slice(b + 1, c - 1), 'hex');
  const lengthOctets = padded[1]! & 0x80 ? padded[1]! & 0x7f : 0;
  let length = lengthOctets ? 0 : padded[1]!;
  for (let i = 0; i < lengthOctets; i++) length = length * 256 + padded[2 + i]!;
  const der = padded.subarray(0, 2 + lengthOctets + length);
  return { der, signedData: Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]) };
}

/** Makes an organisation-style PKCS#12 with openssl (its default: AES-256-CBC PBES2, SHA-256 MAC). */
export function makeOrgP12(dir: string, passphrase: string, extra: string[] = []): Buffer {
  const key = join(dir, 'org-key.pem');
  const cert = join(dir, 'org-cert.pem');
  const p12 = join(dir, `org-${extra.join('').replace(/[^a-z0-9]/gi, '')}.p12`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=Example Org Signer/O=Example Org', '-days', '3650', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation', '-addext', 'extendedKeyUsage=emailProtection'], { stdio: 'pipe' });
  execFileSync('openssl', ['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', p12, '-passout', `pass:${passphrase}`, ...extra], { stdio: 'pipe' });
  return execFileSync('cat', [p12]);
}
