import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { registerPackCommands } from '../../../electron/cli/packCommands';
import { packFolderName } from '../../../electron/core/pack/exportAuditPack';
import { ARTEFACTS, saveArtefact } from './packFixtures';
import { KEY_PASSPHRASE, MODEL, PACK_TIME, RESOURCES, seedWorkspace, VERSION, type SeededWorkspace } from './auditPackFixtures';

/**
 * The pack commands through commander, on a program with runCli's global --db and --json options.
 * The last block runs the same through runCli once program.ts registers the commands.
 */

const OUT = join(ARTEFACTS, 'cli');
let w: SeededWorkspace;

beforeAll(async () => {
  w = await seedWorkspace({ spend: false });
  rmSync(OUT, { recursive: true, force: true });
}, 60_000);
afterAll(() => w.t.cleanup());
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.DOCKET_KEY_PASSPHRASE;
});

async function docket(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let code = 0;
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const program = new Command('docket').option('--db <path>').option('--json', '', false).exitOverride();
  registerPackCommands(program, { clock: () => PACK_TIME, resourcesDir: RESOURCES, setExitCode: (c) => (code = c) });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch {
    code = 2;
  } finally {
    vi.restoreAllMocks();
  }
  return { code, stdout, stderr };
}

const folder = () => join(OUT, packFolderName(MODEL, VERSION));

describe('docket export audit-pack', () => {
  it('exports with --key and $DOCKET_KEY_PASSPHRASE, the workspace certificate beside the db, and a zip', async () => {
    process.env.DOCKET_KEY_PASSPHRASE = KEY_PASSPHRASE;
    const result = await docket(['--db', w.t.dbPath, 'export', 'audit-pack', `${MODEL}@${VERSION}`, '--out', OUT, '--zip', '--key', w.adaKeyFile]);
    saveArtefact('cli-export.txt', `${result.stdout}${result.stderr}`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`written to ${folder()}`);
    expect(result.stdout).toContain(`docket verify ${folder()}.zip --trust-key ${w.ada.keyId.slice(0, 16)}`);
    expect(existsSync(join(dirname(w.t.dbPath), 'pki', 'workspace-signing-cert.pem'))).toBe(true);
    expect(existsSync(`${folder()}.zip`)).toBe(true);

    const again = await docket(['--db', w.t.dbPath, 'export', 'audit-pack', `${MODEL}@${VERSION}`, '--out', OUT, '--key', w.adaKeyFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists: .*--force/);
  });

  it('refuses a passphrase argument, a bad model reference and a missing key (exit 2)', async () => {
    expect((await docket(['--db', w.t.dbPath, 'export', 'audit-pack', `${MODEL}@${VERSION}`, '--out', OUT, '--passphrase', 'secret'])).code).toBe(2);
    const bad = await docket(['--db', w.t.dbPath, 'export', 'audit-pack', MODEL, '--out', OUT]);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('<model>@<version>') });
    const noKey = await docket(['--db', w.t.dbPath, 'export', 'audit-pack', `${MODEL}@${VERSION}`, '--out', join(OUT, 'x')]);
    expect(noKey).toMatchObject({ code: 2, stderr: expect.stringContaining('--key') });
    const noPassphrase = await docket(['--db', w.t.dbPath, 'export', 'audit-pack', `${MODEL}@${VERSION}`, '--out', join(OUT, 'x'), '--key', w.adaKeyFile]);
    expect(noPassphrase).toMatchObject({ code: 2, stderr: expect.stringContaining('DOCKET_KEY_PASSPHRASE') }); // no TTY here, no variable
    process.env.DOCKET_KEY_PASSPHRASE = KEY_PASSPHRASE;
    const p12 = await docket(['--db', w.t.dbPath, 'export', 'audit-pack', `${MODEL}@${VERSION}`, '--out', join(OUT, 'x'), '--key', w.adaKeyFile, '--p12', 'org.p12']);
    expect(p12).toMatchObject({ code: 2, stderr: expect.stringContaining('--p12-pass-env') });
  });
});

describe('docket verify', () => {
  it('--json prints {ok, checks}; exit 0 for the folder, the zip and the PDF', async () => {
    for (const path of [folder(), `${folder()}.zip`, join(folder(), 'audit-pack.pdf')]) {
      const result = await docket(['verify', path, '--json']);
      const json = JSON.parse(result.stdout);
      expect(Object.keys(json)).toEqual(['ok', 'checks']);
      expect(json.ok, path).toBe(true);
      expect(result.code).toBe(0);
      for (const c of json.checks) expect(Object.keys(c)).toEqual(['name', 'ok', 'detail']);
    }
    const text = await docket(['verify', folder()]);
    saveArtefact('cli-verify.txt', text.stdout);
    expect(text.stdout).toMatch(/Verified: fraud-score-card-txn@3, 16 checks passed \(signer trust is self-asserted\)\./);
  });

  it('--trust-key and --db decide trust; a key not trusted exits 1 naming the manifest signature', async () => {
    expect((await docket(['verify', folder(), '--trust-key', w.grace.keyId.slice(0, 8), '--trust-key', w.ada.keyId.slice(0, 10)])).code).toBe(0);
    expect((await docket(['--db', w.t.dbPath, 'verify', folder()])).code).toBe(0);
    const untrusted = await docket(['verify', folder(), '--json', '--trust-key', w.grace.keyId]);
    expect(untrusted.code).toBe(1);
    const json = JSON.parse(untrusted.stdout);
    expect(json.ok).toBe(false);
    expect(json.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([{ name: 'manifest signature', ok: false, detail: expect.stringMatching(/^key [0-9a-f]{16}… is not trusted/) }]);
    expect((await docket(['verify', folder(), '--trust-key', 'nothex'])).code).toBe(2);
    expect((await docket(['verify', join(OUT, 'missing')])).code).toBe(1);
  });
});

const wired = readFileSync('electron/cli/program.ts', 'utf8').includes('registerPackCommands');
describe.skipIf(!wired)('through runCli (once program.ts registers the pack commands)', () => {
  it('verifies the exported pack', async () => {
    const { runCli } = await import('../../../electron/cli/program');
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const code = await runCli(['verify', folder(), '--json'], { resourcesDir: RESOURCES, clock: () => PACK_TIME });
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ok).toBe(true);
  });
});
