import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { defaultDbPath } from '../core/dataDir';
import { verifyPath } from '../core/pack/verifyPath';
import { loadOrCreateWorkspaceCertificate, loadPkcs12 } from '../core/pack/workspaceCertificate';
import type { SigningIdentity } from '../core/pack/signingIdentity';
import { loadKeyFile } from '../core/signing/keyFile';
import type { ReviewerKeyPair } from '../core/signing/keys';
import { localKeyIds, unlockLocalKey } from '../core/signing/localKeys';
import { PASSPHRASE_ENV, resolvePassphrase } from '../core/signing/passphrase';
import { SigningError } from '../core/signing/signingError';
import type { Clock } from '../core/store/clock';
import { openStore, type Store } from '../core/store/openStore';
import { createOutput, type CliOutput } from './output';
import { terminalPrompt } from './passphrasePrompt';

/**
 * `docket export audit-pack <model>@<version> --out DIR` and `docket verify PATH`.
 * Registered on the program by runCli: registerPackCommands(program, { clock, resourcesDir, setExitCode }).
 * Exit codes as everywhere: 0 ok, 1 the work failed (or a check failed), 2 the command line was wrong.
 */

export interface PackCommandEnv {
  clock: Clock;
  resourcesDir: string;
  setExitCode(code: number): void;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** Folder of the workspace's own PDF signing certificate, beside the database. */
export const WORKSPACE_PKI_DIR = 'pki';

export class PackUsageError extends Error {}

interface GlobalOptions {
  db?: string;
  json?: boolean;
}

interface ExportOptions {
  out: string;
  zip?: boolean;
  key?: string;
  p12?: string;
  p12PassEnv?: string;
  force?: boolean;
  passphrase?: unknown;
}

function modelVersion(ref: string): { model: string; version: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || at === ref.length - 1) throw new PackUsageError(`give a model version as <model>@<version>, got "${ref}"`);
  return { model: ref.slice(0, at), version: ref.slice(at + 1) };
}

async function passphraseFor(purpose: string): Promise<string> {
  return (await resolvePassphrase({ env: process.env, prompt: terminalPrompt(), purpose })).passphrase;
}

/** The manifest signer: --key FILE, else the workspace's only local key. */
export async function reviewerKey(store: Store, keyFile: string | undefined): Promise<ReviewerKeyPair> {
  if (keyFile) {
    const path = resolve(keyFile);
    return loadKeyFile(path, await passphraseFor(`key file ${path}`)).keyPair;
  }
  const keysDir = join(dirname(store.path), 'keys');
  const local = [...localKeyIds(keysDir)];
  if (local.length !== 1) {
    throw new PackUsageError(local.length === 0 ? `no reviewer key in ${keysDir}: give --key <key file> to sign the manifest` : `${local.length} reviewer keys in ${keysDir}: choose one with --key <key file>`);
  }
  return unlockLocalKey(keysDir, local[0]!, await passphraseFor(`reviewer key ${local[0]!.slice(0, 16)}`));
}

/** The PDF signer: an organisation PKCS#12 (passphrase from an environment variable), else the workspace certificate. */
export function pdfIdentity(store: Store, opts: Pick<ExportOptions, 'p12' | 'p12PassEnv'>, clock: Clock): SigningIdentity {
  if (opts.p12) {
    if (!opts.p12PassEnv) throw new PackUsageError('--p12 needs --p12-pass-env <VAR>: the name of the environment variable holding its passphrase');
    const passphrase = process.env[opts.p12PassEnv];
    if (passphrase === undefined) throw new PackUsageError(`--p12-pass-env ${opts.p12PassEnv}: that environment variable is not set`);
    return loadPkcs12(readFileSync(resolve(opts.p12)), passphrase);
  }
  if (opts.p12PassEnv) throw new PackUsageError('--p12-pass-env is only used with --p12 <file>');
  return loadOrCreateWorkspaceCertificate(join(dirname(store.path), WORKSPACE_PKI_DIR), clock);
}

export function isUsage(error: unknown): boolean {
  return error instanceof PackUsageError || (error instanceof SigningError && (error.reason === 'no-passphrase' || error.reason === 'empty-passphrase'));
}

