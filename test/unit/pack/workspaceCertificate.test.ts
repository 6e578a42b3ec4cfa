import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { loadOrCreateWorkspaceCertificate, loadPkcs12, Pkcs12Error, WORKSPACE_CERTIFICATE_FILE, WORKSPACE_KEY_FILE } from '../../../electron/core/pack/workspaceCertificate';
import { makeOrgP12, tempDir } from './packFixtures';

const clockAt = (iso: string) => () => new Date(iso);
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dir(): string {
  const t = tempDir('docket-cert-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('workspace certificate', () => {
  it('creates a self-signed RSA certificate valid for 10 years from the injected clock, key file 0600', () => {
    const d = dir();
    const ws = loadOrCreateWorkspaceCertificate(d, clockAt('2026-03-14T09:00:00.400Z'));
    expect(ws.created).toBe(true);
    expect((statSync(join(d, WORKSPACE_KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
    const cert = new X509Certificate(readFileSync(join(d, WORKSPACE_CERTIFICATE_FILE)));
    expect(cert.subject).toMatch(/^O=Docket\nCN=Docket workspace [0-9a-f]{8}$/);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-03-14T09:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2036-03-14T09:00:00.000Z');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    // node's X509Certificate.keyUsage is really the extended key usage list.
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']));
    const ku = forge.pki.certificateFromPem(ws.certificatePem).getExtension('keyUsage') as { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean; critical: boolean };
    expect(ku).toMatchObject({ digitalSignature: true, nonRepudiation: true, keyCertSign: false, critical: true });
    expect(ws.fingerprintSha256).toBe(cert.fingerprint256.replace(/:/g, '').toLowerCase());
  });

  it('reuses the same certificate on the next call and narrows a widened key file back to 0600', () => {
    const d = dir();
    const first = loadOrCreateWorkspaceCertificate(d, clockAt('2026-03-14T09:00:00Z'));
    chmodSync(first.keyPath, 0o644);
    const second = loadOrCreateWorkspaceCertificate(d, clockAt('2027-01-01T00:00:00Z'));
    expect(second.created).toBe(false);
    expect(second.fingerprintSha256).toBe(first.fingerprintSha256);
    expect(statSync(first.keyPath).mode & 0o777).toBe(0o600);
  });

  it('renews an expired certificate and keeps the old pair beside it', () => {
    const d = dir();
    const old = loadOrCreateWorkspaceCertificate(d, clockAt('2026-03-14T09:00:00Z'), { keyBits: 2048 });
    const renewed = loadOrCreateWorkspaceCertificate(d, clockAt('2036-03-15T00:00:00Z'), { keyBits: 2048 });
    expect(renewed.created).toBe(true);
    expect(renewed.fingerprintSha256).not.toBe(old.fingerprintSha256);
    expect(renewed.notAfter.toISOString()).toBe('2046-03-15T00:00:00.000Z');
    expect(readdirSync(d).filter((f) => f.includes('.expired-'))).toHaveLength(2);
  });

  it('issues a certificate for a key left without one, and refuses a certificate without its key', () => {
    const d = dir();
    const first = loadOrCreateWorkspaceCertificate(d, clockAt('2026-03-14T09:00:00Z'), { keyBits: 2048 });
    const keyBefore = readFileSync(first.keyPath, 'utf8');
    rmSync(first.certificatePath);
    const reissued = loadOrCreateWorkspaceCertificate(d, clockAt('2026-03-15T09:00:00Z'));
    expect(reissued.privateKeyPem).toBe(keyBefore);
    rmSync(first.keyPath);
    expect(() => loadOrCreateWorkspaceCertificate(d, clockAt('2026-03-15T09:00:00Z'))).toThrow(/private key .* is missing/);
    expect(existsSync(first.certificatePath)).toBe(true);
  });
});

describe('organisation PKCS#12', () => {
  it("reads OpenSSL 3's default .p12 (AES-256 PBES2, SHA-256 MAC) and the -legacy one", () => {
    const d = dir();
    for (const extra of [[], ['-legacy'], ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']]) {
      const identity = loadPkcs12(makeOrgP12(d, 'correct horse', extra), 'correct horse');
      expect(identity.subject).toBe('CN=Example Org Signer, O=Example Org');
      expect(identity.privateKeyPem).toContain('BEGIN PRIVATE KEY');
      expect(identity.chainPems).toEqual([]);
    }
  });

  it('says the passphrase is wrong', () => {
    const p12 = makeOrgP12(dir(), 'correct horse');
    const error = captureError(() => loadPkcs12(p12, 'battery staple'));
    expect(error).toBeInstanceOf(Pkcs12Error);
    expect(error).toMatchObject({ code: 'wrong-passphrase', message: expect.stringMatching(/wrong passphrase/) });
  });

  it('says what is missing from a .p12 without a key or without a certificate, and rejects non-PKCS#12 bytes', () => {
    const d = dir();
    makeOrgP12(d, 'pw');
    const certOnly = join(d, 'cert-only.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', join(d, 'org-cert.pem'), '-out', certOnly, '-passout', 'pass:pw'], { stdio: 'pipe' });
    expect(captureError(() => loadPkcs12(readFileSync(certOnly), 'pw'))).toMatchObject({ code: 'no-private-key', message: expect.stringMatching(/no usable private key/) });
    const keyOnly = join(d, 'key-only.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-nocerts', '-inkey', join(d, 'org-key.pem'), '-out', keyOnly, '-passout', 'pass:pw'], { stdio: 'pipe' });
    expect(captureError(() => loadPkcs12(readFileSync(keyOnly), 'pw'))).toMatchObject({ code: 'no-certificate', message: expect.stringMatching(/no certificate/) });
    writeFileSync(join(d, 'junk.p12'), 'not a p12 at all');
    expect(captureError(() => loadPkcs12(readFileSync(join(d, 'junk.p12')), 'pw'))).toMatchObject({ code: 'not-pkcs12' });
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
