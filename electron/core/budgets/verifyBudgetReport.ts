import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { BUDGET_REPORT_PAYLOAD_TYPE, BudgetReportManifestSchema, REPORT_ENVELOPE_SUFFIX } from '../../../shared/budgets/reportManifest';
import { verifyDsse } from '../signing/dsse';
import { keyringResolver } from '../signing/keyring';
import { keyIdOf, publicKeyFromPem } from '../signing/keys';
import { normaliseFingerprint } from '../pack/signingIdentity';
import { signerTrust, type PackCheck, type PackVerification, type VerifyAuditPackOptions } from '../pack/verifyAuditPack';
import { verifyPdfSignature } from '../pack/verifyPdfSignature';

/**
 * Checks a budget report export offline: the detached manifest's signature and its signer's trust,
 * the file's sha256 and size against the manifest, and for a PDF its embedded signature by the
 * certificate the manifest names. Each check says what differs.
 */

const MAX_REPORT_BYTES = 512 * 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** True when the file has a signed manifest beside it (what makes it a signed export). */
export function hasDetachedManifest(path: string): boolean {
  return existsSync(`${path}${REPORT_ENVELOPE_SUFFIX}`);
}

export function verifyBudgetReport(path: string, options: VerifyAuditPackOptions = {}): PackVerification {
  const checks: PackCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const finish = (trust: PackVerification['trust']): PackVerification => ({ ok: checks.every((c) => c.ok), kind: 'budget-report', subject: null, trust, checks });
  const envelopePath = `${path}${REPORT_ENVELOPE_SUFFIX}`;
  const name = basename(path);

  let envelopeJson: unknown;
  try {
    envelopeJson = JSON.parse(readFileSync(envelopePath, 'utf8'));
  } catch (error) {
    add('manifest signature', false, `${basename(envelopePath)} is ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'not JSON'}`);
    return finish(null);
  }
  // The signer's public key travels in the manifest; the keyring's copy wins when there is one.
  const payloadKey = (() => {
    try {
      const payload = JSON.parse(Buffer.from((envelopeJson as { payload?: string }).payload ?? '', 'base64').toString('utf8')) as { signer?: { publicKeyPem?: string } };
      const pem = payload.signer?.publicKeyPem;
      return pem ? publicKeyFromPem(pem) : null;
    } catch {
      return null;
    }
  })();
  const result = verifyDsse(
    envelopeJson,
    (keyId) => (options.db ? keyringResolver(options.db)(keyId) : null) ?? (payloadKey && keyIdOf(payloadKey) === keyId ? payloadKey : null),
    { expectedPayloadType: BUDGET_REPORT_PAYLOAD_TYPE, singleSignature: true },
  );
  if (!result.ok) {
    add('manifest signature', false, `${basename(envelopePath)}: ${result.message}`);
    return finish(null);
  }
  const parsed = BudgetReportManifestSchema.safeParse(result.payload);
  if (!parsed.success) {
    add('manifest signature', false, `the signed payload is not a Docket budget report manifest ($.${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
    return finish(null);
  }
  const manifest = parsed.data;
  if (manifest.signer.keyId !== result.keyId) {
    add('manifest signature', false, `the manifest names signer ${manifest.signer.keyId.slice(0, 16)}… but was signed by ${result.keyId.slice(0, 16)}…`);
    return finish(null);
  }
  const trust = signerTrust(result.keyId, manifest.generatedAt, options);
  add('manifest signature', trust.ok, trust.ok ? `signed by ${manifest.signer.name} (${manifest.signer.role}) at ${manifest.generatedAt}; ${trust.detail}` : trust.detail);

  let bytes: Buffer | null = null;
  try {
    const size = statSync(path).size;
    if (size > MAX_REPORT_BYTES) add(`file ${name}`, false, `too large (${size} bytes)`);
    else bytes = readFileSync(path);
  } catch (error) {
    add(`file ${name}`, false, `cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes) {
    const digest = sha256(bytes);
    if (manifest.file.name !== name) add(`file ${name}`, false, `the manifest is for ${manifest.file.name}, not ${name}`);
    else if (digest !== manifest.file.sha256) add(`file ${name}`, false, `sha256 differs from the manifest (${digest} here, ${manifest.file.sha256} signed)${bytes.length !== manifest.file.bytes ? `; ${bytes.length} bytes here, ${manifest.file.bytes} signed` : ''}`);
    else add(`file ${name}`, true, `sha256 ${digest}, ${bytes.length} bytes, as signed; ${manifest.budgets.length} budget(s) as of ${manifest.asOf}`);
  }

  if (manifest.format === 'pdf') {
    if (!bytes) add('pdf signature', false, `${name} could not be read`);
    else if (!manifest.pdfCertificateSha256) add('pdf signature', false, 'the manifest names no PDF certificate');
    else {
      const report = verifyPdfSignature(bytes, { trustedFingerprints: [manifest.pdfCertificateSha256] });
      const bad = report.checks.find((c) => !c.ok && c.name !== 'certificate trusted');
      const fingerprint = report.signer?.fingerprintSha256 ? normaliseFingerprint(report.signer.fingerprintSha256) : null;
      if (bad) add('pdf signature', false, `${name}: ${bad.detail}`);
      else if (fingerprint !== manifest.pdfCertificateSha256) add('pdf signature', false, `the PDF was signed by certificate ${fingerprint ?? 'unknown'}, the manifest names ${manifest.pdfCertificateSha256}`);
      else add('pdf signature', true, `valid: the whole document is signed by ${report.signer?.subject ?? 'an unnamed certificate'} (sha256 ${fingerprint}) at ${report.signingTime ?? 'an unstated time'}`);
    }
  }
  return finish(trust.ok ? trust.trust : null);
}