export function registerPackCommands(program: Command, env: PackCommandEnv): void {
  const globals = () => program.opts<GlobalOptions>();
  const output = (): CliOutput => createOutput(globals().json === true);

  const exportCmd = program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('export packs and reports from the workspace');
  exportCmd
    .command('audit-pack')
    .description('write the signed audit pack of one model version: a PDF, the evidence, a CycloneDX ML-BOM, the signed decisions and a signed manifest')
    .argument('<model@version>', 'the model version, e.g. fraud-score-card-txn@3')
    .requiredOption('--out <dir>', 'folder to write <model>-<version>-audit-pack/ into')
    .option('--zip', 'also write <model>-<version>-audit-pack.zip', false)
    .option('--key <file>', `reviewer key file that signs the manifest (passphrase from $${PASSPHRASE_ENV} or a prompt); default: the workspace's only key`)
    .option('--p12 <file>', "sign the PDF with this organisation PKCS#12 instead of the workspace certificate")
    .option('--p12-pass-env <var>', 'environment variable holding the PKCS#12 passphrase')
    .option('--force', 'replace an existing pack of the same name', false)
    .addOption(new Option('--passphrase [value]').hideHelp())
    .action(async (ref: string, opts: ExportOptions) => {
      const out = output();
      if (opts.passphrase !== undefined) {
        out.error(`a passphrase is never accepted on the command line (it would stay in shell history and process lists): set ${PASSPHRASE_ENV} or run in a terminal to be asked`);
        return env.setExitCode(EXIT_USAGE);
      }
      let store: Store | null = null;
      try {
        const { model, version } = modelVersion(ref);
        store = openStore(resolve(globals().db ?? defaultDbPath()));
        const key = await reviewerKey(store, opts.key);
        const identity = pdfIdentity(store, opts, env.clock);
        // Loaded on use: the PDF renderer pulls in pdfkit, which `docket verify` and every other command do without.
        const { exportAuditPack } = await import('../core/pack/exportAuditPack');
        const result = await exportAuditPack(store, {
          resourcesDir: env.resourcesDir,
          model,
          version,
          outDir: resolve(opts.out),
          clock: env.clock,
          reviewerKey: key,
          pdfIdentity: identity,
          zip: opts.zip === true,
          force: opts.force === true,
          actor: userInfo().username,
          onProgress: (p) => out.progress(p.done, p.total, p.step),
        });
        out.endProgress();
        const human = [
          `Audit pack of ${result.manifest.subject.model}@${result.manifest.subject.version} written to ${result.folder}`,
          ...(result.zip ? [`Zip: ${result.zip}`] : []),
          `  evidence sha256:         ${result.evidenceSha256}`,
          `  manifest sha256:         ${result.manifestSha256}`,
          `  manifest signed by:      ${result.manifest.signer.name} (${result.manifest.signer.role}), key ${result.manifest.signer.keyId}`,
          `  PDF certificate sha256:  ${result.manifest.pdfCertificateSha256}`,
          `Check it with: docket verify ${result.zip ?? result.folder} --trust-key ${result.manifest.signer.keyId.slice(0, 16)}`,
        ].join('\n');
        out.print(human, { folder: result.folder, zip: result.zip, evidenceSha256: result.evidenceSha256, manifestSha256: result.manifestSha256, manifest: result.manifest });
        env.setExitCode(EXIT_OK);
      } catch (error) {
        out.endProgress();
        out.error((error as Error).message);
        env.setExitCode(isUsage(error) ? EXIT_USAGE : EXIT_FAILED);
      } finally {
        store?.close();
      }
    });

  program
    .command('verify')
    .description('check an audit pack (its folder, its .zip, or the PDF alone) or a signed budget report offline; exit 1 when any check fails')
    .argument('<path>', 'the pack folder, its .zip, audit-pack.pdf, or a budget report (.csv, .xlsx, .pdf with its .dsse.json beside it)')
    .option('--trust-key <keyId>', 'a reviewer key id (or a prefix of 8+ hex digits) you trust to sign packs; repeatable', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .addHelpText('after', '\nTrust in the manifest signer comes from --db <workspace> (its keyring), from --trust-key, or else from the keys inside the pack, reported as "self-asserted".')
    .action((path: string, opts: { trustKey: string[] }) => {
      const out = output();
      const dbOption = globals().db;
      let store: Store | null = null;
      try {
        if (dbOption !== undefined) {
          const dbPath = resolve(dbOption);
          if (!existsSync(dbPath)) throw new PackUsageError(`--db ${dbPath}: no workspace database there`);
          store = openStore(dbPath, { readonly: true });
        }
        for (const k of opts.trustKey) if (!/^[0-9a-fA-F]{8,64}$/.test(k.trim())) throw new PackUsageError(`--trust-key "${k}" is not a key id: give the id or a prefix of at least 8 hex digits`);
        const result = verifyPath(resolve(path), { ...(store ? { db: store.db } : {}), trustKeyIds: opts.trustKey });
        const lines = result.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
        const failed = result.checks.filter((c) => !c.ok).length;
        lines.push(result.ok ? `Verified: ${result.subject ? `${result.subject.model}@${result.subject.version}, ` : ''}${result.checks.length} checks passed${result.trust === 'self-asserted' ? ' (signer trust is self-asserted)' : ''}.` : `NOT VERIFIED: ${failed} of ${result.checks.length} checks failed.`);
        out.print(lines.join('\n'), { ok: result.ok, checks: result.checks.map((c) => ({ name: c.name, ok: c.ok, detail: c.detail })) });
        env.setExitCode(result.ok ? EXIT_OK : EXIT_FAILED);
      } catch (error) {
        out.error((error as Error).message);
        env.setExitCode(isUsage(error) ? EXIT_USAGE : EXIT_FAILED);
      } finally {
        store?.close();
      }
    });
}
