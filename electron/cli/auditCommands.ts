import { InvalidArgumentError, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { AuditWorkspaceVerification } from '../../shared/ipc/contract';
import type { PassphrasePrompt } from '../core/signing/passphrase';
import type { Clock } from '../core/store/clock';
import type { Store } from '../core/store/openStore';
import { verifyWorkspaceParallel } from '../core/store/verifyRecord';
import { formatTable, type CliOutput } from './output';

/**
 * `docket audit …`: list, verify (chain, signatures, decisions against the log), export a signed range, verify an export.
 * Each command imports what only it uses when it runs (keys, exports, queries), so that `audit verify`
 * starts without them.
 */

export interface AuditCommandDeps {
  withStore: (fn: (store: Store, out: CliOutput) => Promise<number> | number) => Promise<void>;
  clock: Clock;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;

const int = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number, got "${value}"`);
  return Number(value);
};

/** Asks on the terminal with echo off; null when there is no terminal. */
export const ttyPrompt: PassphrasePrompt = (question) => {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return Promise.resolve(null);
  return new Promise((done) => {
    let muted = false;
    const output = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (!muted) process.stderr.write(chunk);
        cb();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      done(answer);
    });
    muted = true;
    rl.on('SIGINT', () => {
      rl.close();
      done(null);
    });
  });
};

export function formatVerification(v: AuditWorkspaceVerification): string {
  const lines = [v.ok ? `Audit chain intact: ${v.checked} entries, head ${v.head ?? '(empty)'}; every check passed` : `Audit record FAILS verification${v.firstBadSeq !== null ? ` (first bad entry ${v.firstBadSeq})` : ''}`];
  for (const c of v.checks ?? []) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
  const bad = v.bad ?? [];
  if (bad.length > 0) {
    lines.push('Entries that fail:');
    for (const b of bad.slice(0, 20)) lines.push(`  ${String(b.seq).padStart(6)}  ${b.reason}`);
    const more = (v.badTotal ?? bad.length) - Math.min(bad.length, 20);
    if (more > 0) lines.push(`  … and ${more} more (use --json for the list)`);
    lines.push('Keep this database untouched and compare it with a backup or a signed audit export.');
  }
  return lines.join('\n');
}

export function registerAuditCommands(audit: Command, deps: AuditCommandDeps): void {
  const { withStore, clock } = deps;

  audit
    .command('list')
    .description('audit entries, newest first, filtered')
    .option('--action <prefix>', 'action prefix, e.g. decision. or review. (comma-separated for several)')
    .option('--actor <name>', 'only entries by this actor')
    .option('--subject <subject>', 'only entries about this subject, e.g. review:3')
    .option('--search <text>', 'text to find in the entry detail, subject, actor or action')
    .option('--from <date>', 'from this date (YYYY-MM-DD, UTC) or ISO time')
    .option('--to <date>', 'to this date (inclusive) or ISO time')
    .option('--from-seq <n>', 'from this seq', int('--from-seq'))
    .option('--to-seq <n>', 'to this seq', int('--to-seq'))
    .option('--limit <n>', 'at most this many entries (max 1000)', int('--limit'), 50)
    .option('--offset <n>', 'skip this many of the newest matches', int('--offset'), 0)
    .action((opts: { action?: string; actor?: string; subject?: string; search?: string; from?: string; to?: string; fromSeq?: number; toSeq?: number; limit: number; offset: number }) =>
      withStore(async (store, out) => {
        const { auditPage } = await import('../core/store/auditQueries');
        const { entries, total } = auditPage(store.db, opts);
        const rows = entries.map((e) => [e.seq, e.at.slice(0, 19).replace('T', ' '), e.actor, e.action, e.subject]);
        const human =
          entries.length === 0
            ? `No audit entries match (${total} in total).`
            : `${formatTable(['SEQ', 'TIME (UTC)', 'ACTOR', 'ACTION', 'SUBJECT'], rows)}\nShowing ${opts.offset + 1}–${opts.offset + entries.length} of ${total} matching entries.`;
        out.print(human, { total, offset: opts.offset, entries });
        return EXIT_OK;
      }),
    );

  audit
    .command('verify')
    .description('recompute the hash chain, find missing entries, verify every signed decision and check decisions against the log')
    .action(() =>
      withStore(async (store, out) => {
        const result = await verifyWorkspaceParallel(store.db, clock());
        out.print(formatVerification(result), result);
        return result.ok ? EXIT_OK : EXIT_FAILED;
      }),
    );

  audit
    .command('export')
    .description('export a range of the log as JSON Lines with a detached signature (FILE.jsonl and FILE.jsonl.dsse.json)')
    .option('--from-seq <n>', 'first entry (default: the first)', int('--from-seq'))
    .option('--to-seq <n>', 'last entry (default: the last)', int('--to-seq'))
    .option('--from <date>', 'or: from this date (YYYY-MM-DD, UTC) or ISO time')
    .option('--to <date>', 'or: to this date (inclusive) or ISO time')
    .requiredOption('--out <file>', 'where to write the JSON Lines (.jsonl is added if missing)')
    .requiredOption('--key <keyfile>', 'your docket key file; its passphrase comes from DOCKET_KEY_PASSPHRASE or a prompt')
    .action((opts: { fromSeq?: number; toSeq?: number; from?: string; to?: string; out: string; key: string }) =>
      withStore(async (store, out) => {
        const [{ resolvePassphrase }, { loadKeyFile }, { exportAuditRange }] = await Promise.all([import('../core/signing/passphrase'), import('../core/signing/keyFile'), import('../core/store/auditExport')]);
        const keyPath = resolve(opts.key);
        const { passphrase } = await resolvePassphrase({ env: process.env, prompt: process.stdin.isTTY && process.stderr.isTTY ? ttyPrompt : undefined, purpose: `key file ${keyPath}` });
        const { keyPair } = loadKeyFile(keyPath, passphrase);
        const result = exportAuditRange(store.db, { fromSeq: opts.fromSeq, toSeq: opts.toSeq, from: opts.from, to: opts.to }, { outPath: resolve(opts.out), key: keyPair, actor: userInfo().username, at: clock().toISOString() });
        const { statement: _s, ...machine } = result;
        out.print(
          [
            `Exported entries ${result.firstSeq} to ${result.lastSeq} (${result.count}), signed by ${result.statement.exportedBy.name}.`,
            `  ${result.jsonlPath}`,
            `  ${result.envelopePath}`,
            `sha256 ${result.sha256}; head ${result.headHash}`,
            `Check it anywhere with: docket audit verify-export ${result.jsonlPath}`,
          ].join('\n'),
          machine,
        );
        return EXIT_OK;
      }),
    );

  audit
    .command('verify-export')
    .description('check a signed audit export: its signature, its sha256 and the chain inside it')
    .argument('<file>', 'the .jsonl file (its envelope is FILE.jsonl.dsse.json)')
    .option('--envelope <path>', 'the detached envelope, if not beside the file')
    .option('--public-key <pem...>', "trust these public keys (PEM files) instead of this workspace's keyring")
    .action((file: string, opts: { envelope?: string; publicKey?: string[] }) =>
      withStore(async (store, out) => {
        const [{ keyIdOf, publicKeyFromPem }, { getKey, keyStatusAt, keyringResolver }, { verifyAuditExport, ENVELOPE_SUFFIX }] = await Promise.all([
          import('../core/signing/keys'),
          import('../core/signing/keyring'),
          import('../core/store/auditExport'),
        ]);
        const jsonlPath = resolve(file);
        const pinned = new Map<string, string>();
        for (const path of opts.publicKey ?? []) {
          const pem = readFileSync(resolve(path), 'utf8');
          pinned.set(keyIdOf(publicKeyFromPem(pem)), pem);
        }
        const trust =
          pinned.size > 0
            ? { resolvePublicKey: (keyId: string) => pinned.get(keyId) ?? null }
            : {
                resolvePublicKey: keyringResolver(store.db),
                isTrusted: (keyId: string, at: string) => {
                  const status = keyStatusAt(store.db, keyId, at);
                  return { ok: status.status === 'trusted', reason: `${status.reason}${getKey(store.db, keyId) ? '' : ': pass --public-key with the signer\'s public key'}` };
                },
              };
        const result = verifyAuditExport(jsonlPath, opts.envelope ? resolve(opts.envelope) : `${jsonlPath}${ENVELOPE_SUFFIX}`, trust);
        const head = result.statement ? `entries ${result.statement.firstSeq} to ${result.statement.lastSeq}` : file;
        out.print(
          [result.ok ? `Audit export verified: ${head}` : `Audit export FAILS verification: ${head}`, ...result.checks.map((c) => `  ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`)].join('\n'),
          result,
        );
        return result.ok ? EXIT_OK : EXIT_FAILED;
      }),
    );
}
