import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { DocketError } from '../../../shared/ipc/result';
import { MANIFEST_PAYLOAD_TYPE, PACK_FILES, type AuditEvidenceBundle, type PackManifest } from '../../../shared/pack/evidenceBundle';
import { exportDecisions } from '../reviews/decisionBundles';
import { canonicalJsonBytes, signDsse } from '../signing/dsse';
import { getKey, keyStatusAt } from '../signing/keyring';
import { exportPublicKeyPem, type ReviewerKeyPair } from '../signing/keys';
import { appendAudit } from '../store/auditLog';
import { writeFileAtomic } from '../store/atomicWrite';
import { isoNow, type Clock } from '../store/clock';
import type { Store } from '../store/openStore';
import { buildEvidenceBundle } from './buildEvidenceBundle';
import { mlBomBytes } from './mlBom';
import { renderAuditPdf } from './renderAuditPdf';
import { signPdf } from './signPdf';
import { certificateFingerprintSha256, type SigningIdentity } from './signingIdentity';

/**
 * Writes the audit pack of one model version: a folder a person can read (the signed PDF, VERIFY.txt)
 * and a machine can check (evidence.json, the ML-BOM, decisions.json, a manifest signed by the
 * exporting reviewer), and optionally a zip of it. Same store state and same clock (or
 * SOURCE_DATE_EPOCH) give the same bytes, file by file and for the zip.
 */

export type PdfRenderer = (bundle: AuditEvidenceBundle, options: { fontsDir: string; evidenceSha256: string }) => Promise<Buffer>;

export interface ExportProgress {
  step: 'evidence' | 'pdf' | 'sign' | 'files' | 'manifest' | 'write' | 'zip' | 'done';
  done: number;
  total: number;
}

export interface ExportAuditPackOptions {
  resourcesDir: string;
  model: string;
  version: string;
  outDir: string;
  clock: Clock;
  /** The exporting reviewer's key: it signs the manifest. It must be in the keyring and trusted. */
  reviewerKey: ReviewerKeyPair;
  /** Signs the PDF: the workspace certificate, or an organisation PKCS#12. */
  pdfIdentity: SigningIdentity;
  zip?: boolean;
  /** Replace an existing pack folder (and zip) of the same name. */
  force?: boolean;
  actor?: string;
  onProgress?: (progress: ExportProgress) => void;
  /** The PDF renderer; defaults to renderAuditPdf. */
  renderPdf?: PdfRenderer;
  /** Only for tests: where SOURCE_DATE_EPOCH is read from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ExportAuditPackResult {
  folder: string;
  zip: string | null;
  manifest: PackManifest;
  /** sha256 of manifest.json (the canonical manifest bytes the DSSE envelope signs). */
  manifestSha256: string;
  evidenceSha256: string;
  files: { name: string; sha256: string; bytes: number }[];
}

const STEPS = 8;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Folder name of a pack: "<model>-<version>-audit-pack", with path separators and odd characters made safe. */
export function packFolderName(model: string, version: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._@+-]+/g, '_').replace(/^\.+/, '_');
  return `${safe(model)}-${safe(version)}-audit-pack`;
}

