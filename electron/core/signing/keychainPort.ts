import type { AsyncKeySealer, KeychainStatus } from './keys';

/**
 * The OS keychain, asked from the engine's worker thread. Electron's safeStorage lives only in the
 * main process, so the worker posts {keychain: request} on its port and the shell answers
 * {keychainReply: reply} (electron/main/keychainHost.ts). The shell only forwards to safeStorage;
 * every decision (is this backend good enough? whose key is this?) is made here, in core.
 */

export type KeychainOp = 'status' | 'encrypt' | 'decrypt';

export interface KeychainRequest {
  id: number;
  op: KeychainOp;
  /** The bytes to encrypt or decrypt (absent for status). */
  data?: Uint8Array;
}

export type KeychainReply = { id: number; ok: true; status?: KeychainStatus; data?: Uint8Array } | { id: number; ok: false; message: string };

/** Long enough for a person to answer the OS's "allow access to the keychain?" prompt. */
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * An AsyncKeySealer that forwards to whoever answers `post` (the main process). Call `receive`
 * with every reply. A request nobody answers fails after `timeoutMs`, never hangs a signature.
 */
export function remoteKeychain(post: (request: KeychainRequest) => void, options: { timeoutMs?: number } = {}): { sealer: AsyncKeySealer; receive(reply: KeychainReply): void } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pending = new Map<number, { resolve(reply: KeychainReply): void; timer: ReturnType<typeof setTimeout> }>();
  let nextId = 1;
  const ask = (op: KeychainOp, data?: Buffer) =>
    new Promise<KeychainReply>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the OS keychain did not answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      timer.unref?.();
      pending.set(id, { resolve, timer });
      post(data ? { id, op, data } : { id, op });
    }).then((reply) => {
      if (!reply.ok) throw new Error(reply.message);
      return reply;
    });
  const bytes = (reply: KeychainReply): Buffer => {
    const data = reply.ok ? reply.data : undefined;
    if (!data) throw new Error('the OS keychain answered without data');
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  };
  return {
    sealer: {
      status: async () => {
        const reply = await ask('status');
        return (reply.ok && reply.status) || { available: false };
      },
      encrypt: async (plaintext) => bytes(await ask('encrypt', plaintext)),
      decrypt: async (sealed) => bytes(await ask('decrypt', sealed)),
    },
    receive(reply) {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      clearTimeout(waiting.timer);
      pending.delete(reply.id);
      waiting.resolve(reply);
    },
  };
}
