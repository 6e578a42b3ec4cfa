import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { startEngineWorker } from '../../electron/main/engineHost';
import { safeStorageKeychain, serveKeychainRequest, type SafeStorageApi } from '../../electron/main/keychainHost';
import { remoteKeychain, type KeychainReply, type KeychainRequest } from '../../electron/core/signing/keychainPort';
import { generateReviewerKeyPair, keychainRefusal, safeStorageSealer, sealPrivateKeyAsync, unsealPrivateKey, unsealPrivateKeyAsync, type KeySealer } from '../../electron/core/signing/keys';
import { fakeSafeStorage } from '../support/fakeKeychain';

/**
 * The keychain across the thread boundary: the engine (a worker) asks, the Electron shell forwards
 * to safeStorage. Messages are structured-cloned as between real threads; the shell's safeStorage
 * framing must match core's safeStorageSealer, so a key sealed by either opens with the other.
 */

/** The worker's side and the shell's side joined by a real MessageChannel. */
function bridge(keychain: KeySealer | undefined, options: { timeoutMs?: number; answer?: boolean } = {}) {
  const { port1: workerPort, port2: mainPort } = new MessageChannel();
  const remote = remoteKeychain((request) => workerPort.postMessage({ keychain: request }), options);
  const seen: KeychainRequest[] = [];
  mainPort.on('message', (msg: { keychain: KeychainRequest }) => {
    seen.push(msg.keychain);
    if (options.answer !== false) serveKeychainRequest(keychain, msg.keychain, (keychainReply) => mainPort.postMessage({ keychainReply }));
  });
  workerPort.on('message', (msg: { keychainReply: KeychainReply }) => remote.receive(msg.keychainReply));
  const close = () => [workerPort, mainPort].forEach((p: MessagePort) => p.close());
  return { sealer: remote.sealer, seen, close };
}

describe('the keychain bridge between the engine worker and the shell', () => {
  it('forwards status, encrypt and decrypt, and the key opens on the engine side', async () => {
    const storage = fakeSafeStorage({ backend: 'kwallet5' });
    const link = bridge(safeStorageKeychain(storage as SafeStorageApi, 'linux'));
    try {
      expect(await link.sealer.status()).toEqual({ available: true, backend: 'kwallet5' });
      const pair = generateReviewerKeyPair();
      const sealed = await sealPrivateKeyAsync(pair.privateKey, link.sealer);
      expect(storage.sealed).toBe(1);
      const opened = await unsealPrivateKeyAsync(sealed, link.sealer, pair.keyId);
      expect(opened.export({ type: 'pkcs8', format: 'der' }).equals(pair.privateKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
      // The shell wiped the plaintext it was sent (the bytes it received, not the worker's copy).
      const encryptRequest = link.seen.find((r) => r.op === 'encrypt')!;
      expect(Buffer.from(encryptRequest.data!).every((b) => b === 0)).toBe(true);
    } finally {
      link.close();
    }
  });

  it('refuses to seal when the shell reports basic_text, sending nothing to encrypt', async () => {
    const storage = fakeSafeStorage({ backend: 'basic_text' });
    const link = bridge(safeStorageKeychain(storage as SafeStorageApi, 'linux'));
    try {
      await expect(sealPrivateKeyAsync(generateReviewerKeyPair().privateKey, link.sealer)).rejects.toMatchObject({ reason: 'keychain-unavailable', message: expect.stringMatching(/basic_text/) });
      expect(link.seen.map((r) => r.op)).toEqual(['status']);
      expect(storage.sealed).toBe(0);
    } finally {
      link.close();
    }
  });

  it('reports no keychain as unavailable, passes errors through, and times out rather than hanging', async () => {
    const none = bridge(undefined);
    try {
      expect(await none.sealer.status()).toEqual({ available: false });
      expect(keychainRefusal(await none.sealer.status())?.message).toMatch(/not available/);
      await expect(none.sealer.encrypt(Buffer.from('x'))).rejects.toThrow(/no OS keychain/);
    } finally {
      none.close();
    }
    const storage = fakeSafeStorage();
    const wrong = bridge(safeStorageKeychain(storage as SafeStorageApi, 'linux'));
    try {
      await expect(wrong.sealer.decrypt(Buffer.from('not sealed'))).rejects.toThrow(/Error while decrypting/);
    } finally {
      wrong.close();
    }
    const silent = bridge(undefined, { timeoutMs: 50, answer: false });
    try {
      await expect(silent.sealer.status()).rejects.toThrow(/did not answer within/);
    } finally {
      silent.close();
    }
  });

  it("frames bytes as core's safeStorageSealer does, and asks for the backend only on Linux", () => {
    const storage = fakeSafeStorage({ backend: 'gnome_libsecret' });
    const shell = safeStorageKeychain(storage as SafeStorageApi, 'linux');
    const core = safeStorageSealer(storage);
    const pair = generateReviewerKeyPair();
    const der = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    expect(unsealPrivateKey(shell.encrypt(der), core, pair.keyId).export({ type: 'pkcs8', format: 'der' }).equals(der)).toBe(true);
    expect(shell.decrypt(core.encrypt(der)).equals(der)).toBe(true);
    const mac = safeStorageKeychain({ ...storage, getSelectedStorageBackend: () => { throw new Error('not on macOS'); } } as SafeStorageApi, 'darwin');
    expect(mac.status?.()).toEqual({ available: true, backend: undefined });
  });
});

describe('the real engine worker with the shell keychain', () => {
  const workerFile = resolve('out/test-worker/keychainEngineWorker.cjs');
  let dir: string;
  beforeAll(async () => {
    await build({ entryPoints: ['electron/core/engineWorker.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['better-sqlite3', 'pdfkit'], outfile: workerFile, logLevel: 'warning' });
    dir = mkdtempSync(join(tmpdir(), 'docket-keychain-worker-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers a key through the main process, and refuses once the backend is basic_text', async () => {
    const storage = fakeSafeStorage({ backend: 'gnome_libsecret' });
    const engine = startEngineWorker(workerFile, join(dir, 'w.db'), resolve('resources'), () => undefined, undefined, safeStorageKeychain(storage as SafeStorageApi, 'linux'));
    try {
      expect(await engine.handlers['keys/keychain']({})).toEqual({ usable: true, backend: 'gnome_libsecret', reason: null });
      const key = await engine.handlers['keys/generate']({ name: 'Ada', role: 'ml-lead', passphrase: 'worker passphrase', remember: true });
      expect(storage.sealed).toBe(1);
      expect((await engine.handlers['keys/list']({})).find((k) => k.keyId === key.keyId)).toMatchObject({ hasPrivateKey: true, inKeychain: true });
      storage.backend = 'basic_text';
      const status = await engine.handlers['keys/keychain']({});
      expect(status).toMatchObject({ usable: false, backend: 'basic_text', reason: expect.stringMatching(/hard-coded password/) });
      await expect(engine.handlers['keys/generate']({ name: 'Eve', role: 'ml-lead', passphrase: 'worker passphrase', remember: true })).rejects.toMatchObject({ code: 'REJECTED', message: expect.stringMatching(/basic_text/) });
      expect(storage.sealed).toBe(1);
      expect(readdirSync(join(dir, 'keys')).filter((f) => f.endsWith('.sealed-key.json'))).toEqual([`${key.keyId}.sealed-key.json`]);
    } finally {
      await engine.stop();
    }
  });
});
