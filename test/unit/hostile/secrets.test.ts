import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildDemoWorkspace } from '../../../electron/core/demo/buildDemo';
import { exportDemoPack } from '../../../electron/core/demo/demoPack';
import { DEMO_KEY_PASSPHRASE } from '../../../electron/core/demo/demoReviews';
import { localKeyIds, unlockLocalKey } from '../../../electron/core/signing/localKeys';
import { loadKeyFile } from '../../../electron/core/signing/keyFile';
import { generateReviewerKeyPair, safeStorageSealer, sealPrivateKey, unsealPrivateKey, type KeySealer, type SafeStorageLike } from '../../../electron/core/signing/keys';
import { SigningError } from '../../../electron/core/signing/signingError';
import type { KeyObject } from 'node:crypto';
import { fixedClock } from '../../support/tempStore';
import { runDocket } from '../../support/runDocket';
import { filesUnder, leaksIn, secretNeedles, type Needle } from '../../support/secretLeaks';
import { generateRegistry, startMlflowServer, type MlflowTestServer } from '../../support/mlflowServer';

/**
 * Issue 10, item 5: after the flows that handle secrets (reviewer keys made and used with a
 * passphrase, an MLflow sync with a bearer token, an audit pack, a budget report and a signed audit
 * export), no passphrase, token or private key material is in the database (and its WAL), any file
 * of the workspace but the encrypted key files, any export, or what the CLI printed.
 */

const RESOURCES = resolve('resources');
const TOKEN = `dapi-${randomBytes(16).toString('hex')}`;
const CLI_PASSPHRASE = `cli pass ${randomBytes(8).toString('hex')}`;

let base: string;
let workspace: string;
let dbPath: string;
let server: MlflowTestServer;
const printed: string[] = [];
const exported: string[] = [];
const privateKeys: KeyObject[] = [];
const savedEnv = { token: process.env.MLFLOW_TRACKING_TOKEN, passphrase: process.env.DOCKET_KEY_PASSPHRASE };

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  Object.assign(process.env, env);
  try {
    const run = await runDocket(['--db', dbPath, ...args]);
    printed.push(run.stdout, run.stderr);
    return run;
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

beforeAll(async () => {
  delete process.env.MLFLOW_TRACKING_TOKEN;
  delete process.env.DOCKET_KEY_PASSPHRASE;
  base = mkdtempSync(join(tmpdir(), 'docket-secrets-'));
  workspace = join(base, 'workspace');
  // Reviewer keys generated under a passphrase and used to sign decisions, a pack and a budget report.
  const demo = await buildDemoWorkspace({ outDir: workspace, resourcesDir: RESOURCES, clock: fixedClock(), actor: 'demo' });
  dbPath = demo.machine.dbPath;
  const pack = await exportDemoPack({ dbPath, resourcesDir: RESOURCES, clock: fixedClock(), subject: demo.reviews.approved, signer: 'Priya Raman' });
  expect(pack.ok).toBe(true);
  const keysDir = join(workspace, 'keys');
  for (const keyId of localKeyIds(keysDir)) privateKeys.push(unlockLocalKey(keysDir, keyId, DEMO_KEY_PASSPHRASE).privateKey);

  // The CLI: a key from $DOCKET_KEY_PASSPHRASE, an MLflow sync with a token (and one with a wrong token), a signed audit export.
  mkdirSync(join(base, 'exports'));
  const keyFile = join(base, 'exports', 'ops.docket-key.json');
  const generated = await cli(['keys', 'generate', '--name', 'Ops Bot', '--role', 'automation', '--out', keyFile], { DOCKET_KEY_PASSPHRASE: CLI_PASSPHRASE });
  expect(generated.code, generated.stdout + generated.stderr).toBe(0);
  privateKeys.push(loadKeyFile(keyFile, CLI_PASSPHRASE).keyPair.privateKey);
  server = await startMlflowServer({ token: TOKEN, registry: generateRegistry({ models: 2, versionsPerModel: 2 }) });
  expect((await cli(['sync', 'mlflow', '--url', server.url], { MLFLOW_TRACKING_TOKEN: TOKEN })).code).toBe(0);
  expect((await cli(['sync', 'mlflow', '--url', server.url], { MLFLOW_TRACKING_TOKEN: `${TOKEN}-wrong` })).code).toBe(1);
  expect((await cli(['sync', 'mlflow', '--url', server.url, '--json'], { MLFLOW_TRACKING_TOKEN: `${TOKEN}-wrong` })).code).toBe(1);
  const auditOut = join(base, 'exports', 'audit.jsonl');
  const demoKeyFile = join(keysDir, `${[...localKeyIds(keysDir)][0]}.docket-key.json`);
  const audit = await cli(['audit', 'export', '--from-seq', '1', '--to-seq', '5', '--out', auditOut, '--key', demoKeyFile], { DOCKET_KEY_PASSPHRASE: DEMO_KEY_PASSPHRASE });
  expect(audit.code, audit.stderr).toBe(0);
  // A wrong passphrase is refused without echoing it.
  expect((await cli(['audit', 'export', '--from-seq', '1', '--to-seq', '5', '--out', join(base, 'exports', 'no.jsonl'), '--key', demoKeyFile], { DOCKET_KEY_PASSPHRASE: `${CLI_PASSPHRASE}-wrong` })).code).not.toBe(0);
  exported.push(auditOut, ...readdirSync(join(base, 'exports')).map((f) => join(base, 'exports', f)).filter((f) => f !== keyFile));
}, 90_000);

afterAll(async () => {
  await server?.close();
  if (savedEnv.token !== undefined) process.env.MLFLOW_TRACKING_TOKEN = savedEnv.token;
  if (savedEnv.passphrase !== undefined) process.env.DOCKET_KEY_PASSPHRASE = savedEnv.passphrase;
  rmSync(base, { recursive: true, force: true });
});

/** Every way a secret could be written: as text, and each private key as PKCS#8 DER, its base64 (the PEM body) and its raw 32-byte seed. */
function needles(): Needle[] {
  return secretNeedles(
    [
      { label: 'demo passphrase', value: DEMO_KEY_PASSPHRASE },
      { label: 'CLI passphrase', value: CLI_PASSPHRASE },
      { label: 'MLflow token', value: TOKEN },
    ],
    privateKeys,
  );
}

function leaks(label: string, bytes: Buffer): string[] {
  return leaksIn(label, bytes, needles());
}

describe('secrets stay out of the database, the workspace, exports and output', () => {
  it('keeps them out of the database file and its write-ahead log', () => {
    const files = [dbPath, `${dbPath}-wal`].filter(existsSync);
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.flatMap((f) => leaks(f, readFileSync(f)))).toEqual([]);
  });

  it('keeps them out of every workspace file but the encrypted key files', () => {
    const files = filesUnder(workspace).filter((f) => !/\/keys\/[0-9a-f]{64}\.docket-key\.json$/.test(f));
    expect(files.some((f) => f.endsWith('.zip'))).toBe(true);
    expect(files.some((f) => f.endsWith('budget-report.pdf'))).toBe(true);
    expect(files.flatMap((f) => leaks(f, readFileSync(f)))).toEqual([]);
  });

  it('keeps them out of exports and key files (whose private key is encrypted)', () => {
    expect(exported.length).toBeGreaterThanOrEqual(1);
    const keyFiles = [...filesUnder(join(workspace, 'keys')), join(base, 'exports', 'ops.docket-key.json')];
    expect(keyFiles.length).toBe(3);
    expect([...exported, ...keyFiles].flatMap((f) => leaks(f, readFileSync(f)))).toEqual([]);
  });

  it('keeps them out of what the CLI printed, including failures (wrong token, wrong passphrase)', () => {
    const all = printed.join('\n');
    expect(all).toMatch(/401|unauthori[sz]ed|token/i);
    expect(leaks('CLI output', Buffer.from(all))).toEqual([]);
  });

  it('the checks would see a leak (control)', () => {
    const der = privateKeys[0]!.export({ type: 'pkcs8', format: 'der' });
    expect(leaks('control', Buffer.concat([Buffer.from('x'), der.subarray(der.length - 32), Buffer.from('y')]))).toEqual(['private key 0 raw seed in control']);
    expect(leaks('control', Buffer.from(`Authorization: Bearer ${TOKEN}`))).toEqual(['MLflow token in control']);
  });
});

