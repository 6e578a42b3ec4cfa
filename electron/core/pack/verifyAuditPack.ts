import { createHash, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { z } from 'zod';
import { MANIFEST_PAYLOAD_TYPE, PACK_FILES, type PackManifest } from '../../../shared/pack/evidenceBundle';
import { DecisionStatementSchema } from '../../../shared/reviews/decision';
import { DECISION_PAYLOAD_TYPE, dsseEnvelopeSchema } from '../../../shared/signing/envelope';
import { canonicalJsonBytes, decodeBase64Strict, envelopeDigest, verifyDsse, type PublicKeyResolver } from '../signing/dsse';
import { keyringResolver, keyStatusAt } from '../signing/keyring';
import { keyIdOf, publicKeyFromPem } from '../signing/keys';
import { serialNumberFor } from './mlBom';
import { certificateFingerprintSha256, normaliseFingerprint } from './signingIdentity';
import { verifyPdfSignature } from './verifyPdfSignature';

/**
 * `docket verify`: checks an audit pack (its folder, its zip, or the PDF alone) offline, without a
 * workspace. Every check has a name and says exactly what differs. Trust in the manifest's signer
 * comes from a workspace keyring (--db), from key ids the user names (--trust-key), or, failing
 * both, from the keys inside the pack itself, which the result calls "self-asserted".
 */

export interface PackCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export type PackTrust = 'keyring' | 'trust-key' | 'self-asserted';

export interface PackVerification {
  ok: boolean;
  kind: 'folder' | 'zip' | 'pdf' | 'budget-report';
  subject: { model: string; version: string } | null;
  /** Where trust in the manifest signer came from; null when the signature did not verify or for a lone PDF. */
  trust: PackTrust | null;
  checks: PackCheck[];
}

export interface VerifyAuditPackOptions {
  /** A workspace keyring: the signer must be in it and trusted when it signed. */
  db?: Database;
  /** Key ids (or unique prefixes of at least 8 hex digits) the user trusts: the signer must be one. */
  trustKeyIds?: readonly string[];
  /** For a lone PDF: certificate fingerprints to accept. */
  trustedFingerprints?: readonly string[];
}

const MAX_FILE_BYTES = 512 * 1024 * 1024;
const MAX_FILES = 64;
const short = (keyId: string) => `${keyId.slice(0, 16)}…`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const PACK_FILE_NAMES = new Set<string>(Object.values(PACK_FILES));

const ManifestSchema = z.strictObject({
  _type: z.literal('https://docket.dev/audit-pack-manifest/v1'),
  subject: z.strictObject({ model: z.string().min(1), version: z.string().min(1) }),
  generatedAt: z.string(),
  evidenceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.array(z.strictObject({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) })).max(MAX_FILES),
  signer: z.strictObject({ keyId: z.string(), name: z.string(), role: z.string() }),
  pdfCertificateSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const PackKeysSchema = z.object({ keys: z.array(z.object({ keyId: z.string(), publicKeyPem: z.string() }).loose()).max(1000) }).loose();
const DecisionsFileSchema = z.object({ keys: z.array(z.object({ keyId: z.string(), publicKeyPem: z.string() }).loose()).max(1000), decisions: z.array(z.unknown()).max(10_000) }).loose();

export function verifyAuditPack(path: string, options: VerifyAuditPackOptions = {}): PackVerification {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    return failed('folder', 'pack layout', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (stat.isDirectory()) {
    const files = new Map<string, Buffer>();
    const names = readdirSync(path, { withFileTypes: true });
    if (names.length > MAX_FILES) return failed('folder', 'pack layout', `${names.length} entries: not an audit pack folder`);
    const odd: string[] = [];
    for (const entry of names) {
      if (!entry.isFile()) {
        odd.push(`${entry.name} is not a regular file`);
        continue;
      }
      const size = statSync(join(path, entry.name)).size;
      if (size > MAX_FILE_BYTES) odd.push(`${entry.name} is too large (${size} bytes)`);
      else files.set(entry.name, readFileSync(join(path, entry.name)));
    }
    return verifyPackFiles('folder', files, odd, options);
  }
  // A device or FIFO (/dev/zero, a named pipe) reports size 0 and would be read forever.
  if (!stat.isFile()) return failed('folder', 'pack layout', `${basename(path)} is not a regular file or a folder`);
  if (stat.size > MAX_FILE_BYTES) return failed('folder', 'pack layout', `${path} is too large (${stat.size} bytes)`);
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return verifyLonePdf(bytes, options);
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return verifyZip(bytes, options);
  return failed('folder', 'pack layout', `${basename(path)} is not an audit pack folder, a .zip of one, or a PDF`);
}

function failed(kind: PackVerification['kind'], name: string, detail: string): PackVerification {
  return { ok: false, kind, subject: null, trust: null, checks: [{ name, ok: false, detail }] };
}

function verifyLonePdf(pdf: Buffer, options: VerifyAuditPackOptions): PackVerification {
  const report = verifyPdfSignature(pdf, options.trustedFingerprints ? { trustedFingerprints: options.trustedFingerprints } : {});
  const failedStep = report.checks.find((c) => !c.ok);
  const detail = report.ok ? `${report.summary}${report.signingTime ? `; signed at ${report.signingTime}` : ''}` : `${report.failure}${failedStep ? ` (${failedStep.name}: ${failedStep.detail})` : ''}`;
  return { ok: report.ok, kind: 'pdf', subject: null, trust: null, checks: [{ name: 'pdf signature', ok: report.ok, detail }] };
}

function verifyZip(bytes: Buffer, options: VerifyAuditPackOptions): PackVerification {
  let entries: Record<string, Uint8Array>;
  let total = 0;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (total > MAX_FILE_BYTES) throw new Error('the zip expands to more than 512 MiB');
        return true;
      },
    });
  } catch (error) {
    return failed('zip', 'pack layout', `not a readable zip: ${(error as Error).message}`);
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
  if (names.length > MAX_FILES) return failed('zip', 'pack layout', `${names.length} entries: not an audit pack zip`);
  // Zip slip: an entry that would land outside the folder it is unpacked into is refused outright.
  const climbing = Object.keys(entries).find((n) => n.startsWith('/') || /^[A-Za-z]:/.test(n) || /[\\\0]/.test(n) || n.split('/').some((s) => s === '..' || s === '.'));
  if (climbing !== undefined) return failed('zip', 'pack layout', `unsafe entry ${JSON.stringify(climbing.slice(0, 200))}: an audit pack zip holds one folder with plain file names (no "..", ".", absolute or backslash paths)`);
  const tops = new Set(names.map((n) => n.split('/')[0]));
  if (tops.size !== 1 || names.some((n) => n.split('/').length !== 2)) return failed('zip', 'pack layout', 'the zip must hold one folder with the pack files directly inside it');
  const files = new Map(names.map((n) => [n.split('/')[1]!, Buffer.from(entries[n]!)]));
  return verifyPackFiles('zip', files, [], options);
}

