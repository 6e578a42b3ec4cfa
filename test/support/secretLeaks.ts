import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';

/**
 * Grep helpers for "no secret was written": every form a secret could take on disk or in output,
 * and a search for them in bytes. Shared by the hostile secrets test and the keychain tests.
 */
export interface Needle {
  label: string;
  bytes: Buffer;
}

/** Each text secret as UTF-8, and each private key as PKCS#8 DER, its base64 (the PEM body) and its raw 32-byte seed in every encoding. */
export function secretNeedles(texts: readonly { label: string; value: string }[], privateKeys: readonly KeyObject[]): Needle[] {
  const text = (label: string, s: string) => ({ label, bytes: Buffer.from(s, 'utf8') });
  const list = texts.map((t) => text(t.label, t.value));
  privateKeys.forEach((key, i) => {
    const der = key.export({ type: 'pkcs8', format: 'der' });
    const seed = der.subarray(der.length - 32);
    const pemBody = key.export({ type: 'pkcs8', format: 'pem' }).toString().split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    list.push(
      { label: `private key ${i} PKCS#8 DER`, bytes: der },
      text(`private key ${i} PEM body`, pemBody),
      text(`private key ${i} base64 DER`, der.toString('base64')),
      { label: `private key ${i} raw seed`, bytes: seed },
      text(`private key ${i} seed hex`, seed.toString('hex')),
      text(`private key ${i} seed base64`, seed.toString('base64')),
      text(`private key ${i} seed base64url`, seed.toString('base64url')),
    );
  });
  return list;
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((p) => join(dir, String(p)))
    .filter((p) => statSync(p).isFile());
}

/** "<needle> in <label>" for every needle found in `bytes`. */
export function leaksIn(label: string, bytes: Buffer, needles: readonly Needle[]): string[] {
  return needles.filter((n) => bytes.includes(n.bytes)).map((n) => `${n.label} in ${label}`);
}