describe('the OS keychain refuses what it cannot protect', () => {
  const fakeSafeStorage = (available: boolean, backend?: string): SafeStorageLike & { stored: number } => {
    const s = {
      stored: 0,
      isEncryptionAvailable: () => available,
      ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
      encryptString: (plain: string) => {
        s.stored += 1;
        return Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`);
      },
      decryptString: (sealed: Buffer) => Buffer.from(sealed.toString().slice('sealed:'.length), 'hex').toString(),
    };
    return s;
  };
  const refusal = (sealer: KeySealer): SigningError => {
    try {
      sealPrivateKey(generateReviewerKeyPair().privateKey, sealer);
    } catch (error) {
      return error as SigningError;
    }
    throw new Error('sealing was not refused');
  };

  it('refuses when safeStorage is unavailable, and says why', () => {
    const storage = fakeSafeStorage(false);
    const error = refusal(safeStorageSealer(storage));
    expect(error).toBeInstanceOf(SigningError);
    expect(error.reason).toBe('keychain-unavailable');
    expect(error.code).toBe('REJECTED');
    expect(error.message).toMatch(/not available/);
    expect(error.message).toMatch(/passphrase-protected key file/);
    expect(storage.stored).toBe(0);
  });

  it("refuses the 'basic_text' backend, and says why", () => {
    const storage = fakeSafeStorage(true, 'basic_text');
    const error = refusal(safeStorageSealer(storage));
    expect(error.reason).toBe('keychain-unavailable');
    expect(error.message).toMatch(/basic_text/);
    expect(error.message).toMatch(/hard-coded password/);
    expect(storage.stored).toBe(0);
  });

  it("refuses the 'unknown' backend (safeStorage could not name one), and says why", () => {
    const storage = fakeSafeStorage(true, 'unknown');
    const error = refusal(safeStorageSealer(storage));
    expect(error.reason).toBe('keychain-unavailable');
    expect(error.message).toMatch(/'unknown'/);
    expect(storage.stored).toBe(0);
  });

  it('seals with a real keychain backend (gnome_libsecret, or none named on macOS/Windows)', () => {
    for (const backend of ['gnome_libsecret', 'kwallet5', undefined]) {
      const storage = fakeSafeStorage(true, backend);
      const sealer = safeStorageSealer(storage);
      const pair = generateReviewerKeyPair();
      const sealed = sealPrivateKey(pair.privateKey, sealer);
      expect(storage.stored).toBe(1);
      expect(unsealPrivateKey(sealed, sealer, pair.keyId).export({ type: 'pkcs8', format: 'der' }).equals(pair.privateKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
    }
  });
});
