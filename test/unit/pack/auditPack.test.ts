import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_PAYLOAD_TYPE, PACK_FILES } from '../../../shared/pack/evidenceBundle';
import { exportAuditPack, packFolderName, zipPack, type ExportAuditPackResult } from '../../../electron/core/pack/exportAuditPack';
import { verifyAuditPack, type PackVerification } from '../../../electron/core/pack/verifyAuditPack';
import { loadOrCreateWorkspaceCertificate, type WorkspaceCertificate } from '../../../electron/core/pack/workspaceCertificate';
import { signDsse } from '../../../electron/core/signing/dsse';
import { generateReviewerKeyPair } from '../../../electron/core/signing/keys';
import { listAudit, verifyAuditChain } from '../../../electron/core/store/auditLog';
import { ARTEFACTS, extractSignature, run, saveArtefact } from './packFixtures';
import { MODEL, PACK_TIME, RESOURCES, seedWorkspace, VERSION, type SeededWorkspace } from './auditPackFixtures';

const OUT = join(ARTEFACTS, 'audit-pack');
const NAME = packFolderName(MODEL, VERSION);
let w: SeededWorkspace;
let cert: WorkspaceCertificate;
let first: ExportAuditPackResult;
let second: ExportAuditPackResult;
let folder: string;

const exportTo = (outDir: string, extra: { force?: boolean } = {}) =>
  exportAuditPack(w.t.store, { resourcesDir: RESOURCES, model: MODEL, version: VERSION, outDir, clock: () => PACK_TIME, reviewerKey: w.ada, pdfIdentity: cert, zip: true, env: {}, actor: 'reviewer', ...extra });

const failing = (result: PackVerification) => result.checks.filter((c) => !c.ok);

beforeAll(async () => {
  w = await seedWorkspace();
  cert = loadOrCreateWorkspaceCertificate(join(w.t.dir, 'pki'), () => new Date('2026-01-01T00:00:00Z'), { keyBits: 2048 });
  rmSync(OUT, { recursive: true, force: true });
  first = await exportTo(join(OUT, 'a'));
  second = await exportTo(join(OUT, 'b'));
  folder = first.folder;
}, 120_000);
afterAll(() => w.t.cleanup());

describe('exportAuditPack', () => {
  it('writes the pack folder with every file the manifest lists, and a zip', () => {
    expect(folder).toBe(join(OUT, 'a', NAME));
    for (const file of Object.values(PACK_FILES)) expect(existsSync(join(folder, file)), file).toBe(true);
    expect(first.zip).toBe(join(OUT, 'a', `${NAME}.zip`));
    expect(first.files.map((f) => f.name)).toEqual(['VERIFY.txt', 'audit-pack.pdf', 'decisions.json', 'evidence.json', 'ml-bom.cdx.json', 'signing-certificate.pem']);
    const manifest = JSON.parse(readFileSync(join(folder, PACK_FILES.manifest), 'utf8'));
    expect(manifest).toMatchObject({ subject: { model: MODEL, version: VERSION }, generatedAt: '2026-11-26T09:00:00Z', signer: { keyId: w.ada.keyId, name: 'Ada Lovelace', role: 'ml-lead' }, pdfCertificateSha256: cert.fingerprintSha256 });
    const envelope = JSON.parse(readFileSync(join(folder, PACK_FILES.manifestSignature), 'utf8'));
    expect(envelope.payloadType).toBe(MANIFEST_PAYLOAD_TYPE);
    expect(Buffer.from(envelope.payload, 'base64').equals(readFileSync(join(folder, PACK_FILES.manifest)))).toBe(true);
    const decisions = JSON.parse(readFileSync(join(folder, PACK_FILES.decisions), 'utf8'));
    expect(decisions.decisions).toHaveLength(2);
    expect(readFileSync(join(folder, PACK_FILES.readme), 'utf8')).toContain(`docket verify`);
  });

  it('gives byte-identical files and zip for the same state and clock, and records each export in the audit log', () => {
    for (const file of Object.values(PACK_FILES)) {
      expect(readFileSync(join(second.folder, file)).equals(readFileSync(join(folder, file))), file).toBe(true);
    }
    expect(readFileSync(second.zip!).equals(readFileSync(first.zip!))).toBe(true);
    const exports = listAudit(w.t.store.db, 100).filter((e) => e.action === 'pack.exported');
    expect(exports).toHaveLength(2);
    expect(exports[0]).toMatchObject({ subject: `${MODEL}@${VERSION}`, detail: expect.objectContaining({ manifestSha256: first.manifestSha256, evidenceSha256: first.evidenceSha256 }) });
    expect(verifyAuditChain(w.t.store.db).ok).toBe(true);
  });

  it('stamps zip entries with the pack time in UTC whatever the time zone, in name order', () => {
    const contents = new Map([['b.txt', Buffer.from('b')], ['a.txt', Buffer.from('a')]]);
    const saved = process.env.TZ;
    const zips = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'].map((tz) => {
      process.env.TZ = tz;
      return zipPack('x', contents, PACK_TIME);
    });
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
    for (const zip of zips) expect(zip.equals(zips[0]!)).toBe(true);
    const listing = run('unzip', ['-l', saveArtefact('zip-order.zip', zips[0]!)]).stdout;
    expect(listing).toMatch(/2026-11-26 09:00 +x\/a\.txt[\s\S]*2026-11-26 09:00 +x\/b\.txt/);
  });

  it('refuses to overwrite an existing pack unless forced', async () => {
    await expect(exportTo(join(OUT, 'b'))).rejects.toThrow(/already exists/);
    const forced = await exportTo(join(OUT, 'b'), { force: true });
    expect(readFileSync(join(forced.folder, PACK_FILES.pdf)).equals(readFileSync(join(folder, PACK_FILES.pdf)))).toBe(true);
  });
});

