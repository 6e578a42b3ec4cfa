import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DocketError } from '../../shared/ipc/result';
import { formatKeyIdForComparison, shortKeyId } from '../../shared/signing/keyId';
import type { ReviewerKey } from '../../shared/signing/reviewerKey';
import { createKeyFile, parseKeyFile, writeKeyFile, type DocketKeyFile } from '../core/signing/keyFile';
import { addKey, exportPublicKey, getKey, listKeys, revokeKey, rotateKey, trustKey } from '../core/signing/keyring';
import { keyIdOf, publicKeyFromPem } from '../core/signing/keys';
import { SigningError } from '../core/signing/signingError';
import { isoNow } from '../core/store/clock';
import { actor, assertNoPassphraseArgument, EXIT_OK, refusePassphraseOption, resolveKeyId, storeAction, UsageError, type CommandContext } from './commandContext';
import { formatTable } from './output';
import { cliPassphrase } from './passphrasePrompt';

/** `docket keys …`: reviewer key files and the workspace keyring. */

export type KeyStatusWord = 'trusted' | 'untrusted' | 'revoked';

export interface KeyListing {
  keyId: string;
  shortId: string;
  name: string;
  role: string;
  origin: ReviewerKey['origin'];
  status: KeyStatusWord;
  addedAt: string;
  trustedAt: string | null;
  trustedBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  replacedBy: string | null;
}

function keyListing(k: ReviewerKey, now: Date): KeyListing {
  const revoked = k.revokedAt !== null && Date.parse(k.revokedAt) <= now.getTime();
  const { publicKeyPem: _pem, trusted: _trusted, ...rest } = k;
  return { ...rest, shortId: shortKeyId(k.keyId), status: revoked ? 'revoked' : k.trusted ? 'trusted' : 'untrusted' };
}

/** "Ada Lovelace" -> "ada-lovelace"; "Zoë Ångström" -> "zoe-angstrom". */
export function nameSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'key' : slug.slice(0, 64);
}

