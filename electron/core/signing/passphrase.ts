import { SigningError } from './signingError';

/**
 * Where the CLI gets a private key's passphrase: DOCKET_KEY_PASSPHRASE for automation, else an
 * injected prompt (the CLI passes a TTY prompt with echo off). Core never prints, logs or puts the
 * passphrase in an error message; callers must not either.
 */

export const PASSPHRASE_ENV = 'DOCKET_KEY_PASSPHRASE';

/** Asks the user; resolves null when nobody can answer (no TTY, cancelled). */
export type PassphrasePrompt = (question: string) => Promise<string | null>;

export interface PassphraseRequest {
  env: Readonly<Record<string, string | undefined>>;
  /** Omit when there is no terminal: then only the environment variable can supply it. */
  prompt?: PassphrasePrompt;
  /** Shown in the prompt, e.g. 'key file ~/.docket/alice.key.json'. */
  purpose: string;
  /** For a new key: ask twice and insist both match, since a typo would lock the key forever. */
  confirm?: boolean;
}

export interface ResolvedPassphrase {
  passphrase: string;
  source: 'env' | 'prompt';
}

function requireNonEmpty(passphrase: string, where: string): string {
  if (passphrase.trim() === '') throw new SigningError('empty-passphrase', `the passphrase from ${where} is empty; a private key needs a passphrase`);
  return passphrase;
}

export async function resolvePassphrase(request: PassphraseRequest): Promise<ResolvedPassphrase> {
  const fromEnv = request.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined) return { passphrase: requireNonEmpty(fromEnv, `$${PASSPHRASE_ENV}`), source: 'env' };
  if (!request.prompt) {
    throw new SigningError('no-passphrase', `a passphrase is needed for ${request.purpose}: set ${PASSPHRASE_ENV} or run in a terminal`);
  }
  const first = await request.prompt(`Passphrase for ${request.purpose}: `);
  if (first === null) throw new SigningError('no-passphrase', `no passphrase entered for ${request.purpose}`);
  requireNonEmpty(first, 'the prompt');
  if (request.confirm) {
    const second = await request.prompt('Repeat the passphrase: ');
    if (second !== first) throw new SigningError('no-passphrase', 'the two passphrases differ; nothing was changed');
  }
  return { passphrase: first, source: 'prompt' };
}
