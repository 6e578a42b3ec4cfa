import type { KeychainReply, KeychainRequest } from '../core/signing/keychainPort';
import type { KeySealer } from '../core/signing/keys';

/**
 * The shell's half of the engine's keychain (see electron/core/signing/keychainPort.ts): answers
 * status, encrypt and decrypt with Electron's safeStorage and nothing else. No policy lives here:
 * the engine judges the status ('basic_text' is refused there) and checks what it gets back.
 * Type-only imports: the main bundle must pull in no engine code.
 */

/** The safeStorage calls used (getSelectedStorageBackend exists on Linux only). */
export interface SafeStorageApi {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * safeStorage as a sealer, framed exactly as core's safeStorageSealer (bytes travel as base64 text,
 * since safeStorage seals strings), so a key sealed by either opens with the other.
 */
export function safeStorageKeychain(safeStorage: SafeStorageApi, platform: NodeJS.Platform): KeySealer {
  return {
    status: () => ({ available: safeStorage.isEncryptionAvailable(), backend: platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined }),
    encrypt: (plaintext) => safeStorage.encryptString(plaintext.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

/**
 * Answers one request from the worker through `reply`, which must copy what it sends (postMessage
 * clones), then wipes the private key bytes this side still holds.
 */
export function serveKeychainRequest(keychain: KeySealer | undefined, request: KeychainRequest, reply: (answer: KeychainReply) => void): void {
  const { id } = request;
  if (request.op === 'status') {
    try {
      reply({ id, ok: true, status: keychain ? (keychain.status?.() ?? { available: true }) : { available: false } });
    } catch (err) {
      reply({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  if (!keychain) return reply({ id, ok: false, message: 'this process has no OS keychain' });
  const data = request.data ?? new Uint8Array();
  const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let output: Buffer | undefined;
  try {
    output = request.op === 'encrypt' ? keychain.encrypt(input) : keychain.decrypt(input);
    reply({ id, ok: true, data: output });
  } catch (err) {
    reply({ id, ok: false, message: err instanceof Error ? err.message : String(err) });
  } finally {
    if (request.op === 'encrypt') input.fill(0);
    else output?.fill(0);
  }
}
