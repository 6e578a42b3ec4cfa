import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { DocketError } from '../../../shared/ipc/result';
import { shortKeyId } from '../../../shared/signing/keyId';
import { createSealedKeyAsync, openSealedKeyAsync, parseSealedKey, serializeKeyFile, type KeyIdentity } from './keyFile';
import { keychainRefusal, type AsyncKeySealer, type KeychainStatus, type ReviewerKeyPair } from './keys';
import { sealedKeyPath, unlockLocalKeyFile } from './localKeys';
import { SigningError } from './signingError';

/**
 * "Remember this key in the OS keychain": beside a workspace key's passphrase-encrypted key file,
 * a docket-sealed-key/1 file holds the same private key sealed by the OS keychain (Electron's
 * safeStorage, reached from the engine's worker through the main process). Signing with a
 * remembered key then needs no passphrase. The keychain is asked first every time: when it cannot
 * protect a secret (unavailable, or Linux's 'basic_text' / 'unknown' backend) nothing is sealed or
 * written, and the refusal says why. The sealed file is useless on another machine or OS account.
 */

/** What the renderer shows next to "Remember this key in the OS keychain". */
export interface KeychainView {
  /** The keychain can protect a secret now: remembering is offered. */
  usable: boolean;
  /** Linux's safeStorage backend (e.g. 'gnome_libsecret', 'basic_text'); null elsewhere or unknown. */
  backend: string | null;
  /** Why remembering is not offered, when it is not. */
  reason: string | null;
}

type KeychainCheck = { ok: true; sealer: AsyncKeySealer; backend: string | null } | { ok: false; refusal: SigningError; backend: string | null };

/** Asks the keychain whether it may hold a key now; an absent keychain (the CLI, a bare worker) is refused as unavailable. */
async function checkKeychain(keychain: AsyncKeySealer | undefined): Promise<KeychainCheck> {
  if (!keychain) return { ok: false, refusal: keychainRefusal({ available: false })!, backend: null };
  let status: KeychainStatus;
  try {
    status = await keychain.status();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, refusal: new SigningError('keychain-unavailable', `the OS keychain did not answer (${why}), so the private key is not stored: use the passphrase`), backend: null };
  }
  const refusal = keychainRefusal(status);
  const backend = status.backend ?? null;
  return refusal ? { ok: false, refusal, backend } : { ok: true, sealer: keychain, backend };
}

/** Returns the keychain when it may hold a key; throws the keychain-unavailable refusal, which says why, otherwise. */
export async function requireUsableKeychain(keychain: AsyncKeySealer | undefined): Promise<AsyncKeySealer> {
  const check = await checkKeychain(keychain);
  if (!check.ok) throw check.refusal;
  return check.sealer;
}

export async function keychainView(keychain: AsyncKeySealer | undefined): Promise<KeychainView> {
  const check = await checkKeychain(keychain);
  return { usable: check.ok, backend: check.backend, reason: check.ok ? null : check.refusal.message };
}

/** Seals the unlocked key with the keychain and writes the sealed copy (0600), replacing an older one. */
export async function rememberKey(keysDir: string, keyPair: ReviewerKeyPair, identity: KeyIdentity, keychain: AsyncKeySealer | undefined, at: string): Promise<void> {
  const sealer = await requireUsableKeychain(keychain);
  const sealed = await createSealedKeyAsync(keyPair, identity, sealer, at);
  const path = sealedKeyPath(keysDir, keyPair.keyId);
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  // Written beside, then renamed: a half-written sealed file would fail every later signature.
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, serializeKeyFile(sealed), { encoding: 'utf8', mode: 0o600 });
  renameSync(temp, path);
}

/** Removes the sealed copy: the key file stays, so the passphrase signs again. Returns whether one existed. */
export function forgetKey(keysDir: string, keyId: string): boolean {
  const path = sealedKeyPath(keysDir, keyId);
  const existed = existsSync(path);
  rmSync(path, { force: true });
  return existed;
}

/** Opens a remembered key with the keychain; every failure says what to do instead (type the passphrase). */
export async function unlockFromKeychain(keysDir: string, keyId: string, keychain: AsyncKeySealer | undefined): Promise<ReviewerKeyPair> {
  const path = sealedKeyPath(keysDir, keyId);
  if (!existsSync(path)) {
    throw new SigningError('no-passphrase', `key ${shortKeyId(keyId)} is not remembered in this machine's OS keychain: type its passphrase`);
  }
  const check = await checkKeychain(keychain);
  if (!check.ok) throw new SigningError('keychain-unavailable', `cannot open key ${shortKeyId(keyId)} with the OS keychain: ${check.refusal.message}`);
  try {
    return await openSealedKeyAsync(parseSealedKey(readFileSync(path, 'utf8')), check.sealer);
  } catch (err) {
    if (!(err instanceof SigningError)) throw err;
    const hint = err.reason === 'unseal-failed' ? ' (was it sealed on another machine or OS account, or was the keychain reset?)' : '';
    throw new SigningError(err.reason, `${err.message}${hint}; type the passphrase, then remember the key again`, err.field);
  }
}

/** How a signing call unlocks its key: the passphrase (optionally remembering the key), or, without one, the keychain. */
export interface SigningUnlock {
  keyId: string;
  passphrase?: string | undefined;
  remember?: boolean | undefined;
}

export interface KeyUnlockContext {
  keysDir: string;
  keychain: AsyncKeySealer | undefined;
  /** ISO time for the sealed copy's createdAt. */
  now: () => string;
}

/**
 * The one way the app's signing channels get a private key. With `remember`, the keychain is asked
 * before the passphrase is even tried, so a refused keychain leaves no trace; the key is sealed
 * only after the passphrase has opened it.
 */
export async function unlockSigningKey(ctx: KeyUnlockContext, unlock: SigningUnlock): Promise<ReviewerKeyPair> {
  if (unlock.passphrase === undefined) {
    if (unlock.remember) throw new DocketError('INVALID_INPUT', 'type the passphrase to remember the key in the OS keychain', [{ path: 'passphrase', message: 'required to remember the key' }]);
    return unlockFromKeychain(ctx.keysDir, unlock.keyId, ctx.keychain);
  }
  if (unlock.remember) await requireUsableKeychain(ctx.keychain);
  const { keyFile, keyPair } = unlockLocalKeyFile(ctx.keysDir, unlock.keyId, unlock.passphrase);
  if (unlock.remember) await rememberKey(ctx.keysDir, keyPair, { name: keyFile.name, role: keyFile.role }, ctx.keychain, ctx.now());
  return keyPair;
}