/** Reads a docket key file without unlocking it (its public half and identity are not secret). */
export function readKeyFile(path: string): DocketKeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SigningError('invalid-key-file', `cannot read key file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseKeyFile(text);
  } catch (error) {
    if (error instanceof SigningError) throw new SigningError(error.reason, `${path}: ${error.message}`, error.field);
    throw error;
  }
}

/** A public key from a PEM file or a docket key file, with the identity the key file states. */
function readPublicKey(path: string): { publicKeyPem: string; keyId: string; name?: string; role?: string } {
  const text = readFileSync(path, 'utf8');
  if (text.trimStart().startsWith('{')) {
    const keyFile = readKeyFile(path);
    return { publicKeyPem: keyFile.publicKeyPem, keyId: keyIdOf(publicKeyFromPem(keyFile.publicKeyPem)), name: keyFile.name, role: keyFile.role };
  }
  return { publicKeyPem: text, keyId: keyIdOf(publicKeyFromPem(text)) };
}

function checkIdentity(name: string, role: string): void {
  if (name.trim() === '' || name.trim().length > 128) throw new UsageError('--name must be 1 to 128 characters');
  if (role.trim() === '' || role.trim().length > 64) throw new UsageError('--role must be 1 to 64 characters');
}

export function registerKeyCommands(program: Command, ctx: CommandContext): void {
  const keys = program.command('keys').description("reviewer keys (Ed25519): key files that sign decisions, and this workspace's keyring of who is trusted");
  const change = () => ({ actor: actor(), at: isoNow(ctx.clock) });

  refusePassphraseOption(
    keys
      .command('generate')
      .description(
        "create a reviewer key: the private key goes to a key file encrypted with a passphrase (from $DOCKET_KEY_PASSPHRASE, else asked twice on a terminal; never an argument), the public key joins this workspace's keyring as trusted",
      )
      .requiredOption('--name <name>', 'the reviewer, as decisions will name them (compared with model authors: nobody approves their own model)')
      .option('--role <role>', 'the role approvals count for, e.g. ml-lead or model-risk', 'reviewer')
      .option('--out <file>', 'where to write the key file (default ./<name-slug>.docket-key.json); an existing file is never overwritten'),
  ).action((opts: { name: string; role: string; out?: string; passphrase?: unknown }) =>
    storeAction(ctx, async (store, out) => {
      assertNoPassphraseArgument(opts);
      checkIdentity(opts.name, opts.role);
      const file = resolve(opts.out ?? `${nameSlug(opts.name)}.docket-key.json`);
      if (existsSync(file)) throw new SigningError('key-file-exists', `${file} already exists; choose another --out or remove it first (overwriting a key file can lose an identity)`);
      const passphrase = await cliPassphrase(`the new key file ${file}`, true);
      const at = isoNow(ctx.clock);
      const { keyFile } = createKeyFile({ name: opts.name.trim(), role: opts.role.trim() }, passphrase, { at });
      writeKeyFile(file, keyFile);
      const { key } = addKey(store.db, { name: keyFile.name, role: keyFile.role, publicKeyPem: keyFile.publicKeyPem, keyId: keyFile.keyId, origin: 'local' }, change());
      out.print(
        [
          `Created a key for ${key.name} (${key.role}).`,
          `  Key id:   ${key.keyId}`,
          `  Short id: ${shortKeyId(key.keyId)}`,
          `  File:     ${file}`,
          `Added to this workspace's keyring as trusted. Keep the file and its passphrase safe; share the public key with: docket keys export ${shortKeyId(key.keyId)}`,
        ].join('\n'),
        { keyId: key.keyId, shortId: shortKeyId(key.keyId), name: key.name, role: key.role, file, trusted: true },
      );
      return EXIT_OK;
    }),
  );

  keys
    .command('list')
    .description("the workspace keyring: each key's name, role, short id, origin (local or imported) and status (trusted, untrusted, revoked)")
    .action(() =>
      storeAction(ctx, (store, out) => {
        const now = ctx.clock();
        const listed = listKeys(store.db).map((k) => keyListing(k, now));
        out.print(
          listed.length === 0
            ? 'No keys yet. Create one with: docket keys generate --name "<your name>" --role <role>'
            : formatTable(
                ['NAME', 'ROLE', 'KEY ID', 'ORIGIN', 'STATUS'],
                listed.map((k) => [k.name, k.role, k.shortId, k.origin, k.status === 'revoked' ? `revoked ${k.revokedAt?.slice(0, 10)}: ${k.revokeReason}` : k.status]),
              ),
          listed,
        );
        return EXIT_OK;
      }),
    );

  keys
    .command('export')
    .description('print (or write) a public key as PEM, to give to colleagues who will import and trust it')
    .argument('<key>', 'a key id, a unique prefix of at least 8 hex digits, or a docket key file')
    .option('--out <file>', 'write the PEM to this file instead of printing it (an existing file is not overwritten)')
    .action((given: string, opts: { out?: string }) =>
      storeAction(ctx, (store, out) => {
        let exported: { keyId: string; name: string | null; role: string | null; publicKeyPem: string };
        if (existsSync(given) && statSync(given).isFile()) {
          const keyFile = readKeyFile(given);
          exported = { keyId: keyIdOf(publicKeyFromPem(keyFile.publicKeyPem)), name: keyFile.name, role: keyFile.role, publicKeyPem: keyFile.publicKeyPem };
        } else {
          const keyId = resolveKeyId(store.db, given);
          const key = getKey(store.db, keyId)!;
          exported = { keyId, name: key.name, role: key.role, publicKeyPem: exportPublicKey(store.db, keyId) };
        }
        if (opts.out) {
          const file = resolve(opts.out);
          try {
            writeFileSync(file, exported.publicKeyPem, { flag: 'wx' });
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new DocketError('REJECTED', `${file} already exists; choose another --out`);
            throw error;
          }
          out.print(`Wrote the public key of ${exported.name} (${shortKeyId(exported.keyId)}) to ${file}.\nFingerprint to compare out of band: ${formatKeyIdForComparison(exported.keyId)}`, { ...exported, file });
        } else {
          out.print(exported.publicKeyPem.trimEnd(), exported);
        }
        return EXIT_OK;
      }),
    );

  keys
    .command('import')
    .description("add a colleague's public key (PEM, or their docket key file: only its public half is read) to the keyring, untrusted until someone runs docket keys trust")
    .argument('<file>', 'a PEM public key or a docket key file')
    .option('--name <name>', "the key holder's name (required for a PEM; a key file states its own)")
    .option('--role <role>', "the key holder's role (required for a PEM; a key file states its own)")
    .action((file: string, opts: { name?: string; role?: string }) =>
      storeAction(ctx, (store, out) => {
        const found = readPublicKey(file);
        const name = opts.name ?? found.name;
        const role = opts.role ?? found.role;
        if (name === undefined || role === undefined) throw new UsageError('a PEM public key does not say whose it is: give --name and --role');
        checkIdentity(name, role);
        const { key, added } = addKey(store.db, { name, role, publicKeyPem: found.publicKeyPem, keyId: found.keyId, origin: 'imported' }, change());
        const listing = keyListing(key, ctx.clock());
        out.print(
          added
            ? [
                `Imported the key of ${key.name} (${key.role}), ${shortKeyId(key.keyId)}: untrusted.`,
                `Compare its fingerprint with ${key.name} out of band, then trust it: docket keys trust ${shortKeyId(key.keyId)}`,
                `  ${formatKeyIdForComparison(key.keyId)}`,
              ].join('\n')
            : `The key ${shortKeyId(key.keyId)} is already in the keyring as ${key.name} (${key.role}), ${listing.status}; nothing changed.`,
          { ...listing, added },
        );
        return EXIT_OK;
      }),
    );

  keys
    .command('trust')
    .description("trust a key: its decisions (made now, or before, and not after a revocation) count in this workspace. Compare the fingerprint with its holder first")
    .argument('<key>', 'a key id or a unique prefix of at least 8 hex digits')
    .action((given: string) =>
      storeAction(ctx, (store, out) => {
        const key = trustKey(store.db, resolveKeyId(store.db, given), change());
        out.print(`Trusted ${key.name} (${key.role}), key ${shortKeyId(key.keyId)}.\n  ${formatKeyIdForComparison(key.keyId)}`, keyListing(key, ctx.clock()));
        return EXIT_OK;
      }),
    );

  keys
    .command('revoke')
    .description('revoke a key from now on (lost laptop, person left): decisions it signed before stay valid, later ones do not count')
    .argument('<key>', 'a key id or a unique prefix of at least 8 hex digits')
    .requiredOption('--reason <text>', 'why, for the audit log (e.g. "laptop lost")')
    .action((given: string, opts: { reason: string }) =>
      storeAction(ctx, (store, out) => {
        const key = revokeKey(store.db, resolveKeyId(store.db, given), opts.reason, change());
        out.print(`Revoked ${key.name}'s key ${shortKeyId(key.keyId)} from ${key.revokedAt}: ${key.revokeReason}`, keyListing(key, ctx.clock()));
        return EXIT_OK;
      }),
    );

  keys
    .command('rotate')
    .description('replace a key with a new key file (make it with docket keys generate --out elsewhere first, or hand one over): the new key is added as trusted, the old one revoked from now')
    .argument('<old>', 'the key being replaced: its id or a unique prefix of at least 8 hex digits')
    .requiredOption('--key <file>', 'the docket key file of the replacement key (only its public half is read)')
    .action((given: string, opts: { key: string }) =>
      storeAction(ctx, (store, out) => {
        const oldKeyId = resolveKeyId(store.db, given);
        const keyFile = readKeyFile(opts.key);
        const { old, replacement } = rotateKey(store.db, oldKeyId, { name: keyFile.name, role: keyFile.role, publicKeyPem: keyFile.publicKeyPem, keyId: keyFile.keyId, origin: 'local' }, change());
        const now = ctx.clock();
        out.print(
          `Rotated ${old.name}'s key ${shortKeyId(old.keyId)} (revoked from ${old.revokedAt}) to ${shortKeyId(replacement.keyId)} (${replacement.name}, ${replacement.role}, ${replacement.trusted ? 'trusted' : 'untrusted'}).`,
          { old: keyListing(old, now), replacement: keyListing(replacement, now) },
        );
        return EXIT_OK;
      }),
    );
}
