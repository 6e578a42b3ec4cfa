// An organisation's PKCS#12 (.p12/.pfx) as a signing identity. node-forge reads PKCS#12 in pure JS;
// node:crypto cannot. Every failure says what to do, because the person holding the file is rarely
// the person who exported it.
import forge from 'node-forge';
import { identityFromPem, type SigningIdentity } from './signingIdentity';

export type Pkcs12ErrorCode = 'not-pkcs12' | 'wrong-passphrase' | 'unsupported-encryption' | 'no-private-key' | 'no-certificate' | 'key-certificate-mismatch';

export class Pkcs12Error extends Error {
  constructor(
    readonly code: Pkcs12ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'Pkcs12Error';
  }
}

const MAX_PKCS12_BYTES = 1024 * 1024; // a key and a chain are a few KB; anything larger is not one

/** How to re-export a file forge cannot decrypt, with tools every organisation has. */
const REEXPORT_HINT =
  're-export it with 3DES protection, e.g. `openssl pkcs12 -in org.p12 -nodes -out org.pem` then ' +
  '`openssl pkcs12 -export -in org.pem -out org-3des.p12 -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1`';

export function loadPkcs12(buffer: Buffer, passphrase: string): SigningIdentity {
  if (buffer.length > MAX_PKCS12_BYTES) throw new Pkcs12Error('not-pkcs12', `the file is ${buffer.length} bytes; a PKCS#12 key file is at most ${MAX_PKCS12_BYTES}`);
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(buffer.toString('binary')));
  } catch (error) {
    throw new Pkcs12Error('not-pkcs12', `the file is not a PKCS#12 (.p12/.pfx) file: ${(error as Error).message}`);
  }

  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (error) {
    throw classifyForgeError(error as Error);
  }

  const bagsOf = (oid: string | undefined): forge.pkcs12.Bag[] => (oid ? (p12.getBags({ bagType: oid })[oid] ?? []) : []);
  const keyBags = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(forge.pki.oids.keyBag)];
  const certificates = bagsOf(forge.pki.oids.certBag)
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined && cert !== null);
  const key = keyBags.map((bag) => bag.key).find((k) => k !== undefined && k !== null);

  if (!key) {
    // forge leaves `key` null when a bag decrypted but held a non-RSA key (it only parses RSA).
    const hint = keyBags.length > 0 ? ' (it has a key bag, but not an RSA key: only RSA keys are supported)' : '';
    throw new Pkcs12Error('no-private-key', `the PKCS#12 file contains no usable private key${hint}; export it with the key included`);
  }
  if (certificates.length === 0) {
    throw new Pkcs12Error('no-certificate', 'the PKCS#12 file contains a key but no certificate; export it with the certificate included');
  }

  const keyPem = forge.pki.privateKeyToPem(key);
  const rsaKey = key as forge.pki.rsa.PrivateKey;
  const own = certificates.find((cert) => {
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    return pub.n !== undefined && pub.n.compareTo(rsaKey.n) === 0 && pub.e.compareTo(rsaKey.e) === 0;
  });
  if (!own) {
    throw new Pkcs12Error('key-certificate-mismatch', `none of the ${certificates.length} certificate(s) in the PKCS#12 file belongs to its private key`);
  }
  const chain = certificates.filter((cert) => cert !== own).map((cert) => forge.pki.certificateToPem(cert));
  return identityFromPem(keyPem, forge.pki.certificateToPem(own), chain);
}

function classifyForgeError(error: Error): Pkcs12Error {
  const message = error.message ?? String(error);
  if (/MAC could not be verified|Invalid password/i.test(message)) {
    return new Pkcs12Error('wrong-passphrase', 'wrong passphrase for the PKCS#12 file (its integrity check failed)');
  }
  if (/Unsupported|unknown|not supported/i.test(message)) {
    return new Pkcs12Error('unsupported-encryption', `the PKCS#12 file uses an encryption or MAC algorithm Docket cannot read (${message}); ${REEXPORT_HINT}`);
  }
  if (/decrypt|padding|invalid/i.test(message)) {
    // With a MAC-less file, a wrong passphrase surfaces as a failed decryption instead.
    return new Pkcs12Error('wrong-passphrase', `could not decrypt the PKCS#12 file: wrong passphrase? (${message})`);
  }
  return new Pkcs12Error('not-pkcs12', `the file could not be read as PKCS#12: ${message}`);
}