export async function exportAuditPack(store: Store, options: ExportAuditPackOptions): Promise<ExportAuditPackResult> {
  const progress = (step: ExportProgress['step'], done: number) => options.onProgress?.({ step, done, total: STEPS });
  const { db } = store;
  const name = packFolderName(options.model, options.version);
  const folder = join(options.outDir, name);
  const zipPath = options.zip ? join(options.outDir, `${name}.zip`) : null;
  if (!options.force) {
    for (const target of [folder, zipPath]) {
      if (target && existsSync(target)) throw new DocketError('REJECTED', `${target} already exists: choose another --out folder or pass --force to replace it`);
    }
  }

  // The manifest's signer: a key this workspace knows and trusts now.
  const signerKey = getKey(db, options.reviewerKey.keyId);
  if (!signerKey) throw new DocketError('REJECTED', `key ${options.reviewerKey.keyId.slice(0, 16)} is not in this workspace's keyring: add it (docket keys) before signing a pack with it`);
  const status = keyStatusAt(db, signerKey.keyId, isoNow(options.clock));
  if (status.status !== 'trusted') throw new DocketError('REJECTED', `cannot sign the pack: ${status.reason}`);

  progress('evidence', 0);
  const { bundle, sha256: evidenceSha256 } = buildEvidenceBundle(store, { resourcesDir: options.resourcesDir, model: options.model, version: options.version, clock: options.clock, extraKeyIds: [signerKey.keyId], env: options.env });
  const evidenceBytes = canonicalJsonBytes(bundle);
  const packDate = new Date(bundle.generatedAt);

  progress('pdf', 1);
  const render = options.renderPdf ?? renderAuditPdf;
  const unsigned = await render(bundle, { fontsDir: join(options.resourcesDir, 'fonts'), evidenceSha256 });
  progress('sign', 2);
  const pdf = await signPdf(unsigned, options.pdfIdentity, {
    reason: `Docket audit pack for ${bundle.model.name} ${bundle.model.version}; evidence sha256 ${evidenceSha256}`,
    name: options.pdfIdentity.subject,
    location: 'Docket',
    contactInfo: `${signerKey.name} (${signerKey.role})`,
    signingTime: packDate,
  });
  const pdfCertificateSha256 = certificateFingerprintSha256(new X509Certificate(options.pdfIdentity.certificatePem).raw);

  progress('files', 3);
  const decisions = exportDecisions(store, () => packDate, { model: bundle.model.name, version: bundle.model.version });
  const certificatePem = [options.pdfIdentity.certificatePem, ...options.pdfIdentity.chainPems].map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join('');
  const signer = { keyId: signerKey.keyId, name: signerKey.name, role: signerKey.role };
  const contents = new Map<string, Buffer>([
    [PACK_FILES.pdf, pdf],
    [PACK_FILES.evidence, evidenceBytes],
    [PACK_FILES.mlBom, mlBomBytes(bundle, evidenceSha256)],
    [PACK_FILES.decisions, Buffer.from(`${JSON.stringify(decisions, null, 2)}\n`, 'utf8')],
    [PACK_FILES.certificate, Buffer.from(certificatePem, 'utf8')],
    [PACK_FILES.readme, Buffer.from(verifyText({ bundle, evidenceSha256, signer, publicKeyPem: exportPublicKeyPem(options.reviewerKey.publicKey), pdfCertificateSha256 }), 'utf8')],
  ]);

  progress('manifest', 4);
  const files = [...contents].map(([file, bytes]) => ({ name: file, sha256: sha256(bytes), bytes: bytes.length })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const manifest: PackManifest = {
    _type: 'https://docket.dev/audit-pack-manifest/v1',
    subject: { model: bundle.model.name, version: bundle.model.version },
    generatedAt: bundle.generatedAt,
    evidenceSha256,
    files,
    signer,
    pdfCertificateSha256,
  };
  const manifestBytes = canonicalJsonBytes(manifest);
  const envelope = signDsse(manifest, MANIFEST_PAYLOAD_TYPE, options.reviewerKey.privateKey, signerKey.keyId);
  contents.set(PACK_FILES.manifest, manifestBytes);
  contents.set(PACK_FILES.manifestSignature, Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8'));

  // Written beside the target and renamed into place, so a failed export leaves no half pack.
  progress('write', 5);
  mkdirSync(options.outDir, { recursive: true });
  const staging = join(options.outDir, `.${name}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    for (const [file, bytes] of contents) writeFileSync(join(staging, file), bytes);
    if (options.force) rmSync(folder, { recursive: true, force: true });
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }

  progress('zip', 6);
  // Renamed into place too: a crash while it is written leaves no half zip under its name.
  if (zipPath) writeFileAtomic(zipPath, zipPack(name, contents, packDate));

  const manifestSha256 = sha256(manifestBytes);
  db.transaction(() =>
    appendAudit(
      db,
      {
        actor: options.actor ?? 'docket',
        action: 'pack.exported',
        subject: `${bundle.model.name}@${bundle.model.version}`,
        detail: { folder, zip: zipPath, manifestSha256, evidenceSha256, generatedAt: bundle.generatedAt, signer: signer.keyId, pdfCertificateSha256 },
      },
      isoNow(options.clock),
    ),
  ).immediate();
  progress('done', STEPS);
  return { folder, zip: zipPath, manifest, manifestSha256, evidenceSha256, files };
}

/**
 * The zip of a pack folder: entries "<folder>/<file>" in name order, all stamped with the pack's
 * time. ZIP stores local (DOS) time, which fflate reads from the Date's local fields, so the Date is
 * shifted by the time zone offset: the stamp is the UTC pack time wherever the export runs.
 */
export function zipPack(folderName: string, contents: ReadonlyMap<string, Uint8Array>, packDate: Date): Buffer {
  const offset = packDate.getTimezoneOffset() * 60_000;
  const mtime = new Date(packDate.getTime() + offset);
  const entries: Zippable = {};
  for (const file of [...contents.keys()].sort()) entries[`${folderName}/${file}`] = [new Uint8Array(contents.get(file)!), { mtime, level: 6 }];
  return Buffer.from(zipSync(entries, { mtime, level: 6 }));
}

function verifyText(input: { bundle: AuditEvidenceBundle; evidenceSha256: string; signer: { keyId: string; name: string; role: string }; publicKeyPem: string; pdfCertificateSha256: string }): string {
  const { bundle, evidenceSha256, signer } = input;
  const typeLength = Buffer.byteLength(MANIFEST_PAYLOAD_TYPE, 'utf8');
  const lines = [
    `Docket audit pack: ${bundle.model.name} version ${bundle.model.version}`,
    `Generated ${bundle.generatedAt} by ${bundle.generator.name} ${bundle.generator.version}.`,
    '',
    'What is in this folder',
    `  ${PACK_FILES.pdf}  the report for people, with an embedded PDF signature`,
    `  ${PACK_FILES.evidence}  everything the report states, as RFC 8785 canonical JSON`,
    `  ${PACK_FILES.mlBom}  the model as a CycloneDX 1.6 ML-BOM (model card, datasets, policy claims)`,
    `  ${PACK_FILES.decisions}  the signed review decisions (DSSE envelopes) and the reviewers' public keys`,
    `  ${PACK_FILES.certificate}  the certificate that signed the PDF`,
    `  ${PACK_FILES.manifest}  the sha256 and size of every file above and of this one`,
    `  ${PACK_FILES.manifestSignature}  the manifest, signed by the exporting reviewer (DSSE, Ed25519)`,
    '',
    'The facts to compare against what you were told out of band',
    `  evidence sha256 (also on the PDF cover):  ${evidenceSha256}`,
    `  manifest signed by:  ${signer.name} (${signer.role}), key id ${signer.keyId}`,
    `  PDF certificate sha256 fingerprint:  ${input.pdfCertificateSha256}`,
    '',
    'A key id is the sha256 of the public key (SPKI DER). A valid signature proves only that the holder',
    'of that key signed: trust comes from knowing the key id belongs to the reviewer, from a channel other',
    'than this pack.',
    '',
    '1. With Docket (no workspace needed)',
    '     docket verify <this folder, its .zip, or the PDF alone> --trust-key <key id you trust>',
    '   It checks every item below and names the first thing that differs. Without --trust-key (and',
    '   without --db) it uses the keys inside the pack and says so: "self-asserted".',
    '',
    '2. The manifest signature, with openssl (3.0 or later), from this folder',
    "     sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' VERIFY.txt > signer.pub.pem",
    '     openssl pkey -pubin -in signer.pub.pem -outform DER | openssl dgst -sha256',
    '       (must print the key id above)',
    `     sed -n 's/.*"payload": "\\(.*\\)".*/\\1/p' ${PACK_FILES.manifestSignature} | openssl base64 -d -A | cmp - ${PACK_FILES.manifest}`,
    '       (no output: manifest.json is exactly what was signed)',
    `     sed -n 's/.*"sig": "\\(.*\\)".*/\\1/p' ${PACK_FILES.manifestSignature} | openssl base64 -d -A > manifest.sig`,
    `     { printf 'DSSEv1 ${typeLength} ${MANIFEST_PAYLOAD_TYPE} %s ' "$(wc -c < ${PACK_FILES.manifest} | tr -d ' ')"; cat ${PACK_FILES.manifest}; } > manifest.pae`,
    '     openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in manifest.pae -sigfile manifest.sig',
    '       (prints "Signature Verified Successfully")',
    '',
    '3. Every file against the manifest',
    `     openssl dgst -sha256 ${PACK_FILES.pdf} ${PACK_FILES.evidence} ${PACK_FILES.mlBom} ${PACK_FILES.decisions} ${PACK_FILES.certificate} ${PACK_FILES.readme}`,
    `   and compare each with "files" in ${PACK_FILES.manifest}; the evidence.json line must also equal`,
    '   "evidenceSha256" there and the hash on the PDF cover.',
    '',
    '4. The PDF signature, with poppler and openssl',
    `     pdfsig ${PACK_FILES.pdf}`,
    '       (must say "Signature is Valid." and "Total document signed"; a self-signed workspace',
    '        certificate is reported as "Certificate issuer is unknown", which is expected)',
    `     openssl x509 -in ${PACK_FILES.certificate} -noout -fingerprint -sha256`,
    '       (must equal the PDF certificate fingerprint above, colons aside)',
    '',
    'The exporting reviewer\'s public key:',
    input.publicKeyPem.trimEnd(),
    '',
  ];
  return lines.join('\n');
}