function parseJson(bytes: Buffer | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

/** Resolves a --trust-key value (a key id or a prefix of at least 8 hex digits) against a key id. */
function trustedBy(keyId: string, trustKeyIds: readonly string[]): string | null {
  for (const given of trustKeyIds) {
    const prefix = given.trim().toLowerCase();
    if (/^[0-9a-f]{8,64}$/.test(prefix) && keyId.startsWith(prefix)) return prefix;
  }
  return null;
}

/**
 * Whether a signer counts: named with --trust-key, or trusted in the workspace keyring at the time
 * it signed; without either, "self-asserted" (the key came with the thing being verified).
 */
export function signerTrust(keyId: string, at: string, options: VerifyAuditPackOptions): { ok: boolean; trust: PackTrust; detail: string } {
  const trustKeyIds = options.trustKeyIds ?? [];
  const named = trustedBy(keyId, trustKeyIds);
  if (named) return { ok: true, trust: 'trust-key', detail: `key ${short(keyId)} is trusted with --trust-key ${named}` };
  if (options.db) {
    let status;
    try {
      status = keyStatusAt(options.db, keyId, at);
    } catch {
      status = keyStatusAt(options.db, keyId, new Date(0).toISOString());
    }
    return { ok: status.status === 'trusted', trust: 'keyring', detail: status.status === 'trusted' ? `${status.reason} (workspace keyring)` : `key ${short(keyId)} is not trusted: ${status.reason}` };
  }
  if (trustKeyIds.length > 0) return { ok: false, trust: 'trust-key', detail: `key ${short(keyId)} is not trusted (not among --trust-key ${trustKeyIds.join(', ')})` };
  return { ok: true, trust: 'self-asserted', detail: `self-asserted: key ${short(keyId)} comes with what is verified; pass --trust-key <key id> or --db <workspace> to check it against a key you trust` };
}

export function verifyPackFiles(kind: 'folder' | 'zip', files: ReadonlyMap<string, Buffer>, oddities: string[], options: VerifyAuditPackOptions): PackVerification {
  const checks: PackCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  // Layout: the two manifest files must be there; nothing but pack files may be.
  const missing = [PACK_FILES.manifest, PACK_FILES.manifestSignature].filter((f) => !files.has(f));
  const unexpected = [...files.keys()].filter((f) => !PACK_FILE_NAMES.has(f)).sort();
  const problems = [...missing.map((f) => `${f} is missing`), ...unexpected.map((f) => `unexpected file ${f} (not part of a Docket audit pack)`), ...oddities];
  add('pack layout', problems.length === 0, problems.length === 0 ? `the ${files.size} files of an audit pack` : problems.join('; '));

  // Keys the pack carries: evidence.json's and decisions.json's (self-asserted until trusted).
  const packKeys = new Map<string, string>();
  for (const file of [PACK_FILES.evidence, PACK_FILES.decisions]) {
    const parsed = PackKeysSchema.safeParse(parseJson(files.get(file)));
    if (!parsed.success) continue;
    for (const k of parsed.data.keys) {
      try {
        if (keyIdOf(publicKeyFromPem(k.publicKeyPem)) === k.keyId && !packKeys.has(k.keyId)) packKeys.set(k.keyId, k.publicKeyPem);
      } catch {
        /* not a usable key: the signature check will say the signer is unknown */
      }
    }
  }
  const resolver: PublicKeyResolver = (keyId) => (options.db ? keyringResolver(options.db)(keyId) : null) ?? packKeys.get(keyId) ?? null;
  const trustOf = (keyId: string, at: string) => signerTrust(keyId, at, options);

  // The manifest signature. The signed payload is the manifest; manifest.json must be those bytes.
  let manifest: PackManifest | null = null;
  let trust: PackTrust | null = null;
  let signedPayload: Buffer | null = null;
  const envelopeJson = parseJson(files.get(PACK_FILES.manifestSignature));
  const envelope = dsseEnvelopeSchema.safeParse(envelopeJson);
  if (envelope.success) signedPayload = decodeBase64Strict(envelope.data.payload);
  if (!files.has(PACK_FILES.manifestSignature)) {
    add('manifest signature', false, `${PACK_FILES.manifestSignature} is missing`);
  } else if (envelopeJson === undefined) {
    add('manifest signature', false, `${PACK_FILES.manifestSignature} is not JSON`);
  } else {
    const result = verifyDsse(envelopeJson, resolver, { expectedPayloadType: MANIFEST_PAYLOAD_TYPE, singleSignature: true });
    if (!result.ok) {
      const detail =
        result.reason === 'unknown-key'
          ? `key ${short(result.keyId ?? '')} is not trusted: it is not ${options.db ? "in the workspace keyring nor " : ''}among the keys in the pack`
          : `${PACK_FILES.manifestSignature}: ${result.message}`;
      add('manifest signature', false, detail);
    } else {
      const parsed = ManifestSchema.safeParse(result.payload);
      if (!parsed.success) {
        add('manifest signature', false, `the signed payload is not a Docket pack manifest ($.${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
      } else if (parsed.data.signer.keyId !== result.keyId) {
        add('manifest signature', false, `the manifest names signer ${short(parsed.data.signer.keyId)} but was signed by ${short(result.keyId)}`);
      } else {
        manifest = parsed.data;
        const t = trustOf(result.keyId, manifest.generatedAt);
        trust = t.ok ? t.trust : null;
        add('manifest signature', t.ok, t.ok ? `signed by ${manifest.signer.name} (${manifest.signer.role}); ${t.detail}` : t.detail);
      }
    }
  }

  const manifestBytes = files.get(PACK_FILES.manifest);
  if (!manifestBytes) add(`file ${PACK_FILES.manifest}`, false, 'missing');
  else if (!signedPayload) add(`file ${PACK_FILES.manifest}`, false, `cannot compare: ${PACK_FILES.manifestSignature} holds no readable signed manifest`);
  else if (!manifestBytes.equals(signedPayload)) add(`file ${PACK_FILES.manifest}`, false, `differs from the manifest signed in ${PACK_FILES.manifestSignature}`);
  else add(`file ${PACK_FILES.manifest}`, true, `equals the signed manifest (sha256 ${sha256(manifestBytes)})`);

  // Without a verified manifest, read manifest.json anyway (unauthenticated) to say which files differ.
  const listed = manifest ?? (() => {
    const p = ManifestSchema.safeParse(parseJson(manifestBytes));
    return p.success ? p.data : null;
  })();
  if (!listed) {
    add('manifest', false, `${PACK_FILES.manifest} is not a readable Docket pack manifest, so the files cannot be checked`);
    return finish(kind, null, null, checks);
  }
  if (!manifest) add('manifest', false, `the file checks below use ${PACK_FILES.manifest} as it stands, whose signature did not verify`);

  for (const entry of listed.files) {
    const bytes = files.get(entry.name);
    const name = `file ${entry.name}`;
    if (!PACK_FILE_NAMES.has(entry.name) || entry.name === PACK_FILES.manifest || entry.name === PACK_FILES.manifestSignature) add(name, false, 'the manifest lists a file that is not part of an audit pack');
    else if (!bytes) add(name, false, 'missing (the manifest lists it)');
    else if (sha256(bytes) !== entry.sha256) add(name, false, `sha256 differs from the manifest (${sha256(bytes)} here, ${entry.sha256} listed)${bytes.length !== entry.bytes ? `; ${bytes.length} bytes here, ${entry.bytes} listed` : ''}`);
    else if (bytes.length !== entry.bytes) add(name, false, `size differs from the manifest (${bytes.length} bytes here, ${entry.bytes} listed)`);
    else add(name, true, `sha256 ${entry.sha256}, ${entry.bytes} bytes, as listed`);
  }
  for (const file of Object.values(PACK_FILES)) {
    if (file === PACK_FILES.manifest || file === PACK_FILES.manifestSignature) continue;
    if (!listed.files.some((f) => f.name === file)) add(`file ${file}`, false, 'not listed in the manifest');
  }

  // evidence.json: the manifest's evidence hash, canonical, about the same version at the same time.
  const evidenceBytes = files.get(PACK_FILES.evidence);
  const evidence = parseJson(evidenceBytes) as { schema?: unknown; generatedAt?: unknown; model?: { name?: unknown; version?: unknown } } | undefined;
  if (!evidenceBytes) add('evidence hash', false, `${PACK_FILES.evidence} is missing`);
  else if (sha256(evidenceBytes) !== listed.evidenceSha256) add('evidence hash', false, `${PACK_FILES.evidence} has sha256 ${sha256(evidenceBytes)}, the manifest states evidenceSha256 ${listed.evidenceSha256}`);
  else if (!evidence || evidence.schema !== 'docket.audit-evidence/v1') add('evidence hash', false, `${PACK_FILES.evidence} is not a Docket evidence bundle`);
  else if (!canonicalJsonBytes(evidence).equals(evidenceBytes)) add('evidence hash', false, `${PACK_FILES.evidence} is not RFC 8785 canonical JSON`);
  else if (evidence.model?.name !== listed.subject.model || evidence.model?.version !== listed.subject.version) add('evidence hash', false, `${PACK_FILES.evidence} is about ${String(evidence.model?.name)}@${String(evidence.model?.version)}, the manifest about ${listed.subject.model}@${listed.subject.version}`);
  else if (evidence.generatedAt !== listed.generatedAt) add('evidence hash', false, `${PACK_FILES.evidence} was generated at ${String(evidence.generatedAt)}, the manifest says ${listed.generatedAt}`);
  else add('evidence hash', true, `sha256 ${listed.evidenceSha256} equals the manifest's evidenceSha256`);

  // The PDF: its embedded signature, by the certificate the manifest names and the pack carries.
  const pdf = files.get(PACK_FILES.pdf);
  if (!pdf) {
    add('pdf signature', false, `${PACK_FILES.pdf} is missing`);
  } else {
    const report = verifyPdfSignature(pdf, { trustedFingerprints: [listed.pdfCertificateSha256] });
    const bad = report.checks.find((c) => !c.ok && c.name !== 'certificate trusted');
    add('pdf signature', !bad, bad ? `${PACK_FILES.pdf}: ${bad.detail}` : `valid: the whole document is signed by ${report.signer?.subject ?? 'an unnamed certificate'} at ${report.signingTime ?? 'an unstated time'}`);
    const fingerprint = report.signer?.fingerprintSha256 ?? null;
    const certificatePems = files.get(PACK_FILES.certificate)?.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    let packCertificate: string | null = null;
    try {
      packCertificate = certificatePems[0] ? certificateFingerprintSha256(new X509Certificate(certificatePems[0]).raw) : null;
    } catch {
      packCertificate = null;
    }
    if (fingerprint === null) add('pdf certificate', false, `no signer certificate could be read from ${PACK_FILES.pdf}`);
    else if (normaliseFingerprint(fingerprint) !== listed.pdfCertificateSha256) add('pdf certificate', false, `the PDF was signed by certificate ${fingerprint}, the manifest names ${listed.pdfCertificateSha256}`);
    else if (packCertificate !== listed.pdfCertificateSha256) add('pdf certificate', false, `${PACK_FILES.certificate} holds ${packCertificate ?? 'no readable certificate'}, not the certificate that signed the PDF (${listed.pdfCertificateSha256})`);
    else add('pdf certificate', true, `sha256 fingerprint ${fingerprint}, as the manifest and ${PACK_FILES.certificate} state`);
    // The renderer states "evidence-sha256:<hex>" in the PDF's Subject and Keywords: it must be this evidence.
    const stated = statedEvidenceHashes(pdf);
    if (stated.length === 0) add('pdf evidence hash', false, `${PACK_FILES.pdf} does not state the evidence sha256 in its metadata (Subject, Keywords)`);
    else if (stated.some((h) => h !== listed.evidenceSha256)) add('pdf evidence hash', false, `${PACK_FILES.pdf} states evidence sha256 ${stated.find((h) => h !== listed.evidenceSha256)}, the manifest ${listed.evidenceSha256}`);
    else add('pdf evidence hash', true, `${PACK_FILES.pdf} states evidence sha256 ${listed.evidenceSha256} in its metadata`);
  }

  // decisions.json: every decision verifies and is about this version.
  const decisionsJson = parseJson(files.get(PACK_FILES.decisions));
  const decisions = DecisionsFileSchema.safeParse(decisionsJson);
  if (!decisions.success) {
    add('decisions', false, `${PACK_FILES.decisions} is ${files.has(PACK_FILES.decisions) ? 'not a Docket decision bundle' : 'missing'}`);
  } else if (decisions.data.decisions.length === 0) {
    add('decisions', true, 'no signed decisions for this version');
  } else {
    decisions.data.decisions.forEach((raw, index) => {
      const parsedEnvelope = dsseEnvelopeSchema.safeParse(raw);
      const label = parsedEnvelope.success ? `decision ${envelopeDigest(parsedEnvelope.data).slice(0, 12)}` : `decision #${index + 1}`;
      const result = verifyDsse(raw, resolver, { expectedPayloadType: DECISION_PAYLOAD_TYPE, singleSignature: true });
      if (!result.ok) return add(label, false, result.reason === 'unknown-key' ? `signed by key ${short(result.keyId ?? '')}, whose public key is neither in the pack nor in the keyring` : result.message);
      const statement = DecisionStatementSchema.safeParse(result.payload);
      if (!statement.success) return add(label, false, 'the signed payload is not a Docket decision');
      const s = statement.data;
      if (s.signer.keyId !== result.keyId) return add(label, false, 'the statement names a different signer key than the one that signed it');
      if (s.subject.model !== listed.subject.model || s.subject.version !== listed.subject.version) return add(label, false, `is about ${s.subject.model}@${s.subject.version}, not ${listed.subject.model}@${listed.subject.version}`);
      const t = trustOf(result.keyId, s.signedAt);
      const trustNote = t.trust === 'trust-key' && !t.ok ? `self-asserted: key ${short(result.keyId)} is not among --trust-key` : t.detail;
      const ok = t.ok || t.trust === 'trust-key';
      return add(label, ok, `${s.decision} by ${s.signer.name} (${s.signer.role}) at ${s.signedAt}; ${trustNote}`);
    });
  }

  // The ML-BOM parses as CycloneDX 1.6 about this version, with the serial number of this evidence.
  const bom = parseJson(files.get(PACK_FILES.mlBom)) as { bomFormat?: unknown; specVersion?: unknown; serialNumber?: unknown; components?: { type?: unknown; name?: unknown; version?: unknown }[] } | undefined;
  const model = Array.isArray(bom?.components) ? bom.components.find((c) => c?.type === 'machine-learning-model') : undefined;
  if (!bom) add('ml-bom', false, `${PACK_FILES.mlBom} is ${files.has(PACK_FILES.mlBom) ? 'not JSON' : 'missing'}`);
  else if (bom.bomFormat !== 'CycloneDX' || bom.specVersion !== '1.6') add('ml-bom', false, `${PACK_FILES.mlBom} is not a CycloneDX 1.6 BOM`);
  else if (bom.serialNumber !== serialNumberFor(listed.evidenceSha256)) add('ml-bom', false, `${PACK_FILES.mlBom} has serial number ${String(bom.serialNumber)}, not the one derived from the evidence (${serialNumberFor(listed.evidenceSha256)})`);
  else if (!model || model.name !== listed.subject.model || model.version !== listed.subject.version) add('ml-bom', false, `${PACK_FILES.mlBom} does not describe the model ${listed.subject.model}@${listed.subject.version}`);
  else add('ml-bom', true, `CycloneDX 1.6, ${bom.components!.length} components, serial number ${bom.serialNumber}`);

  return finish(kind, listed.subject, trust, checks);
}

/** The "evidence-sha256:<hex>" values of the PDF's Info /Subject and /Keywords (literal or UTF-16BE hex strings). */
export function statedEvidenceHashes(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const hashes: string[] = [];
  const STRING = String.raw`(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)`;
  const values: string[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`\/(?:Subject|Keywords)\s*(?:${STRING}|(\d+) (\d+) R)`, 'g'))) {
    if (m[1]) values.push(m[1]);
    else {
      // pdfkit writes Info values as indirect objects: "/Subject 87 0 R" … "87 0 obj\n(…)\nendobj".
      const object = new RegExp(String.raw`(?:^|[\r\n])${m[2]} ${m[3]} obj\s*${STRING}`).exec(text);
      if (object?.[1]) values.push(object[1]);
    }
  }
  for (const raw of values) {
    let value: string;
    try {
      if (raw.startsWith('(')) {
        value = raw.slice(1, -1).replace(/\\(.)/g, '$1');
        if (value.startsWith('\u00fe\u00ff')) value = Buffer.from(value.slice(2), 'latin1').swap16().toString('utf16le');
      } else {
        const bytes = Buffer.from(raw.slice(1, -1).replace(/\s/g, ''), 'hex');
        value = bytes[0] === 0xfe && bytes[1] === 0xff ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1');
      }
    } catch {
      continue; // an odd-length UTF-16 string: not one the renderer wrote
    }
    for (const h of value.matchAll(/evidence-sha256:([0-9a-f]{64})/g)) hashes.push(h[1]!);
  }
  return hashes;
}

function finish(kind: PackVerification['kind'], subject: PackVerification['subject'], trust: PackTrust | null, checks: PackCheck[]): PackVerification {
  const ok = checks.every((c) => c.ok);
  return { ok, kind, subject, trust, checks };
}
