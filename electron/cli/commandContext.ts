import { normaliseDue } from '../core/reviews/reviews';
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import type { Database } from 'better-sqlite3';
import { DocketError } from '../../shared/ipc/result';
import { shortKeyId } from '../../shared/signing/keyId';
import { listKeys } from '../core/signing/keyring';
import { SigningError } from '../core/signing/signingError';
import type { Clock } from '../core/store/clock';
import type { Store } from '../core/store/openStore';
import type { CliOutput } from './output';

/** What the review, key, policy and decision commands need from runCli. Exit codes as in program.ts. */
export interface CommandContext {
  withStore: (fn: (store: Store, out: CliOutput) => Promise<number> | number) => Promise<void>;
  clock: Clock;
  resourcesDir: string;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The command line was wrong (exit 2): a malformed argument, an ambiguous key prefix, no passphrase source. */
export class UsageError extends Error {}

export const actor = (): string => userInfo().username;

/**
 * Runs a command against the store: a UsageError (or having no way to get a passphrase) exits 2 with
 * its message; any other error exits 1 through withStore.
 */
export function storeAction(ctx: CommandContext, fn: (store: Store, out: CliOutput) => Promise<number> | number): Promise<void> {
  return ctx.withStore(async (store, out) => {
    try {
      return await fn(store, out);
    } catch (error) {
      const usage = error instanceof UsageError || (error instanceof SigningError && (error.reason === 'no-passphrase' || error.reason === 'empty-passphrase'));
      if (!usage) throw error;
      out.error(error.message);
      return EXIT_USAGE;
    }
  });
}

/**
 * A hidden --passphrase option on every command that unlocks or creates a key, so that a user who
 * tries it is told where passphrases come from, and commander's "unknown option '--passphrase=…'"
 * error (which would echo the secret to the terminal and logs) never happens.
 */
export function refusePassphraseOption(command: Command): Command {
  return command.addOption(new Option('--passphrase [value]').hideHelp());
}

export function assertNoPassphraseArgument(opts: { passphrase?: unknown }): void {
  if (opts.passphrase !== undefined) {
    throw new UsageError('a passphrase is never accepted on the command line (it would stay in shell history and process lists): set DOCKET_KEY_PASSPHRASE or run in a terminal to be asked');
  }
}

/** "name@version" with both parts, for commands about one version. */
export function versionArgument(ref: string): { model: string; version: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || at === ref.length - 1) throw new UsageError(`give a model version as <model>@<version>, got "${ref}"`);
  return { model: ref.slice(0, at), version: ref.slice(at + 1) };
}

/** A whole key id, or a unique prefix of at least 8 hex digits, to the key id in the keyring. */
export function resolveKeyId(db: Database, given: string): string {
  const prefix = given.trim().toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(prefix)) throw new UsageError(`"${given}" is not a key id: give the id or a prefix of at least 8 hex digits (see docket keys list)`);
  const matches = listKeys(db).filter((k) => k.keyId.startsWith(prefix));
  if (matches.length === 0) throw new DocketError('NOT_FOUND', `no key ${prefix} in this workspace's keyring (see docket keys list)`);
  if (matches.length > 1) throw new UsageError(`key prefix ${prefix} is ambiguous: it matches ${matches.map((k) => `${shortKeyId(k.keyId)} (${k.name})`).join(', ')}; give more digits`);
  return matches[0]!.keyId;
}

/** "YYYY-MM-DD" (the end of that day, UTC) or a full ISO time, for due dates and waiver expiries. */
export function endOfDay(date: string, flag: string): string {
  // The engine's own rule (a day means its end, UTC), with the flag named when the date is unreadable.
  try {
    return normaliseDue(date);
  } catch {
    throw new UsageError(`${flag}: "${date}" is not a date (use YYYY-MM-DD)`);
  }
}
