import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/core/signing/keys';

/**
 * A stand-in for Electron's safeStorage (the OS boundary; the real one needs a desktop session):
 * strings sealed with AES-256-GCM under a per-"machine" key, so a blob from another machine fails
 * its authentication check as a real keychain's would. `available` and `backend` can be changed
 * to play an unavailable keychain or Linux's 'basic_text' backend. Counts what it sealed.
 */
export interface FakeSafeStorage extends SafeStorageLike {
  available: boolean;
  /** What getSelectedStorageBackend answers (Linux); undefined plays macOS or Windows. */
  backend: string | undefined;
  sealed: number;
  opened: number;
}

const MAGIC = Buffer.from('fake-os-keychain/1');

export function fakeSafeStorage(options: { available?: boolean; backend?: string; machineKey?: Buffer } = {}): FakeSafeStorage {
  const machineKey = options.machineKey ?? randomBytes(32);
  const fake: FakeSafeStorage = {
    available: options.available ?? true,
    backend: 'backend' in options ? options.backend : 'gnome_libsecret',
    sealed: 0,
    opened: 0,
    isEncryptionAvailable: () => fake.available,
    // undefined like safeStorage on macOS and Windows, where the method does not exist.
    getSelectedStorageBackend: () => fake.backend as string,
    encryptString(plainText) {
      if (!fake.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', machineKey, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      fake.sealed += 1;
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      if (!fake.available) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
      if (!encrypted.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const rest = encrypted.subarray(MAGIC.length);
      const decipher = createDecipheriv('aes-256-gcm', machineKey, rest.subarray(0, 12));
      decipher.setAuthTag(rest.subarray(12, 28));
      try {
        const text = Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()]).toString('utf8');
        fake.opened += 1;
        return text;
      } catch {
        // What Chromium's OSCrypt reports when the key does not open the blob.
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
    },
  };
  return fake;
}