describe('verifyAuditPack', () => {
  it('passes every check of an exported folder; trust is self-asserted, keyring or --trust-key', () => {
    const result = verifyAuditPack(folder);
    saveArtefact('audit-pack.verify.json', JSON.stringify(result, null, 2));
    expect(failing(result)).toEqual([]);
    expect(result).toMatchObject({ ok: true, kind: 'folder', subject: { model: MODEL, version: VERSION }, trust: 'self-asserted' });
    expect(result.checks.map((c) => c.name)).toEqual([
      'pack layout',
      'manifest signature',
      'file manifest.json',
      'file VERIFY.txt',
      'file audit-pack.pdf',
      'file decisions.json',
      'file evidence.json',
      'file ml-bom.cdx.json',
      'file signing-certificate.pem',
      'evidence hash',
      'pdf signature',
      'pdf certificate',
      'pdf evidence hash',
      expect.stringMatching(/^decision [0-9a-f]{12}$/),
      expect.stringMatching(/^decision [0-9a-f]{12}$/),
      'ml-bom',
    ]);
    expect(result.checks.find((c) => c.name === 'manifest signature')!.detail).toMatch(/self-asserted/);
    expect(verifyAuditPack(folder, { db: w.t.store.db })).toMatchObject({ ok: true, trust: 'keyring' });
    expect(verifyAuditPack(folder, { trustKeyIds: [w.ada.keyId.slice(0, 12)] })).toMatchObject({ ok: true, trust: 'trust-key' });
    const other = verifyAuditPack(folder, { trustKeyIds: [w.grace.keyId] });
    expect(other.ok).toBe(false);
    expect(failing(other).map((c) => `${c.name}: ${c.detail}`)).toEqual([expect.stringMatching(new RegExp(`^manifest signature: key ${w.ada.keyId.slice(0, 16)}… is not trusted`))]);
  });

  it('verifies the zip exactly as the folder', () => {
    const zip = verifyAuditPack(first.zip!);
    const dir = verifyAuditPack(folder);
    expect(zip.kind).toBe('zip');
    expect({ ...zip, kind: 'folder' }).toEqual(dir);
  });

  it('names the file when one byte of any pack file is flipped', () => {
    const results: string[] = [];
    for (const file of Object.values(PACK_FILES)) {
      const copy = join(OUT, 'tampered', file);
      rmSync(copy, { recursive: true, force: true });
      mkdirSync(join(OUT, 'tampered'), { recursive: true });
      cpSync(folder, copy, { recursive: true });
      const bytes = readFileSync(join(copy, file));
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(join(copy, file), bytes);
      const result = verifyAuditPack(copy);
      const bad = failing(result);
      results.push(`${file} (byte ${at}): ${bad.map((c) => `${c.name}: ${c.detail}`).join(' | ')}`);
      expect(result.ok, file).toBe(false);
      const expected = file === PACK_FILES.manifestSignature ? 'manifest signature' : `file ${file}`;
      expect(bad.map((c) => c.name), file).toContain(expected);
      if (file !== PACK_FILES.manifest && file !== PACK_FILES.manifestSignature) {
        expect(bad.find((c) => c.name === expected)!.detail).toMatch(/^sha256 differs from the manifest/);
      }
    }
    saveArtefact('audit-pack.tampered.txt', results.join('\n'));
  });

  it("fails 'manifest signature' when manifest.dsse.json is signed by another key", () => {
    const manifest = JSON.parse(readFileSync(join(folder, PACK_FILES.manifest), 'utf8'));
    const cases = {
      // Grace's key is in the pack, but the manifest names Ada.
      grace: signDsse(manifest, MANIFEST_PAYLOAD_TYPE, w.grace.privateKey, w.grace.keyId),
      // A stranger re-signs a manifest naming themselves: their key is nowhere in the pack.
      stranger: (() => {
        const k = generateReviewerKeyPair();
        return signDsse({ ...manifest, signer: { keyId: k.keyId, name: 'Ada Lovelace', role: 'ml-lead' } }, MANIFEST_PAYLOAD_TYPE, k.privateKey, k.keyId);
      })(),
    };
    for (const [label, envelope] of Object.entries(cases)) {
      const copy = join(OUT, 'resigned', label);
      rmSync(copy, { recursive: true, force: true });
      cpSync(folder, copy, { recursive: true });
      writeFileSync(join(copy, PACK_FILES.manifestSignature), JSON.stringify(envelope, null, 2));
      const result = verifyAuditPack(copy);
      expect(result.ok, label).toBe(false);
      const check = result.checks.find((c) => c.name === 'manifest signature')!;
      expect(check.ok, label).toBe(false);
      saveArtefact(`audit-pack.resigned-${label}.txt`, `${check.name}: ${check.detail}`);
    }
    expect(verifyAuditPack(join(OUT, 'resigned', 'grace')).checks.find((c) => c.name === 'manifest signature')!.detail).toMatch(/names signer .* but was signed by/);
    expect(verifyAuditPack(join(OUT, 'resigned', 'stranger')).checks.find((c) => c.name === 'manifest signature')!.detail).toMatch(/is not trusted: it is not among the keys in the pack/);
  });

  it('checks a lone PDF by its embedded signature only', () => {
    const pdf = join(folder, PACK_FILES.pdf);
    expect(verifyAuditPack(pdf)).toMatchObject({ ok: true, kind: 'pdf', checks: [{ name: 'pdf signature', ok: true }] });
    const bytes = readFileSync(pdf);
    bytes[200] = bytes[200]! ^ 0x01;
    const tampered = saveArtefact('audit-pack.tampered.pdf', bytes);
    expect(verifyAuditPack(tampered)).toMatchObject({ ok: false, checks: [{ name: 'pdf signature', ok: false, detail: expect.stringContaining('document changed after signing') }] });
  });
});

describe('offline, without Docket', () => {
  it('pdfsig reports the PDF signature valid and openssl cms -verify succeeds', () => {
    const pdf = join(folder, PACK_FILES.pdf);
    const sig = run('pdfsig', [pdf]);
    saveArtefact('audit-pack.pdf.pdfsig.txt', `$ pdfsig audit-pack.pdf\n(exit ${sig.status})\n${sig.stdout}${sig.stderr}`);
    expect(sig.stdout).toContain('  - Signature Validation: Signature is Valid.');
    expect(sig.stdout).toContain('  - Total document signed');
    const { der, signedData } = extractSignature(readFileSync(pdf));
    const derFile = saveArtefact('audit-pack.pdf.sig.der', der);
    const dataFile = saveArtefact('audit-pack.pdf.signed-bytes.bin', signedData);
    const args = ['cms', '-verify', '-inform', 'DER', '-binary', '-noverify', '-content', dataFile, '-in', derFile, '-out', '/dev/null'];
    const out = run('openssl', args);
    saveArtefact('audit-pack.pdf.openssl.txt', `$ openssl ${args.join(' ')}\n(exit ${out.status})\n${out.stdout}${out.stderr}`);
    expect(out.stdout + out.stderr).toContain('CMS Verification successful');
    expect(out.status).toBe(0);
    const fingerprint = run('openssl', ['x509', '-in', join(folder, PACK_FILES.certificate), '-noout', '-fingerprint', '-sha256']);
    expect(fingerprint.stdout.replace(/[^0-9A-F]/g, '').toLowerCase().slice(-64)).toBe(cert.fingerprintSha256);
  });

  it("the manifest signature verifies with the openssl commands VERIFY.txt gives", () => {
    const copy = join(OUT, 'openssl');
    rmSync(copy, { recursive: true, force: true });
    cpSync(folder, copy, { recursive: true });
    const text = readFileSync(join(copy, PACK_FILES.readme), 'utf8');
    const step = text.slice(text.indexOf('2. The manifest signature'), text.indexOf('3. Every file'));
    const commands = step.split('\n').filter((l) => l.startsWith('     ') && !l.startsWith('       (')).map((l) => l.trim());
    const script = ['set -e', ...commands].join('\n');
    const out = run('sh', ['-c', `cd '${copy}' && ${script}`]);
    saveArtefact('audit-pack.verify-txt-openssl.txt', `$ sh -c (VERIFY.txt step 2)\n${script}\n(exit ${out.status})\n${out.stdout}${out.stderr}`);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(w.ada.keyId);
    expect(out.stdout).toContain('Signature Verified Successfully');
  });
});
